/**
 * SELECT (and VALUES, TABLE): table locks first, then the snapshot, then PGlite evaluates the query
 * over the visibility views. Locking reads (FOR UPDATE …) go to lockingSelect.
 */
import type { StatementOutcome } from '../api/results';
import type { EngineCore } from '../core';
import { unsupported } from '../errors';
import type { SelectStmt } from '../sql/ast';
import { walk } from '../sql/walk';
import { deparse, type ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import { statementSnapshot, transactionSnapshotBeforeLocks } from '../xact/lifecycle';
import { lockSequencesUsed } from './ddl/sequenceLocks';
import { executeLockingSelect } from './lockingSelect';
import { settleLockingSubselects } from './lockingSubselects';
import { relationLocks } from './referencedTables';
import { lockTable } from './tableLocks';
import { referencesSystemColumns, withSystemColumns } from './systemColumns';
import { runUserQuery } from './userQuery';

/** Data-modifying CTEs and SELECT INTO write: the engine refuses them in a SELECT. */
function rejectWritingSelect(statement: ParsedStatement): void {
  walk(statement.node, {
    enter(_node, tag) {
      if (tag === 'InsertStmt' || tag === 'UpdateStmt' || tag === 'DeleteStmt' || tag === 'MergeStmt') {
        throw unsupported('data-modifying statements in WITH (write them as separate statements)');
      }
      if (tag === 'IntoClause') throw unsupported('SELECT … INTO (use CREATE TABLE and INSERT … SELECT)');
    },
  });
}

export function* executeSelect(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  select: SelectStmt,
): Task<StatementOutcome> {
  rejectWritingSelect(statement);
  if ((select.lockingClause ?? []).length > 0)
    return yield* executeLockingSelect(core, session, statement, select);
  transactionSnapshotBeforeLocks(core, session);
  for (const { table, rangeVar, mode } of relationLocks(core, session, statement.node)) {
    yield* lockTable(core, session, table, mode, { rangeVar });
  }
  const snapshot = statementSnapshot(core, session);
  yield* lockSequencesUsed(core, session, statement.node);
  const settled = yield* settleLockingSubselects(core, session, statement.node, { snapshot });
  const systemColumns = referencesSystemColumns(settled);
  const node = systemColumns ? withSystemColumns(core, session, settled) : settled;
  const asWritten = !statement.rewritten && !systemColumns && settled === statement.node;
  return runUserQuery(core, session, asWritten ? statement.text : deparse(node), {
    snapshot,
    positionOffset: asWritten ? statement.offset : null,
  });
}
