/**
 * Tuple headers change in the engine (a lock, an update, an abort's cleanup) and the heap tables in
 * PGlite mirror what their visibility views read: the updater xmax, cmax, the raw xmax PostgreSQL's
 * xmax column shows, and ctid. Changed headers are collected and written before PGlite's next query,
 * one statement per table.
 */
import type { Catalog } from '../catalog/catalog';
import type { PipelineStep } from '../pglite/wire';
import type { XidStatus } from '../transam/xidStatus';
import type { TupleHeader } from '../tuples/tupleStore';
import { displayXmax, isLockOnly, updateXid } from '../tuples/xmax';
import { qualifiedHeap } from './heapLayout';

export class HeaderFlush {
  private readonly dirty = new Set<TupleHeader>();

  /** Records that a version's header changed; it is written before PGlite's next query. */
  mark(header: TupleHeader): void {
    this.dirty.add(header);
  }

  /** The statements that write the changed headers to their heaps (one per table); clears the list. */
  steps(catalog: Catalog, xids: XidStatus): PipelineStep[] {
    if (this.dirty.size === 0) return [];
    const byTable = new Map<number, TupleHeader[]>();
    for (const header of this.dirty) {
      const list = byTable.get(header.relationOid) ?? [];
      list.push(header);
      byTable.set(header.relationOid, list);
    }
    this.dirty.clear();
    const steps: PipelineStep[] = [];
    for (const [oid, headers] of byTable) {
      const table = catalog.get(oid);
      if (!table) continue;
      const updater = (h: TupleHeader): string => {
        const xid = isLockOnly(h.xmax) ? null : updateXid(h.xmax);
        return xid === null || xids.state(xid) === 'aborted' ? 'NULL' : String(xid);
      };
      steps.push({
        sql: `UPDATE ${qualifiedHeap(table)} h SET __xmax = v.xmax, __cmax = v.cmax, __xmax_raw = v.raw, __ctid = v.ctid
              FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::bigint[], $5::tid[]) AS v(tid, xmax, cmax, raw, ctid) WHERE h.__tid = v.tid`,
        params: [
          `{${headers.map((h) => h.tid).join(',')}}`,
          `{${headers.map(updater).join(',')}}`,
          `{${headers.map((h) => (h.cmax === null ? 'NULL' : String(h.cmax))).join(',')}}`,
          `{${headers.map((h) => String(displayXmax(h.xmax) ?? 'NULL')).join(',')}}`,
          `{${headers.map((h) => `"(${h.ctid.page},${h.ctid.offset})"`).join(',')}}`,
        ],
      });
    }
    return steps;
  }

  clear(): void {
    this.dirty.clear();
  }
}
