/**
 * Registering row versions the engine wrote into a heap: where they land (ctid) and their headers.
 */
import type { TableInfo } from '../catalog/catalog';
import type { EngineCore } from '../core';
import { PgError } from '../errors';
import type { Xid } from '../transam/xidStatus';
import { HIDDEN_COLUMN_COUNT } from './heapLayout';
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
  core: EngineCore,
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
