/**
 * HeapTupleSatisfiesMVCC on an engine tuple header (the same rule the heap views apply in SQL).
 */
import type { TupleHeader } from '../tuples/tupleStore';
import { finishedForSnapshot, type Snapshot } from '../transam/snapshot';
import { isLockOnly, updateXid, type XidOracle } from '../tuples/xmax';

export function visibleInSnapshot(
  header: TupleHeader,
  snapshot: Snapshot,
  oracle: XidOracle,
  curcid = Number.MAX_SAFE_INTEGER,
): boolean {
  const updater = isLockOnly(header.xmax) ? null : updateXid(header.xmax);
  if (oracle.isOwn(header.xmin)) {
    if (header.cmin >= curcid) return false;
    if (updater === null || !oracle.isOwn(updater)) return true;
    return (header.cmax ?? 0) >= curcid;
  }
  if (!finishedForSnapshot(snapshot, header.xmin) || !oracle.committed(header.xmin)) return false;
  if (updater === null || oracle.aborted(updater)) return true;
  if (oracle.isOwn(updater)) return (header.cmax ?? 0) >= curcid;
  return !(finishedForSnapshot(snapshot, updater) && oracle.committed(updater));
}
