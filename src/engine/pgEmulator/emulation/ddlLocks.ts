/**
 * DDL whose locks pg_locks cannot show as PostgreSQL does. Besides the table lock the engine takes,
 * PostgreSQL's DDL locks the table's indexes and TOAST table (TRUNCATE, DROP, a rewrite, new or
 * dropped indexes), the relations it creates (under OIDs the engine does not have) and catalogs;
 * a rename or drop is also invisible to other sessions' `relation::regclass` until it commits.
 * While a transaction that ran such DDL is open (its locks are held until it ends), reading
 * pg_locks is refused with 0A000 rather than answered with rows missing. LOCK TABLE, and the
 * ALTER TABLE forms that lock the table only, are shown faithfully and are not listed here.
 */
import type { EmulationContext } from './emulationContext';
import { unsupported } from '../errors';
import { LockMode } from '../locks/lockModes';
import type { AlterTableCmd, ColumnDef, Constraint, Node } from '../sql/ast';
import { asNode, tagOf } from '../sql/ast';
import type { Session } from '../session/session';

const DDL_NAMES: Readonly<Record<string, string>> = {
  CreateStmt: 'CREATE TABLE',
  CreateTableAsStmt: 'CREATE TABLE … AS',
  DropStmt: 'DROP',
  IndexStmt: 'CREATE INDEX',
  AlterTableStmt: 'ALTER TABLE',
  RenameStmt: 'a rename (ALTER … RENAME)',
  TruncateStmt: 'TRUNCATE',
  CreateSchemaStmt: 'CREATE SCHEMA',
  CreateSeqStmt: 'CREATE SEQUENCE',
  AlterSeqStmt: 'ALTER SEQUENCE',
  ViewStmt: 'CREATE VIEW',
};

/** A constant default (no rewrite in PostgreSQL 11+): a literal, possibly cast. */
function isConstant(node: Node | undefined): boolean {
  if (!node) return true;
  if (tagOf(node) === 'A_Const') return true;
  const cast = asNode(node, 'TypeCast');
  return cast !== undefined && cast !== null && tagOf(cast.arg as Node) === 'A_Const';
}

/** ADD COLUMN with at most a constant default and NULL / NOT NULL: a new column, nothing else. */
function isPlainAddColumn(cmd: AlterTableCmd): boolean {
  const def = asNode(cmd.def, 'ColumnDef') as ColumnDef | undefined;
  if (!def) return false;
  if (def.raw_default && !isConstant(def.raw_default)) return false;
  return (def.constraints ?? []).every((node) => {
    const constraint = asNode(node, 'Constraint') as Constraint | undefined;
    if (!constraint) return false;
    if (constraint.contype === 'CONSTR_DEFAULT') return isConstant(constraint.raw_expr);
    return constraint.contype === 'CONSTR_NULL' || constraint.contype === 'CONSTR_NOTNULL';
  });
}

/** ALTER TABLE subcommands that lock the table only (checked against PostgreSQL 18's pg_locks). */
function locksTableOnly(cmd: AlterTableCmd): boolean {
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      return isPlainAddColumn(cmd);
    case 'AT_ColumnDefault':
      return isConstant(cmd.def);
    case 'AT_SetNotNull':
    case 'AT_DropNotNull':
      return true;
    default:
      return false;
  }
}

/** What the statement is, if it is DDL whose locks pg_locks cannot show; null otherwise. */
export function unshownDdlLocks(node: Node): string | null {
  const tag = tagOf(node);
  if (asNode(node, 'SelectStmt')?.intoClause) return 'SELECT … INTO';
  const name = DDL_NAMES[tag];
  if (!name) return null;
  // A column rename locks the table only, and leaves its name as it was.
  if (asNode(node, 'RenameStmt')?.renameType === 'OBJECT_COLUMN') return null;
  const alter = asNode(node, 'AlterTableStmt');
  if (alter && (alter.cmds ?? []).every((cmd) => locksTableOnly(asNode(cmd, 'AlterTableCmd') ?? {}))) {
    return null;
  }
  return name;
}

/** Does the session hold a relation lock stronger than the ones DML takes (its DDL got that far)? */
function holdsDdlLock(core: EmulationContext, session: Session): boolean {
  for (const lock of core.locks.allLocks()) {
    if (lock.tag.type !== 'relation' || !lock.procLocks.includes(session.pid)) continue;
    if (core.locks.heldModes(lock, session.pid).some((mode) => mode > LockMode.RowExclusive)) return true;
  }
  return false;
}

/**
 * Notes that the session's current (sub)transaction ran such DDL: after it finished, or after it
 * failed holding its table lock (a failed statement's locks stay until ROLLBACK). DDL that is still
 * waiting for its table lock, or failed before it got it (lock_timeout, NOWAIT), has taken nothing
 * more than pg_locks shows.
 */
export function noteDdlLocks(core: EmulationContext, session: Session, node: Node, failed: boolean): void {
  const name = unshownDdlLocks(node);
  if (name === null || !session.transaction) return;
  if (failed && !holdsDdlLock(core, session)) return;
  session.transaction.currentLevel.unshownLocks.push(name);
}

/** Refuses to answer pg_locks while a transaction that ran such DDL is open. */
export function refuseUnshownLocks(core: EmulationContext): void {
  for (const session of core.sessions.values()) {
    for (const level of session.transaction?.levels ?? []) {
      const [name] = level.unshownLocks;
      if (name !== undefined) {
        throw unsupported(
          `pg_locks while a transaction that ran ${name} is open (session ${session.name})`,
          'PostgreSQL would also list the locks such DDL takes on indexes, TOAST tables, catalogs and new relations; pg_locks can be read again once that transaction ends.',
        );
      }
    }
  }
}
