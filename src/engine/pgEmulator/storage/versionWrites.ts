/**
 * Registering row versions the engine wrote into a heap: where they land (ctid) and their headers.
 */
import type { TableInfo } from '../catalog/catalog';
import { quoteIdent } from '../pglite/host';
import type { InsertStmt, Node, SelectStmt } from '../sql/ast';
import { columnRef, makeNode, resTarget } from '../sql/ast';
import { parseExpression } from '../sql/expressions';
import type { StorageContext } from './storageContext';
import { PgError } from '../errors';
import type { Xid } from '../transam/xidStatus';
import { HIDDEN_COLUMN_COUNT, TID_COLUMN } from './heapLayout';
import type { RawXmax, TupleHeader } from '../tuples/tupleStore';

/** Bytes a tuple of this data size takes on a page: MAXALIGN'ed tuple plus a 4-byte line pointer. */
export function pageBytes(tupleSize: number): number {
  return Math.ceil(tupleSize / 8) * 8 + 4;
}

export interface NewVersion {
  tid: number;
  /** pg_column_size of the row's user columns as a record (heap tuple length). */
  size: number;
}

/** Places new versions on pages and records their headers; the heap's ctid column follows. */
export function registerVersions(
  core: StorageContext,
  table: TableInfo,
  versions: readonly NewVersion[],
  xmin: Xid,
  cmin: number,
  options: { preferPage?: number | null; xmax?: RawXmax } = {},
): TupleHeader[] {
  return versions.map((version) => {
    const size = pageBytes(version.size);
    const ctid = core.tuples.allocate(table.oid, size, options.preferPage ?? null);
    const header: TupleHeader = {
      tid: version.tid,
      relationOid: table.oid,
      ctid,
      xmin,
      cmin,
      xmax: options.xmax ?? null,
      cmax: null,
      next: null,
      size,
    };
    core.tuples.add(header);
    core.markHeaderDirty(header);
    return header;
  });
}

const HIDDEN_PREFIX = new RegExp(
  `^Failing row contains \\((?:(?:null|-?\\d+|\\(\\d+,\\d+\\))(?:, |(?=\\)))){${HIDDEN_COLUMN_COUNT}}`,
);

/** PostgreSQL's constraint errors list the whole heap row; keep only the user's columns. */
export function cleanHeapError(error: unknown): unknown {
  if (!(error instanceof PgError)) return error;
  const pg = { ...error.pg };
  if (pg.detail) pg.detail = pg.detail.replace(HIDDEN_PREFIX, 'Failing row contains (');
  delete pg.position;
  return new PgError(pg);
}

/** pg_column_size of the user columns as a record: the length of the heap tuple PostgreSQL would store. */
export function rowSizeExpression(table: TableInfo, alias: string): Node {
  const columns = table.columns.map((c) => `${quoteIdent(alias)}.${quoteIdent(c.name)}`);
  return parseExpression(columns.length === 0 ? '24' : `pg_column_size(ROW(${columns.join(', ')}))`);
}

/** How a new version's values are computed: expressions over FROM items, filtered by WHERE. */
export interface NewVersionSource {
  /** One expression per column PostgreSQL stores (generated columns are computed, so left out). */
  values: readonly Node[];
  fromClause: readonly Node[];
  whereClause?: Node | undefined;
  /** Keep at most one row (UPDATE … FROM may join several rows to the old version). */
  limitOne?: boolean;
  /** Order the new versions by this expression … */
  orderBy?: Node;
  /** … and keep one row per value of it (DISTINCT ON): one new version per old one. */
  onePer?: boolean;
}

/** The columns a new version's values are given for, in order (not the generated ones). */
export function storedColumns(table: TableInfo): TableInfo['columns'] {
  return table.columns.filter((c) => !c.generated);
}

/**
 * The statement that writes a new version of a table's row: `INSERT INTO <heap> … SELECT` of the
 * values (PostgreSQL applies its assignment casts, defaults and constraints), returning the new
 * version's tuple id and its size.
 */
export function newVersionStatement(table: TableInfo, source: NewVersionSource): Node {
  const heapName = table.storedAs ?? table.name;
  const select: SelectStmt = {
    targetList: source.values.map((value) => resTarget(value)),
    fromClause: [...source.fromClause],
    limitOption: source.limitOne ? 'LIMIT_OPTION_COUNT' : 'LIMIT_OPTION_DEFAULT',
    op: 'SETOP_NONE',
  };
  if (source.limitOne) select.limitCount = parseExpression('1');
  if (source.orderBy) {
    select.sortClause = [
      makeNode('SortBy', {
        node: source.orderBy,
        sortby_dir: 'SORTBY_DEFAULT',
        sortby_nulls: 'SORTBY_NULLS_DEFAULT',
      }),
    ];
    if (source.onePer) select.distinctClause = [source.orderBy];
  }
  if (source.whereClause) select.whereClause = source.whereClause;
  const insert: InsertStmt = {
    relation: { schemaname: table.heapSchema, relname: heapName, inh: true, relpersistence: 'p' },
    cols: storedColumns(table).map((c) => makeNode('ResTarget', { name: c.name })),
    selectStmt: makeNode('SelectStmt', select),
    override: 'OVERRIDING_SYSTEM_VALUE',
    returningClause: {
      exprs: [resTarget(columnRef(heapName, TID_COLUMN)), resTarget(rowSizeExpression(table, heapName))],
    },
  };
  return makeNode('InsertStmt', insert);
}
