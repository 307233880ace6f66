/**
 * The check that PGlite's heap tables mirror the tuple headers the engine keeps: the same versions,
 * with the same xmin, cmin, updater xmax and ctid.
 */
import type { Catalog } from '../catalog/catalog';
import type { SqlHost } from '../pglite/host';
import { isLockOnly, updateXid } from '../tuples/xmax';
import type { XidStatus } from '../transam/xidStatus';
import { formatItemPointer, type TupleStore } from '../tuples/tupleStore';
import { qualifiedHeap } from './heapLayout';

export interface HeapMirrorState {
  readonly catalog: Catalog;
  readonly host: SqlHost;
  readonly tuples: TupleStore;
  readonly xids: XidStatus;
}

/** Where a heap's rows differ from the headers (empty when they mirror them exactly). */
export function heapMirrorProblems(state: HeapMirrorState): string[] {
  const problems: string[] = [];
  for (const table of state.catalog.all()) {
    const rows = state.host.rows(
      `SELECT __tid, __xmin, __cmin, __xmax, __ctid::text FROM ${qualifiedHeap(table)}`,
    );
    const headers = state.tuples.versionsOf(table.oid);
    if (rows.length !== headers.length)
      problems.push(`${table.name}: ${rows.length} heap rows, ${headers.length} headers`);
    for (const [tid, xmin, cmin, xmax, ctid] of rows) {
      const header = state.tuples.get(Number(tid));
      if (!header) {
        problems.push(`${table.name}: heap row ${tid} has no header`);
        continue;
      }
      const updater = isLockOnly(header.xmax) ? null : updateXid(header.xmax);
      const expectedXmax =
        updater === null || state.xids.state(updater) === 'aborted' ? null : String(updater);
      const expectedCtid = formatItemPointer(header.ctid);
      if (
        String(header.xmin) !== xmin ||
        String(header.cmin) !== cmin ||
        expectedXmax !== xmax ||
        expectedCtid !== ctid
      ) {
        problems.push(
          `${table.name}: heap row ${tid} (${xmin},${cmin},${xmax},${ctid}) ≠ header (${header.xmin},${header.cmin},${expectedXmax},${expectedCtid})`,
        );
      }
    }
  }
  return problems;
}
