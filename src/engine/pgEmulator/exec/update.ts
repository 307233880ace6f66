/**
 * UPDATE: find the target versions through the statement's snapshot; for each, wait for conflicting
 * lockers and updaters (heap_update); under READ COMMITTED follow a concurrent update to the newest
 * version and re-check it (EvalPlanQual), under REPEATABLE READ fail with 40001; then write the new
 * version (PGlite evaluates the SET list), check unique keys, and check foreign keys at the end.
 */
import type { StatementOutcome } from '../api/results';
import type { TableInfo } from '../catalog/catalog';
import type { EngineCore } from '../core';
import { heapColumn } from '../storage/heapCatalog';
import { PgError, serializationFailure, unsupported } from '../errors';
import { quoteIdent } from '../pglite/host';
import { lockRowVersion } from '../rowlocks/lockTuple';
import { heapUpdateDecision, type ModifyDecision } from '../rowlocks/modifyTuple';
import { RowLockMode } from '../tuples/rowLockModes';
import type { Node, ResTarget, UpdateStmt } from '../sql/ast';
import { asNode, makeNode, tagOf, columnRef } from '../sql/ast';
import { deparseExpression, parseExpression } from '../sql/expressions';
import { deparse, type ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import type { TupleHeader } from '../tuples/tupleStore';
import {
  cleanHeapError,
  newVersionStatement,
  registerVersions,
  storedColumns,
  type NewVersion,
} from '../storage/versionWrites';
import { ensureXid, requireTransaction } from '../xact/lifecycle';
import { fireForeignKeyTriggers, type WriteRunner } from './riTriggers';
import {
  findTargetRows,
  crosscheckFails,
  prepareModifyTarget,
  recheckVersion,
  type CandidateQuery,
  type ModifyOptions,
  type ModifyTarget,
} from './modifyTarget';
import { settleLockingSubselects } from './lockingSubselects';
import { commandOk, rowsShown } from './outcome';
import { returningRows } from './returning';
import { versionListRange } from '../storage/versionSources';
import { checkUniqueKeys } from './uniqueCheck';
import { runUserQuery } from './userQuery';

export interface Assignment {
  column: string;
  value: Node;
}

export function assignments(table: TableInfo, stmt: UpdateStmt): Assignment[] {
  const out: Assignment[] = [];
  for (const node of stmt.targetList ?? []) {
    const target = asNode(node, 'ResTarget') as ResTarget;
    if (!target.val || tagOf(target.val) === 'MultiAssignRef') {
      throw unsupported('UPDATE … SET (a, b) = … (assign the columns one by one)');
    }
    if ((target.indirection ?? []).length > 0)
      throw unsupported('UPDATE of array elements or composite fields');
    const column = target.name ?? '';
    if (!table.columns.some((c) => c.name === column)) {
      throw PgError.of('42703', `column "${column}" of relation "${table.name}" does not exist`);
    }
    out.push({ column, value: target.val });
  }
  return out;
}

/** heap_update's key test: every key column the SET list assigns keeps its value. */
export function keyIntactExpression(table: TableInfo, alias: string, sets: readonly Assignment[]): Node {
  const keyColumns = new Set(table.uniqueKeys.flatMap((k) => k.columns));
  const tests = sets
    .filter((s) => keyColumns.has(s.column))
    .map((s) => {
      if (tagOf(s.value) === 'SetToDefault') return 'false';
      const type = table.columns.find((c) => c.name === s.column)?.type ?? 'text';
      return `((${deparseExpression(s.value)})::${type} IS NOT DISTINCT FROM ${quoteIdent(alias)}.${quoteIdent(s.column)})`;
    });
  return parseExpression(tests.length === 0 ? 'true' : tests.join(' AND '));
}

/**
 * Writes the new versions of `oldTids`, in order, in one statement: PGlite evaluates the SET list
 * against each old version (and the FROM items under the statement's snapshot, one joined row per
 * version) and applies PostgreSQL's assignment casts, defaults and constraints.
 */
function writeNewVersions(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  stmt: UpdateStmt,
  sets: readonly Assignment[],
  oldTids: readonly number[],
): NewVersion[] {
  const table = target.table;
  const values = storedColumns(table).map((column) => {
    const set = sets.find((s) => s.column === column.name);
    if (!set) return columnRef(target.alias, column.name);
    if (tagOf(set.value) === 'SetToDefault')
      return parseExpression(heapColumn(core, table, column.name)?.defaultExpression ?? 'NULL');
    return set.value;
  });
  const fromItems = stmt.fromClause ?? [];
  const insert = newVersionStatement(table, {
    values,
    fromClause: [versionListRange(table, target.alias, oldTids), ...fromItems],
    // Without FROM the rows already qualified; with it, WHERE joins them to the FROM items.
    whereClause: fromItems.length > 0 ? stmt.whereClause : undefined,
    orderBy: columnRef(target.alias, '__pg_ord'),
    onePer: fromItems.length > 0,
  });
  let rows: (string | null)[][] | undefined;
  try {
    rows = runUserQuery(core, session, deparse(insert), {
      snapshot: target.snapshot,
      positionOffset: null,
      asEngine: true,
    }).rows;
  } catch (error) {
    throw cleanHeapError(error);
  }
  if (rows?.length !== oldTids.length) throw new Error('the new row versions could not be computed');
  return rows.map((row) => ({ tid: Number(row[0]), size: Number(row[1]) }));
}

export function* executeUpdate(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  stmt: UpdateStmt,
  runWrite: WriteRunner,
  options?: ModifyOptions,
): Task<StatementOutcome> {
  if (!stmt.relation) throw new Error('UPDATE without a target');
  if ((stmt.returningClause?.options ?? []).length > 0) throw unsupported('RETURNING WITH (OLD/NEW …)');
  const returning = stmt.returningClause?.exprs ?? [];
  const target = yield* prepareModifyTarget(core, session, statement, stmt.relation, 'UPDATE', options);
  // Locking sub-selects run first; the statement reads the rows they locked.
  stmt = asNode(
    yield* settleLockingSubselects(core, session, makeNode('UpdateStmt', stmt), {
      snapshot: target.snapshot,
    }),
    'UpdateStmt',
  ) as UpdateStmt;
  const table = target.table;
  const sets = assignments(table, stmt);
  const query: CandidateQuery = {
    fromItems: stmt.fromClause ?? [],
    whereClause: stmt.whereClause,
    extra: [keyIntactExpression(table, target.alias, sets)],
  };
  const transaction = requireTransaction(session);
  ensureXid(core, session);
  transaction.writtenTables.add(table.oid);
  transaction.commandIdUsed = true;
  const cid = transaction.commandId;
  const updated: { oldTid: number; newTid: number }[] = [];
  // Rows that can be updated at once are written together; a row that must wait first writes them.
  let batch: PendingUpdate[] = [];
  const inBatch = new Set<number>();
  const flush = function* (): Task<void> {
    if (batch.length === 0) return;
    const pending = batch;
    batch = [];
    inBatch.clear();
    updated.push(...(yield* applyUpdates(core, session, target, stmt, sets, pending)));
  };

  for (const candidate of findTargetRows(core, session, target, query)) {
    let tid = Number(candidate[0]);
    let keyIntact = candidate[1] === 't';
    // A row joined twice (UPDATE … FROM) is updated once: the second time it is already ours.
    if (inBatch.has(tid)) continue;
    let waited = false;
    for (;;) {
      const header = core.tuples.get(tid) as TupleHeader;
      // A row someone has locked or updated may make us wait: the rows before it are updated first
      // (other sessions see them locked while this statement waits), as row by row.
      if (header.xmax !== null) yield* flush();
      const decision = yield* heapUpdateDecision(core, session, table, header, keyIntact);
      if (decision.result === 'Ok' && crosscheckFails(core, session, target, header))
        throw serializationFailure('update');
      if (decision.result === 'Ok') {
        batch.push({ header, decision, keyIntact });
        inBatch.add(tid);
        // A row that waited is written at once, as PostgreSQL writes it right after the wait.
        if (waited) yield* flush();
        break;
      }
      yield* flush();
      waited = true;
      if (decision.result === 'SelfModified') {
        if (decision.cmax !== cid) throw selfModifiedByTrigger('updated');
        break;
      }
      if (decision.result === 'Deleted') {
        if (transaction.usesTransactionSnapshot()) throw serializationFailure('delete');
        break;
      }
      if (decision.result !== 'Updated') throw new Error(`unexpected heap_update result ${decision.result}`);
      if (transaction.usesTransactionSnapshot()) throw serializationFailure('update');
      const mode = keyIntact ? RowLockMode.NoKeyUpdate : RowLockMode.Update;
      const locked = yield* lockRowVersion(core, session, table, tid, mode, 'block', {
        followUpdates: false,
        findLastVersion: true,
      });
      if (locked.result === 'SelfModified') {
        if ((core.tuples.get(locked.tid)?.cmin ?? cid) !== cid) throw selfModifiedByTrigger('updated');
        break;
      }
      if (locked.result !== 'Ok') break;
      const rechecked = recheckVersion(core, session, target, query, locked.tid);
      if (!rechecked) break;
      tid = locked.tid;
      keyIntact = rechecked[1] === 't';
    }
  }

  yield* flush();
  yield* fireForeignKeyTriggers(core, session, table, updated, runWrite);
  const tag = `UPDATE ${updated.length}`;
  if (returning.length === 0) return commandOk(tag);
  const result = returningRows(
    core,
    session,
    target,
    returning,
    updated.map((u) => u.newTid),
    { items: stmt.fromClause ?? [], whereClause: stmt.whereClause, joinedTids: updated.map((u) => u.oldTid) },
  );
  return rowsShown(core.options.maxResultRows, tag, result.fields, result.rows);
}

/** A row whose heap_update decision is Ok, waiting to be written with others. */
export interface PendingUpdate {
  header: TupleHeader;
  decision: Pick<ModifyDecision, 'newXmax' | 'carriedXmax'>;
  keyIntact: boolean;
}

/**
 * heap_update's writes once the decisions are Ok: the new versions (PGlite evaluates the SET list),
 * the old versions' headers pointing at them, and the unique check of those whose key may have
 * changed. Returns the (old, new) pairs in order.
 */
export function* applyUpdates(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  stmt: UpdateStmt,
  sets: readonly Assignment[],
  pending: readonly PendingUpdate[],
): Task<{ oldTid: number; newTid: number }[]> {
  const table = target.table;
  const transaction = requireTransaction(session);
  const xid = ensureXid(core, session);
  const cid = transaction.commandId;
  const versions = writeNewVersions(
    core,
    session,
    target,
    stmt,
    sets,
    pending.map((p) => p.header.tid),
  );
  const rekeyed: number[] = [];
  const pairs = pending.map(({ header, decision, keyIntact }, i) => {
    const version = versions[i] as NewVersion;
    registerVersions(core, table, [version], xid, cid, {
      preferPage: header.ctid.page,
      xmax: decision.carriedXmax ?? null,
    });
    header.xmax = decision.newXmax ?? null;
    header.cmax = cid;
    header.next = version.tid;
    core.markHeaderDirty(header);
    if (!keyIntact) rekeyed.push(version.tid);
    return { oldTid: header.tid, newTid: version.tid };
  });
  if (rekeyed.length > 0) yield* checkUniqueKeys(core, session, table, rekeyed);
  return pairs;
}

/** heap_update's write for one row (see applyUpdates). */
export function* applyUpdate(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  stmt: UpdateStmt,
  sets: readonly Assignment[],
  header: TupleHeader,
  decision: Pick<ModifyDecision, 'newXmax' | 'carriedXmax'>,
  keyIntact: boolean,
): Task<{ oldTid: number; newTid: number }> {
  const [pair] = yield* applyUpdates(core, session, target, stmt, sets, [{ header, decision, keyIntact }]);
  return pair as { oldTid: number; newTid: number };
}

export function selfModifiedByTrigger(verb: 'updated' | 'deleted'): PgError {
  return PgError.of(
    '27000',
    `tuple to be ${verb} was already modified by an operation triggered by the current command`,
    {
      hint: 'Consider using an AFTER trigger instead of a BEFORE trigger to propagate changes to other rows.',
    },
  );
}
