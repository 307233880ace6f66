/**
 * SELECT … FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [OF …] [NOWAIT | SKIP LOCKED]: the table
 * locks (RowShareLock on what the clause covers), the snapshot, the locking sub-selects below it,
 * then the query's rows locked as PostgreSQL's LockRows node locks them (lockingQuery.ts).
 */
import type { StatementOutcome } from '../api/results';
import type { EngineCore } from '../core';
import type { SelectStmt } from '../sql/ast';
import { asNode, makeNode } from '../sql/ast';
import type { ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import { statementSnapshot, transactionSnapshotBeforeLocks } from '../xact/lifecycle';
import { rowMarks, runLockingQuery } from './lockingQuery';
import { settleLockingSubselects } from './lockingSubselects';
import { rowsShown } from './outcome';
import { relationLocks } from './referencedTables';
import { refuseHiddenColumns } from './systemColumns';
import { lockTable } from './tableLocks';

export function* executeLockingSelect(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  select: SelectStmt,
): Task<StatementOutcome> {
  refuseHiddenColumns(statement.node);
  // Parse analysis checks the locking clause before it locks anything.
  rowMarks(core, session, select);
  transactionSnapshotBeforeLocks(core, session);
  for (const { table, rangeVar, mode } of relationLocks(core, session, statement.node)) {
    yield* lockTable(core, session, table, mode, { rangeVar });
  }
  const snapshot = statementSnapshot(core, session);
  const settled = yield* settleLockingSubselects(core, session, makeNode('SelectStmt', select), { snapshot });
  const result = yield* runLockingQuery(core, session, asNode(settled, 'SelectStmt') as SelectStmt, {
    snapshot,
  });
  return rowsShown(core.options.maxResultRows, `SELECT ${result.rows.length}`, result.fields, result.rows);
}
