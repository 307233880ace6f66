/**
 * ALTER TABLE … RENAME TO / RENAME COLUMN / RENAME CONSTRAINT, each under AccessExclusiveLock.
 * The user view, the `_sys` view and the heap are renamed in place (their OIDs stay), the engine's
 * keys and foreign keys follow, and a rollback renames everything back.
 */
import type { StatementOutcome } from '../../api/results';
import type { TableInfo } from '../../catalog/catalog';
import { qualifiedName } from '../../catalog/catalog';
import { relationDoesNotExist, resolveRelation } from '../../catalog/resolve';
import type { EngineCore } from '../../core';
import { PgError, unsupported } from '../../errors';
import { LockMode } from '../../locks/lockModes';
import { quoteIdent } from '../../pglite/host';
import type { RenameStmt } from '../../sql/ast';
import type { Session, Task } from '../../session/session';
import { isReservedColumnName, qualifiedHeap } from '../../storage/heapLayout';
import { ensureXid, requireTransaction, transactionSnapshotBeforeLocks } from '../../xact/lifecycle';
import { commandOk } from '../outcome';
import { lockTable } from '../tableLocks';
import { emitNotices } from '../userQuery';
import { heapConstraints } from '../../storage/heapCatalog';
import { relationNameTaken } from './relationNames';
import { loadColumns } from '../../storage/tableStorage';

function renameRelation(core: EngineCore, table: TableInfo, to: string): void {
  core.host.script(
    [
      `ALTER VIEW ${qualifiedName(table)} RENAME TO ${quoteIdent(to)}`,
      `ALTER TABLE ${qualifiedHeap(table)} RENAME TO ${quoteIdent(to)}`,
    ].join(';\n'),
  );
  table.name = to;
}

/** Replaces a column name in the engine's keys and foreign keys (of the table and of those referencing it). */
function renameKeyColumns(core: EngineCore, table: TableInfo, from: string, to: string): void {
  const swap = (columns: string[]): string[] => columns.map((c) => (c === from ? to : c));
  for (const key of table.uniqueKeys) key.columns = swap(key.columns);
  for (const key of table.foreignKeys) key.columns = swap(key.columns);
  for (const { key } of core.catalog.referencing(table.oid))
    key.referencedColumns = swap(key.referencedColumns);
}

function renameColumn(core: EngineCore, table: TableInfo, from: string, to: string): void {
  core.host.script(
    [
      `ALTER TABLE ${qualifiedHeap(table)} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`,
      `ALTER VIEW ${qualifiedName(table)} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`,
      `ALTER VIEW ${table.sysView} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`,
    ].join(';\n'),
  );
  renameKeyColumns(core, table, from, to);
  table.columns = loadColumns(core, table.heapSchema, table.storedAs ?? table.name);
}

function renameConstraint(core: EngineCore, table: TableInfo, from: string, to: string): void {
  const key = table.uniqueKeys.find((k) => k.name === from) ?? table.foreignKeys.find((k) => k.name === from);
  if (key) key.name = to;
  else
    core.host.script(
      `ALTER TABLE ${qualifiedHeap(table)} RENAME CONSTRAINT ${quoteIdent(from)} TO ${quoteIdent(to)}`,
    );
}

function constraintExists(core: EngineCore, table: TableInfo, name: string): boolean {
  return (
    table.uniqueKeys.some((k) => k.name === name) ||
    table.foreignKeys.some((k) => k.name === name) ||
    heapConstraints(core, table).some((c) => c.name === name)
  );
}

export function* executeRenameTable(
  core: EngineCore,
  session: Session,
  stmt: RenameStmt,
): Task<StatementOutcome> {
  const rangeVar = stmt.relation;
  if (!rangeVar) throw new Error('RENAME without a relation');
  if (stmt.renameType === 'OBJECT_COLUMN' && stmt.relationType !== 'OBJECT_TABLE') {
    throw unsupported(
      `renaming columns of a ${(stmt.relationType ?? '').replace('OBJECT_', '').toLowerCase()}`,
    );
  }
  transactionSnapshotBeforeLocks(core, session);
  const table = resolveRelation(core, session, rangeVar);
  if (table === undefined || table === 'invisible') {
    if (stmt.missing_ok) {
      emitNotices(core, session, [
        {
          severity: 'NOTICE',
          sqlstate: '00000',
          message: `relation "${rangeVar.relname ?? ''}" does not exist, skipping`,
        },
      ]);
      return commandOk('ALTER TABLE');
    }
    throw relationDoesNotExist(rangeVar);
  }
  yield* lockTable(core, session, table, LockMode.AccessExclusive, { rangeVar });
  const from = stmt.subname ?? table.name;
  const to = stmt.newname ?? '';
  let undo: () => void;
  switch (stmt.renameType) {
    case 'OBJECT_TABLE':
      if (relationNameTaken(core, table.schema, to))
        throw PgError.of('42P07', `relation "${to}" already exists`);
      renameRelation(core, table, to);
      undo = () => renameRelation(core, table, from);
      break;
    case 'OBJECT_COLUMN':
      if (!table.columns.some((c) => c.name === from))
        throw PgError.of('42703', `column "${from}" does not exist`);
      if (isReservedColumnName(to)) {
        throw unsupported(`column names starting with "__" (they are reserved for the engine's row headers)`);
      }
      if (table.columns.some((c) => c.name === to)) {
        throw PgError.of('42701', `column "${to}" of relation "${table.name}" already exists`);
      }
      try {
        renameColumn(core, table, from, to);
      } catch (error) {
        if (error instanceof PgError) delete error.pg.position;
        throw error;
      }
      undo = () => renameColumn(core, table, to, from);
      break;
    case 'OBJECT_TABCONSTRAINT':
      if (!constraintExists(core, table, from)) {
        throw PgError.of('42704', `constraint "${from}" for table "${table.name}" does not exist`);
      }
      if (constraintExists(core, table, to)) {
        throw PgError.of('42710', `constraint "${to}" for relation "${table.name}" already exists`);
      }
      renameConstraint(core, table, from, to);
      undo = () => renameConstraint(core, table, to, from);
      break;
    default:
      throw unsupported(`ALTER … RENAME of ${(stmt.renameType ?? '').replace('OBJECT_', '').toLowerCase()}s`);
  }
  ensureXid(core, session);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  transaction.currentLevel.undo.push(undo);
  return commandOk('ALTER TABLE');
}
