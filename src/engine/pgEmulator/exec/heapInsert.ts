/**
 * Running a learner's INSERT (or ON CONFLICT's proposed rows) against the heap: PGlite evaluates the
 * VALUES or query, defaults, casts, CHECK and NOT NULL; the engine registers the new versions.
 */
import type { ResultField } from '../api/results';
import type { TableInfo } from '../catalog/catalog';
import type { EngineCore } from '../core';
import { unsupported } from '../errors';
import type { InsertStmt, Node } from '../sql/ast';
import { asNode, columnRef, makeNode, resTarget } from '../sql/ast';
import { parseExpression } from '../sql/expressions';
import { deparse } from '../sql/parser';
import type { Session } from '../session/session';
import { TID_COLUMN } from '../storage/heapLayout';
import {
  cleanHeapError,
  registerVersions,
  rowSizeExpression,
  type NewVersion,
} from '../storage/versionWrites';
import type { Snapshot } from '../transam/snapshot';
import { ensureXid, requireTransaction } from '../xact/lifecycle';
import { expandStars } from './queryBuilding';
import { referencesSystemColumns, withSystemColumns } from './systemColumns';
import { runUserQuery } from './userQuery';

/** How many columns an INSERT's VALUES list or query provides (null: more than the table has). */
function providedValueCount(
  core: EngineCore,
  session: Session,
  source: Node,
  snapshot: Snapshot,
): number | null {
  const select = asNode(source, 'SelectStmt');
  if (select?.valuesLists) {
    return Math.max(0, ...select.valuesLists.map((row) => asNode(row, 'List')?.items?.length ?? 0));
  }
  const probe = makeNode('SelectStmt', {
    targetList: [resTarget(makeNode('ColumnRef', { fields: [makeNode('A_Star', {})] }))],
    fromClause: [makeNode('RangeSubselect', { subquery: source, alias: { aliasname: 'provided' } })],
    limitCount: parseExpression('0'),
    limitOption: 'LIMIT_OPTION_COUNT',
    op: 'SETOP_NONE',
  });
  const outcome = runUserQuery(core, session, deparse(probe), {
    snapshot,
    positionOffset: null,
    asEngine: true,
  });
  return outcome.fields?.length ?? null;
}

export interface InsertedRows {
  tids: number[];
  versions: NewVersion[];
  /** The RETURNING rows (without the engine's own columns), if the statement has RETURNING. */
  returning: { fields: ResultField[]; rows: (string | null)[][] } | null;
}

/**
 * Runs the INSERT against the heap and registers the versions it created (in insertion order).
 * Extra engine columns come first in RETURNING: the version id and its tuple size.
 */
export function insertIntoHeap(
  core: EngineCore,
  session: Session,
  table: TableInfo,
  stmt: InsertStmt,
  snapshot: Snapshot,
  options: { register: boolean } = { register: true },
): InsertedRows {
  const alias = stmt.relation?.alias?.aliasname ?? table.storedAs ?? table.name;
  const returning = stmt.returningClause?.exprs ?? [];
  if ((stmt.returningClause?.options ?? []).length > 0) throw unsupported('RETURNING WITH (OLD/NEW …)');
  // PGlite's heap would answer with its own ctid and xmin, not the engine's: refused, not wrong.
  if (returning.some((target) => referencesSystemColumns(target))) {
    throw unsupported('system columns (ctid, xmin, …) in INSERT … RETURNING');
  }
  // A source query naming system columns reads user tables through their `_sys` views, like a SELECT.
  const sourceReadsSystemColumns = stmt.selectStmt !== undefined && referencesSystemColumns(stmt.selectStmt);
  if (sourceReadsSystemColumns && stmt.withClause) {
    throw unsupported('system columns (ctid, xmin, …) in INSERT … SELECT with a WITH clause');
  }
  const source =
    sourceReadsSystemColumns && stmt.selectStmt
      ? withSystemColumns(core, session, stmt.selectStmt)
      : stmt.selectStmt;
  const userReturning = expandStars(
    returning,
    [makeNode('RangeVar', { relname: alias })],
    new Map([[alias, table]]),
  );
  // Without a column list, values go to the user's leading columns in order (never to the hidden header).
  const cols =
    (stmt.cols ?? []).length > 0 || !source
      ? stmt.cols
      : table.columns
          .slice(0, providedValueCount(core, session, source, snapshot) ?? table.columns.length)
          .map((c) => makeNode('ResTarget', { name: c.name }));
  const heapStmt: InsertStmt = {
    ...stmt,
    ...(source ? { selectStmt: source } : {}),
    cols,
    relation: { ...stmt.relation, schemaname: table.heapSchema, relname: table.storedAs ?? table.name },
    returningClause: {
      exprs: [
        resTarget(columnRef(alias, TID_COLUMN), '__pg_tid'),
        resTarget(rowSizeExpression(table, alias), '__pg_size'),
        ...userReturning,
      ],
    },
  };
  delete heapStmt.onConflictClause;
  let outcome;
  try {
    outcome = runUserQuery(core, session, deparse(makeNode('InsertStmt', heapStmt)), {
      snapshot,
      positionOffset: null,
      asEngine: true,
    });
  } catch (error) {
    throw cleanHeapError(error);
  }
  const transaction = requireTransaction(session);
  const rows = outcome.rows ?? [];
  const versions = rows.map((row) => ({ tid: Number(row[0]), size: Number(row[1]) }));
  if (options.register)
    registerVersions(core, table, versions, ensureXid(core, session), transaction.commandId);
  transaction.writtenTables.add(table.oid);
  transaction.commandIdUsed = true;
  return {
    tids: versions.map((v) => v.tid),
    versions,
    returning:
      returning.length > 0
        ? { fields: (outcome.fields ?? []).slice(2), rows: rows.map((r) => r.slice(2)) }
        : null,
  };
}
