/**
 * TRUNCATE: AccessExclusiveLock on each table (and, with CASCADE, on the tables whose foreign keys
 * reference them, with PostgreSQL's notices), then every table gets new, empty storage. Like
 * PostgreSQL's, this is not MVCC-safe: once it commits, a snapshot taken before sees the tables
 * empty. The old row versions are kept until the transaction ends, so a rollback brings them back;
 * RESTART IDENTITY restarts the tables' sequences, also undone on rollback.
 */
import type { PgMessage, StatementOutcome } from '../../api/results';
import type { TableInfo } from '../../catalog/catalog';
import { qualifiedHeap } from '../../storage/heapLayout';
import { relationDoesNotExist, resolveRelation } from '../../catalog/resolve';
import type { EngineCore } from '../../core';
import { PgError } from '../../errors';
import { LockMode } from '../../locks/lockModes';
import { quoteLiteral } from '../../pglite/host';
import type { RangeVar, TruncateStmt } from '../../sql/ast';
import { asNode } from '../../sql/ast';
import type { Session, Task } from '../../session/session';
import { ensureXid, requireTransaction, transactionSnapshotBeforeLocks } from '../../xact/lifecycle';
import { commandOk } from '../outcome';
import { lockTable } from '../tableLocks';
import { emitNotices } from '../userQuery';
import { isVisibleView } from './viewCatalog';
import {
  backupTableName,
  createBackupSql,
  dropBackup,
  restoreBackup,
  type HeapBackup,
} from '../../storage/heapRewrite';

/** Sequences a table's columns draw from (serial defaults and identity columns), schema-qualified. */
function tableSequences(core: EngineCore, table: TableInfo): string[] {
  const rows = core.host.rows(
    `SELECT DISTINCT format('%I.%I', n.nspname, s.relname)
       FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace JOIN pg_depend d ON d.refobjid = s.oid
      WHERE s.relkind = 'S' AND d.classid = 'pg_attrdef'::regclass
        AND d.objid IN (SELECT oid FROM pg_attrdef WHERE adrelid = $1::regclass)
     UNION
     SELECT format('%I.%I', n.nspname, s.relname)
       FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace JOIN pg_depend d ON d.objid = s.oid
      WHERE s.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
        AND d.refobjid = $1::regclass AND d.deptype IN ('a', 'i')
      ORDER BY 1`,
    [qualifiedHeap(table)],
  );
  return rows.map((row) => row[0] as string);
}

interface SequenceState {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

function sequenceState(core: EngineCore, name: string): SequenceState {
  const [row] = core.host.rows(`SELECT last_value::text, is_called FROM ${name}`);
  return { name, lastValue: row?.[0] ?? '1', isCalled: row?.[1] === 't' };
}

function referencingNotTruncated(
  core: EngineCore,
  tables: readonly TableInfo[],
): { child: TableInfo; parent: TableInfo }[] {
  const truncated = new Set(tables.map((t) => t.oid));
  const out: { child: TableInfo; parent: TableInfo }[] = [];
  for (const parent of tables) {
    for (const { table: child } of core.catalog.referencing(parent.oid)) {
      if (!truncated.has(child.oid) && !out.some((o) => o.child === child)) out.push({ child, parent });
    }
  }
  return out;
}

export function* executeTruncate(
  core: EngineCore,
  session: Session,
  stmt: TruncateStmt,
): Task<StatementOutcome> {
  transactionSnapshotBeforeLocks(core, session);
  const tables: TableInfo[] = [];
  for (const node of stmt.relations ?? []) {
    const rangeVar = asNode(node, 'RangeVar') as RangeVar;
    const table = resolveRelation(core, session, rangeVar);
    if (table === undefined && isVisibleView(core, session, rangeVar)) {
      throw PgError.of('42809', `"${rangeVar.relname ?? ''}" is not a table`);
    }
    if (table === undefined || table === 'invisible') throw relationDoesNotExist(rangeVar);
    yield* lockTable(core, session, table, LockMode.AccessExclusive, { rangeVar });
    if (!tables.includes(table)) tables.push(table);
  }
  const notices: PgMessage[] = [];
  if (stmt.behavior === 'DROP_CASCADE') {
    for (
      let more = referencingNotTruncated(core, tables);
      more.length > 0;
      more = referencingNotTruncated(core, tables)
    ) {
      for (const { child } of more) {
        yield* lockTable(core, session, child, LockMode.AccessExclusive);
        notices.push({
          severity: 'NOTICE',
          sqlstate: '00000',
          message: `truncate cascades to table "${child.name}"`,
        });
        tables.push(child);
      }
    }
  } else {
    const [blocking] = referencingNotTruncated(core, tables);
    if (blocking) {
      throw PgError.of('0A000', 'cannot truncate a table referenced in a foreign key constraint', {
        detail: `Table "${blocking.child.name}" references "${blocking.parent.name}".`,
        hint: `Truncate table "${blocking.child.name}" at the same time, or use TRUNCATE ... CASCADE.`,
      });
    }
  }
  const xid = ensureXid(core, session);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  const level = transaction.currentLevel;
  for (const table of tables) {
    const backup: HeapBackup = { name: backupTableName(table, xid, transaction.commandId), detached: null };
    core.host.script(`${createBackupSql(table, backup)};\nDELETE FROM ${qualifiedHeap(table)}`);
    backup.detached = core.tuples.detachRelation(table.oid);
    level.undo.push(() => restoreBackup(core, table, backup));
    level.onCommit.push(() => dropBackup(core, backup));
    if (stmt.restart_seqs) {
      const states = tableSequences(core, table).map((name) => sequenceState(core, name));
      if (states.length > 0) {
        core.host.script(states.map((s) => `ALTER SEQUENCE ${s.name} RESTART`).join(';\n'));
        level.undo.push(() => {
          core.host.script(
            states
              .map((s) => `SELECT setval(${quoteLiteral(s.name)}::regclass, ${s.lastValue}, ${s.isCalled})`)
              .join(';\n'),
          );
        });
      }
    }
  }
  emitNotices(core, session, notices);
  return commandOk('TRUNCATE TABLE');
}
