/**
 * What UPDATE, DELETE and MERGE share: resolving and locking the target table, and the query that
 * finds the target rows (through the statement's snapshot) or re-checks one newer version
 * (EvalPlanQual).
 */
import type { TableInfo } from '../catalog/catalog';
import { relationDoesNotExist, resolveRelation } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { PgError, unsupported } from '../errors';
import { LockMode } from '../locks/lockModes';
import type { Node, RangeVar, SelectStmt } from '../sql/ast';
import { makeNode, columnRef, resTarget } from '../sql/ast';
import { deparse, type ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import type { Snapshot } from '../transam/snapshot';
import type { TupleHeader } from '../tuples/tupleStore';
import { visibleInSnapshot } from '../rowlocks/snapshotVisibility';
import { xidOracle } from '../rowlocks/xidOracle';
import { requireTransaction, statementSnapshot, transactionSnapshotBeforeLocks } from '../xact/lifecycle';
import { lockSequencesUsed } from './ddl/sequenceLocks';
import { rejectWriteThroughView } from './ddl/views';
import { referenceName } from './queryBuilding';
import { singleVersionRange, sysRange } from '../storage/versionSources';
import { relationLocks } from './referencedTables';
import { lockTable, lockTargetTable } from './tableLocks';
import { runUserQuery } from './userQuery';

export interface ModifyTarget {
  table: TableInfo;
  rangeVar: RangeVar;
  /** The name the statement uses for the target (alias or table name). */
  alias: string;
  snapshot: Snapshot;
  /**
   * A row the statement changes must also be visible to this snapshot, or the change fails with
   * 40001 (the crosscheck snapshot of RI actions under REPEATABLE READ, ri_PerformCheck).
   */
  crosscheck: Snapshot | null;
}

/** How an engine-built write (a referential action) runs: its own snapshots. */
export interface ModifyOptions {
  snapshot: Snapshot;
  crosscheck: Snapshot | null;
}

/** The crosscheck: PostgreSQL's heap_update / heap_delete treat such a row as concurrently updated. */
export function crosscheckFails(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  header: TupleHeader,
): boolean {
  return (
    target.crosscheck !== null && !visibleInSnapshot(header, target.crosscheck, xidOracle(core, session))
  );
}

/** Resolves the target, takes RowExclusiveLock on it and AccessShareLock on the other tables read. */
export function* prepareModifyTarget(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  rangeVar: RangeVar,
  verb: 'UPDATE' | 'DELETE' | 'MERGE',
  options?: ModifyOptions,
): Task<ModifyTarget> {
  if (rangeVar.inh === false) throw unsupported(`${verb} ONLY`);
  const named = resolveRelation(core, session, rangeVar);
  if (named === 'invisible' || named === undefined) {
    if (named === undefined) rejectWriteThroughView(core, session, rangeVar);
    if (named === undefined && (rangeVar.relname ?? '').startsWith('pg_'))
      throw unsupported('writing to system catalogs');
    throw relationDoesNotExist(rangeVar);
  }
  if (requireTransaction(session).readOnly)
    throw PgError.of('25006', `cannot execute ${verb} in a read-only transaction`);
  transactionSnapshotBeforeLocks(core, session);
  const table = yield* lockTargetTable(core, session, named, LockMode.RowExclusive, { rangeVar });
  for (const { table: other, rangeVar: otherVar, mode } of relationLocks(
    core,
    session,
    statement.node,
    rangeVar,
  )) {
    yield* lockTable(core, session, other, mode, { rangeVar: otherVar });
  }
  const snapshot = options?.snapshot ?? statementSnapshot(core, session);
  yield* lockSequencesUsed(core, session, statement.node);
  return {
    table,
    rangeVar,
    alias: referenceName(rangeVar),
    snapshot,
    crosscheck: options?.crosscheck ?? null,
  };
}

export interface CandidateQuery {
  fromItems: readonly Node[];
  whereClause: Node | undefined;
  /** Extra expressions computed per target row (after the version id). */
  extra: readonly Node[];
}

function candidateSelect(target: ModifyTarget, query: CandidateQuery, targetSource: Node): string {
  const select: SelectStmt = {
    targetList: [
      resTarget(columnRef(target.alias, '__pg_tid'), '__pg_tid'),
      ...query.extra.map((e, i) => resTarget(e, `__pg_extra${i}`)),
    ],
    fromClause: [targetSource, ...query.fromItems],
    limitOption: 'LIMIT_OPTION_DEFAULT',
    op: 'SETOP_NONE',
  };
  if (query.whereClause) select.whereClause = query.whereClause;
  return deparse(makeNode('SelectStmt', select));
}

/** The target rows visible to the statement's snapshot: [version id, …extra] per row. */
export function findTargetRows(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  query: CandidateQuery,
): (string | null)[][] {
  const sql = candidateSelect(target, query, sysRange(target.table, target.alias));
  return (
    runUserQuery(core, session, sql, { snapshot: target.snapshot, positionOffset: null, asEngine: true })
      .rows ?? []
  );
}

/** EvalPlanQual: does the given (newer) version still qualify? Returns its row, or null. */
export function recheckVersion(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  query: CandidateQuery,
  tid: number,
): (string | null)[] | null {
  const sql = candidateSelect(target, query, singleVersionRange(target.table, target.alias, tid));
  const rows =
    runUserQuery(core, session, sql, { snapshot: target.snapshot, positionOffset: null, asEngine: true })
      .rows ?? [];
  return rows[0] ?? null;
}
