/**
 * Writes to heap tables: new row versions, deletion marks, and the cleanup after an abort.
 */
import type { TableInfo } from '../catalog/catalog';
import { qualifiedHeap } from './heapLayout';
import type { StorageContext } from './storageContext';
import type { Xid } from '../transam/xidStatus';

function arrayLiteral(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/**
 * After an abort, the aborted xids' row versions are dead for everyone: remove them, and clear the
 * deletion mark they put on older versions (the raw xmax stays, as PostgreSQL's xmax column shows).
 */
export function removeAbortedVersions(
  core: StorageContext,
  tableOids: ReadonlySet<number>,
  xids: readonly Xid[],
): void {
  if (xids.length === 0) return;
  const param = arrayLiteral(xids);
  const steps = [];
  for (const oid of tableOids) {
    const table = core.catalog.get(oid);
    if (!table) continue;
    const heap = qualifiedHeap(table);
    steps.push(
      { sql: `DELETE FROM ${heap} WHERE __xmin = ANY($1::bigint[])`, params: [param] },
      {
        sql: `UPDATE ${heap} SET __xmax = NULL, __cmax = NULL WHERE __xmax = ANY($1::bigint[])`,
        params: [param],
      },
    );
  }
  if (steps.length > 0) core.host.pipeline(steps);
}

/** Removes a version that never became visible to anyone (ON CONFLICT's proposal that lost). */
export function discardVersion(core: StorageContext, table: TableInfo, tid: number): void {
  core.host.pipeline([
    { sql: `DELETE FROM ${qualifiedHeap(table)} WHERE __tid = $1`, params: [String(tid)] },
  ]);
  core.tuples.remove(tid);
}
