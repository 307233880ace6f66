/**
 * A query with FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [OF …] [NOWAIT | SKIP LOCKED], run as
 * PostgreSQL's LockRows node runs it: rows come from the statement's snapshot in output order; each
 * row's tuples are locked in rowmark order; under READ COMMITTED a row whose tuple was updated is
 * re-checked on the newest version (EvalPlanQual); LIMIT and OFFSET count only rows that survive.
 */
import type { ResultField } from '../api/results';
import type { TableInfo } from '../catalog/catalog';
import { relationDoesNotExist, resolveRelation } from '../catalog/resolve';
import { resolveView } from './ddl/viewCatalog';
import type { EngineCore } from '../core';
import { PgError, serializationFailure, unsupported } from '../errors';
import { lockRowVersion, type WaitPolicy } from '../rowlocks/lockTuple';
import type { RowLockMode } from '../tuples/rowLockModes';
import { rowLockModeFromStrength } from '../tuples/rowLockModes';
import type { LockingClause, Node, RangeVar, SelectStmt } from '../sql/ast';
import { asNode, makeNode, columnRef, resTarget } from '../sql/ast';
import { deparse } from '../sql/parser';
import type { Session, Task } from '../session/session';
import type { Snapshot } from '../transam/snapshot';
import { requireTransaction } from '../xact/lifecycle';
import { baseRangeVars, referenceName } from './queryBuilding';
import { singleVersionRange, sysRange } from '../storage/versionSources';
import { replaceTableSources, type SourcePicker } from './sourceReplacement';
import { referencesSystemColumns, SYSTEM_COLUMNS_PURPOSE, systemColumnSource } from './systemColumns';
import { describeColumns } from './typedRows';
import { runUserQuery } from './userQuery';

interface RowMark {
  rangeVar: RangeVar;
  table: TableInfo;
  name: string;
  mode: RowLockMode;
  policy: WaitPolicy;
}

const POLICY_STRENGTH: Record<WaitPolicy, number> = { block: 0, skip: 1, error: 2 };

function policyOf(clause: LockingClause): WaitPolicy {
  if (clause.waitPolicy === 'LockWaitError') return 'error';
  if (clause.waitPolicy === 'LockWaitSkip') return 'skip';
  return 'block';
}

function clauseName(clause: LockingClause): string {
  switch (clause.strength) {
    case 'LCS_FORKEYSHARE':
      return 'FOR KEY SHARE';
    case 'LCS_FORSHARE':
      return 'FOR SHARE';
    case 'LCS_FORNOKEYUPDATE':
      return 'FOR NO KEY UPDATE';
    default:
      return 'FOR UPDATE';
  }
}

/** CheckSelectLocking: query shapes PostgreSQL refuses with a locking clause. */
function checkSelectLocking(select: SelectStmt, clause: LockingClause): void {
  const name = clauseName(clause);
  const fail = (what: string): never => {
    throw PgError.of('0A000', `${name} is not allowed with ${what}`);
  };
  if (select.op && select.op !== 'SETOP_NONE') fail('UNION/INTERSECT/EXCEPT');
  if ((select.distinctClause ?? []).length > 0) fail('DISTINCT clause');
  if ((select.groupClause ?? []).length > 0) fail('GROUP BY clause');
  if (select.havingClause) fail('HAVING clause');
  if ((select.windowClause ?? []).length > 0) fail('window functions');
}

export function rowMarks(core: EngineCore, session: Session, select: SelectStmt): RowMark[] {
  const bases = baseRangeVars(select.fromClause ?? []);
  const cteNamesInScope = new Set(
    (select.withClause?.ctes ?? []).map((c) => asNode(c, 'CommonTableExpr')?.ctename ?? ''),
  );
  const marks: RowMark[] = [];
  for (const clauseNode of select.lockingClause ?? []) {
    const clause = asNode(clauseNode, 'LockingClause') as LockingClause;
    checkSelectLocking(select, clause);
    const mode = rowLockModeFromStrength(clause.strength ?? 'LCS_FORUPDATE');
    const policy = policyOf(clause);
    const named = (clause.lockedRels ?? []).map((n) => asNode(n, 'RangeVar') as RangeVar);
    const targets: RangeVar[] =
      named.length === 0
        ? bases
        : named.map((rel) => {
            const match = bases.find((b) => referenceName(b) === rel.relname);
            if (!match) {
              throw PgError.of(
                '42P01',
                `relation "${rel.relname}" in ${clauseName(clause)} clause not found in FROM clause`,
              );
            }
            return match;
          });
    for (const rangeVar of targets) {
      const existing = marks.find((m) => m.rangeVar === rangeVar);
      if (existing) {
        if (mode > existing.mode) existing.mode = mode;
        if (POLICY_STRENGTH[policy] > POLICY_STRENGTH[existing.policy]) existing.policy = policy;
        continue;
      }
      const table = resolveRelation(core, session, rangeVar);
      if (table === 'invisible') throw relationDoesNotExist(rangeVar);
      if (!table) {
        // A view, a CTE or a function in FROM: PostgreSQL locks what is below; the engine cannot.
        const view = resolveView(core, session, rangeVar);
        const isCte = !rangeVar.schemaname && cteNamesInScope.has(rangeVar.relname ?? '');
        if (view === undefined && !isCte && !rangeVar.relname?.startsWith('pg_'))
          throw relationDoesNotExist(rangeVar);
        throw unsupported(
          `${clauseName(clause)} on "${referenceName(rangeVar)}" (only tables can be locked by the playground)`,
        );
      }
      marks.push({ rangeVar, table, name: referenceName(rangeVar), mode, policy });
    }
  }
  return marks;
}

export interface LockingRunOptions {
  snapshot: Snapshot;
  params?: readonly (string | null)[];
  /** CONTEXT line added to errors raised by the query (the RI checks' `SQL statement "…"`). */
  context?: string;
  /** Stop after this many rows: how far the consumer reads (a scalar sub-select reads two). */
  maxRows?: number | undefined;
  /** Also say each column's SQL type (format_type with its modifier). */
  withTypes?: boolean;
}

export interface LockingRunResult {
  fields: ResultField[];
  rows: (string | null)[][];
  /** Each column's SQL type, e.g. `character varying(10)` (with `withTypes`). */
  types?: string[];
}

function constantValue(
  core: EngineCore,
  session: Session,
  node: Node | undefined,
  snapshot: Snapshot,
): number | null {
  if (!node) return null;
  if (asNode(node, 'A_Const')?.isnull) return null;
  const outcome = runUserQuery(core, session, `SELECT (${deparse(node)})::bigint`, {
    snapshot,
    positionOffset: null,
  });
  const value = outcome.rows?.[0]?.[0];
  return value === null || value === undefined ? null : Number(value);
}

/** Runs a SELECT with a locking clause and returns the rows that survived locking. */
export function* runLockingQuery(
  core: EngineCore,
  session: Session,
  select: SelectStmt,
  options: LockingRunOptions,
): Task<LockingRunResult> {
  const marks = rowMarks(core, session, select);
  const isolationUsesSnapshot = requireTransaction(session).usesTransactionSnapshot();
  const limit = constantValue(core, session, select.limitCount, options.snapshot);
  const offset = constantValue(core, session, select.limitOffset, options.snapshot) ?? 0;
  // Locked tables are read through the engine's sources; with system columns, every user table is.
  const otherTables = referencesSystemColumns(makeNode('SelectStmt', select))
    ? systemColumnSource(core, session)
    : null;
  const build = (versions: Map<RangeVar, number> | null): string => {
    const replacements = new Map<RangeVar, Node>();
    for (const mark of marks) {
      const tid = versions?.get(mark.rangeVar);
      replacements.set(
        mark.rangeVar,
        tid === undefined ? sysRange(mark.table, mark.name) : singleVersionRange(mark.table, mark.name, tid),
      );
    }
    const pick: SourcePicker = (rangeVar, cteNames) => {
      const mark = marks.find((m) => m.rangeVar === rangeVar);
      if (mark) return { table: mark.table, source: replacements.get(rangeVar) as Node };
      return otherTables ? otherTables(rangeVar, cteNames) : null;
    };
    const rewritten = asNode(
      replaceTableSources(
        makeNode('SelectStmt', select),
        pick,
        otherTables ? SYSTEM_COLUMNS_PURPOSE : 'with a locking clause (FOR UPDATE …)',
      ),
      'SelectStmt',
    ) as SelectStmt;
    const targets = [
      ...(rewritten.targetList ?? []),
      ...marks.map((mark, i) => resTarget(columnRef(mark.name, '__pg_tid'), `__lock_${i}`)),
    ];
    const query: SelectStmt = { ...rewritten, targetList: targets };
    delete query.lockingClause;
    delete query.limitCount;
    delete query.limitOffset;
    query.limitOption = 'LIMIT_OPTION_DEFAULT';
    return deparse(makeNode('SelectStmt', query));
  };
  const run = (
    versions: Map<RangeVar, number> | null,
  ): { fields: ResultField[]; rows: (string | null)[][] } => {
    const outcome = runUserQuery(core, session, build(versions), {
      snapshot: options.snapshot,
      positionOffset: null,
      asEngine: true,
      params: options.params ?? [],
    });
    return { fields: outcome.fields ?? [], rows: outcome.rows ?? [] };
  };

  try {
    const candidates = run(null);
    const width = candidates.fields.length - marks.length;
    const out: (string | null)[][] = [];
    let skipped = 0;
    const enough = Math.min(limit ?? Number.POSITIVE_INFINITY, options.maxRows ?? Number.POSITIVE_INFINITY);
    rows: for (const row of candidates.rows) {
      if (out.length >= enough) break;
      const locked = new Map<RangeVar, number>();
      let traversed = false;
      for (let i = 0; i < marks.length; i++) {
        const mark = marks[i] as RowMark;
        const tidText = row[width + i];
        if (tidText === null || tidText === undefined) continue;
        const outcome = yield* lockRowVersion(
          core,
          session,
          mark.table,
          Number(tidText),
          mark.mode,
          mark.policy,
          {
            followUpdates: true,
            findLastVersion: !isolationUsesSnapshot,
          },
        );
        switch (outcome.result) {
          case 'Ok':
            locked.set(mark.rangeVar, outcome.tid);
            if (outcome.traversed) traversed = true;
            break;
          case 'WouldBlock':
          case 'SelfModified':
            continue rows;
          case 'Updated':
          case 'Deleted':
            if (isolationUsesSnapshot) throw serializationFailure('update');
            continue rows;
          default:
            throw new Error(`unexpected row lock result ${outcome.result}`);
        }
      }
      let values = row.slice(0, width);
      if (traversed) {
        const rechecked = run(locked).rows[0];
        if (!rechecked) continue;
        values = rechecked.slice(0, width);
      }
      if (skipped < offset) {
        skipped++;
        continue;
      }
      out.push(values);
    }
    const result: LockingRunResult = { fields: candidates.fields.slice(0, width), rows: out };
    if (options.withTypes)
      result.types = describeColumns(core, session, build(null))
        .slice(0, width)
        .map((column) => column.type);
    return result;
  } catch (error) {
    if (error instanceof PgError && options.context) throw error.withContext(options.context);
    throw error;
  }
}
