/**
 * INSERT: PGlite runs the learner's INSERT against the heap (defaults, casts, CHECK and NOT NULL are
 * PostgreSQL's own); the engine then places the new versions, checks unique keys row by row (waiting
 * for in-progress inserters) and foreign keys at the end of the statement. ON CONFLICT is handled
 * in onConflict.ts.
 */
import type { StatementOutcome } from '../api/results';
import { relationDoesNotExist, resolveRelation } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { PgError, unsupported } from '../errors';
import { LockMode } from '../locks/lockModes';
import type { InsertStmt } from '../sql/ast';
import { asNode, makeNode } from '../sql/ast';
import { type ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import {
  ensureXid,
  requireTransaction,
  statementSnapshot,
  transactionSnapshotBeforeLocks,
} from '../xact/lifecycle';
import { lockSequencesUsed } from './ddl/sequenceLocks';
import { rejectWriteThroughView } from './ddl/views';
import { fireForeignKeyTriggers, type WriteRunner } from './riTriggers';
import { insertIntoHeap } from './heapInsert';
import { settleLockingSubselects } from './lockingSubselects';
import { executeInsertOnConflict } from './onConflict';
import { rowsShown, commandOk } from './outcome';
import { relationLocks } from './referencedTables';
import { lockTable, lockTargetTable } from './tableLocks';
import { checkUniqueKeys } from './uniqueCheck';

export function* executeInsert(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  stmt: InsertStmt,
  runWrite: WriteRunner,
): Task<StatementOutcome> {
  const target = stmt.relation;
  if (!target) throw new Error('INSERT without a target');
  const named = resolveRelation(core, session, target);
  if (named === 'invisible' || named === undefined) {
    if (named === undefined) rejectWriteThroughView(core, session, target);
    if (named === undefined && (target.relname ?? '').startsWith('pg_'))
      throw unsupported('writing to system catalogs');
    throw relationDoesNotExist(target);
  }
  if (requireTransaction(session).readOnly) {
    throw PgError.of('25006', 'cannot execute INSERT in a read-only transaction');
  }
  transactionSnapshotBeforeLocks(core, session);
  // The target's indexes are locked only to infer ON CONFLICT's arbiter (plancat.c infer_arbiter_indexes).
  const table = yield* lockTargetTable(core, session, named, LockMode.RowExclusive, {
    rangeVar: target,
    indexes: stmt.onConflictClause !== undefined,
  });
  for (const { table: other, rangeVar, mode } of relationLocks(core, session, statement.node, target)) {
    yield* lockTable(core, session, other, mode, { rangeVar });
  }
  const snapshot = statementSnapshot(core, session);
  yield* lockSequencesUsed(core, session, statement.node);
  // Locking sub-selects (and a locking query of the INSERT) run first; it inserts the rows they locked.
  stmt = asNode(
    yield* settleLockingSubselects(core, session, makeNode('InsertStmt', stmt), { snapshot }),
    'InsertStmt',
  ) as InsertStmt;
  ensureXid(core, session);
  if (stmt.onConflictClause)
    return yield* executeInsertOnConflict(core, session, table, stmt, snapshot, runWrite);
  const inserted = insertIntoHeap(core, session, table, stmt, snapshot);
  yield* checkUniqueKeys(core, session, table, inserted.tids);
  yield* fireForeignKeyTriggers(
    core,
    session,
    table,
    inserted.tids.map((tid) => ({ oldTid: null, newTid: tid })),
    runWrite,
  );
  const tag = `INSERT 0 ${inserted.tids.length}`;
  return inserted.returning
    ? rowsShown(core.options.maxResultRows, tag, inserted.returning.fields, inserted.returning.rows)
    : commandOk(tag);
}
