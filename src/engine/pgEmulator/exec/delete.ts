/**
 * DELETE: like UPDATE without a new version — wait for conflicting lockers and updaters
 * (heap_delete), follow a concurrent update under READ COMMITTED, fail with 40001 under REPEATABLE
 * READ, then check that no rows still reference the deleted ones.
 */
import type { StatementOutcome } from '../api/results';
import type { EngineCore } from '../core';
import { PgError, serializationFailure, unsupported } from '../errors';
import { lockRowVersion } from '../rowlocks/lockTuple';
import { heapDeleteDecision } from '../rowlocks/modifyTuple';
import { RowLockMode } from '../tuples/rowLockModes';
import type { DeleteStmt } from '../sql/ast';
import { asNode, makeNode } from '../sql/ast';
import { settleLockingSubselects } from './lockingSubselects';
import type { ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import type { TupleHeader } from '../tuples/tupleStore';
import { ensureXid, requireTransaction } from '../xact/lifecycle';
import { fireForeignKeyTriggers, type WriteRunner } from './riTriggers';
import {
  crosscheckFails,
  findTargetRows,
  prepareModifyTarget,
  recheckVersion,
  type CandidateQuery,
  type ModifyOptions,
} from './modifyTarget';
import { commandOk, rowsShown } from './outcome';
import { returningRows } from './returning';

export function* executeDelete(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  stmt: DeleteStmt,
  runWrite: WriteRunner,
  options?: ModifyOptions,
): Task<StatementOutcome> {
  if (!stmt.relation) throw new Error('DELETE without a target');
  if ((stmt.returningClause?.options ?? []).length > 0) throw unsupported('RETURNING WITH (OLD/NEW …)');
  const returning = stmt.returningClause?.exprs ?? [];
  const target = yield* prepareModifyTarget(core, session, statement, stmt.relation, 'DELETE', options);
  // Locking sub-selects run first; the statement reads the rows they locked.
  stmt = asNode(
    yield* settleLockingSubselects(core, session, makeNode('DeleteStmt', stmt), {
      snapshot: target.snapshot,
    }),
    'DeleteStmt',
  ) as DeleteStmt;
  const table = target.table;
  const query: CandidateQuery = {
    fromItems: stmt.usingClause ?? [],
    whereClause: stmt.whereClause,
    extra: [],
  };
  const transaction = requireTransaction(session);
  ensureXid(core, session);
  transaction.writtenTables.add(table.oid);
  transaction.commandIdUsed = true;
  const cid = transaction.commandId;
  const deleted: number[] = [];

  for (const candidate of findTargetRows(core, session, target, query)) {
    let tid = Number(candidate[0]);
    for (;;) {
      const header = core.tuples.get(tid) as TupleHeader;
      const decision = yield* heapDeleteDecision(core, session, table, header);
      if (decision.result === 'Ok' && crosscheckFails(core, session, target, header))
        throw serializationFailure('update');
      if (decision.result === 'Ok') {
        header.xmax = decision.newXmax ?? null;
        header.cmax = cid;
        header.next = null;
        core.markHeaderDirty(header);
        deleted.push(tid);
        break;
      }
      if (decision.result === 'SelfModified') {
        if (decision.cmax !== cid) {
          throw PgError.of(
            '27000',
            'tuple to be deleted was already modified by an operation triggered by the current command',
            {
              hint: 'Consider using an AFTER trigger instead of a BEFORE trigger to propagate changes to other rows.',
            },
          );
        }
        break;
      }
      if (decision.result === 'Deleted') {
        if (transaction.usesTransactionSnapshot()) throw serializationFailure('delete');
        break;
      }
      if (decision.result !== 'Updated') throw new Error(`unexpected heap_delete result ${decision.result}`);
      if (transaction.usesTransactionSnapshot()) throw serializationFailure('update');
      const locked = yield* lockRowVersion(core, session, table, tid, RowLockMode.Update, 'block', {
        followUpdates: false,
        findLastVersion: true,
      });
      if (locked.result !== 'Ok') break;
      if (!recheckVersion(core, session, target, query, locked.tid)) break;
      tid = locked.tid;
    }
  }

  yield* fireForeignKeyTriggers(
    core,
    session,
    table,
    deleted.map((tid) => ({ oldTid: tid, newTid: null })),
    runWrite,
  );
  const tag = `DELETE ${deleted.length}`;
  if (returning.length === 0) return commandOk(tag);
  const result = returningRows(core, session, target, returning, deleted, {
    items: stmt.usingClause ?? [],
    whereClause: stmt.whereClause,
    joinedTids: deleted,
  });
  return rowsShown(core.options.maxResultRows, tag, result.fields, result.rows);
}
