/**
 * INSERT: PGlite runs the learner's INSERT against the heap (defaults, casts, CHECK and NOT NULL are
 * PostgreSQL's own); the engine then places the new versions, checks unique keys row by row (waiting
 * for in-progress inserters) and foreign keys at the end of the statement. ON CONFLICT is handled
 * in onConflict.ts.
 */
import type { ResultField, StatementOutcome } from '../api/results';
import type { TableInfo } from '../catalog/catalog';
import { relationDoesNotExist, resolveRelation } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { PgError, unsupported } from '../errors';
import { LockMode } from '../locks/lockModes';
import type { InsertStmt } from '../sql/ast';
import { asNode, makeNode, type Node } from '../sql/ast';
import { parseExpression } from '../sql/expressions';
import { deparse, type ParsedStatement } from '../sql/parser';
import { quoteIdent } from '../pglite/host';
import type { Session, Task } from '../session/session';
import { cleanHeapError, registerVersions, type NewVersion } from '../storage/versionWrites';
import {
  ensureXid,
  requireTransaction,
  statementSnapshot,
  transactionSnapshotBeforeLocks,
} from '../xact/lifecycle';
import { lockSequencesUsed } from './ddl/sequenceLocks';
import { rejectWriteThroughView } from './ddl/views';
import { checkReferencedRowsExist } from './foreignKeys';
import { executeInsertOnConflict } from './onConflict';
import { rowsOk, commandOk } from './outcome';
import { columnRef, expandStars, resTarget } from './queryBuilding';
import { referencesSystemColumns, withSystemColumns } from './systemColumns';
import { referencedTables } from './referencedTables';
import { lockTable } from './tableLocks';
import { checkUniqueKeys } from './uniqueCheck';
import { runUserQuery } from './userQuery';
import type { Snapshot } from '../transam/snapshot';

/** pg_column_size of the user columns as a record: the length of the heap tuple PostgreSQL would store. */
export function rowSizeExpression(table: TableInfo, alias: string): Node {
  const columns = table.columns.map((c) => `${quoteIdent(alias)}.${quoteIdent(c.name)}`);
  return parseExpression(columns.length === 0 ? '24' : `pg_column_size(ROW(${columns.join(', ')}))`);
}

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
        resTarget(columnRef(alias, '__tid'), '__pg_tid'),
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

export function* executeInsert(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  stmt: InsertStmt,
): Task<StatementOutcome> {
  const target = stmt.relation;
  if (!target) throw new Error('INSERT without a target');
  const table = resolveRelation(core, session, target);
  if (table === 'invisible' || table === undefined) {
    if (table === undefined) rejectWriteThroughView(core, session, target);
    if (table === undefined && (target.relname ?? '').startsWith('pg_'))
      throw unsupported('writing to system catalogs');
    throw relationDoesNotExist(target);
  }
  if (requireTransaction(session).readOnly) {
    throw PgError.of('25006', 'cannot execute INSERT in a read-only transaction');
  }
  transactionSnapshotBeforeLocks(core, session);
  // The target's indexes are locked only to infer ON CONFLICT's arbiter (plancat.c infer_arbiter_indexes).
  yield* lockTable(core, session, table, LockMode.RowExclusive, {
    rangeVar: target,
    indexes: stmt.onConflictClause !== undefined,
  });
  for (const { table: other, rangeVar } of referencedTables(core, session, statement.node)) {
    if (other.oid !== table.oid) yield* lockTable(core, session, other, LockMode.AccessShare, { rangeVar });
  }
  const snapshot = statementSnapshot(core, session);
  yield* lockSequencesUsed(core, session, statement.node);
  ensureXid(core, session);
  if (stmt.onConflictClause) return yield* executeInsertOnConflict(core, session, table, stmt, snapshot);
  const inserted = insertIntoHeap(core, session, table, stmt, snapshot);
  yield* checkUniqueKeys(core, session, table, inserted.tids);
  yield* checkReferencedRowsExist(core, session, table, inserted.tids);
  const tag = `INSERT 0 ${inserted.tids.length}`;
  return inserted.returning
    ? rowsOk(tag, inserted.returning.fields, inserted.returning.rows)
    : commandOk(tag);
}
