/**
 * MVCC snapshots (procarray.c GetSnapshotData) and the visibility rule the engine applies in
 * TypeScript, identical to the one its SQL views apply (heapam_visibility.c HeapTupleSatisfiesMVCC).
 */
import type { Xid } from './xidStatus';

export interface Snapshot {
  /** Smallest xid still running when the snapshot was taken (or xmax if none). */
  xmin: Xid;
  /** latestCompletedXid + 1: every xid at or above it counts as running. */
  xmax: Xid;
  /** Xids (top-level and subtransactions) of other sessions running at snapshot time. */
  xip: Xid[];
}

/** True if, for this snapshot, `xid` (not our own) had finished — committed or aborted — when taken. */
export function finishedForSnapshot(snapshot: Snapshot, xid: Xid): boolean {
  if (xid >= snapshot.xmax) return false;
  if (xid < snapshot.xmin) return true;
  return !snapshot.xip.includes(xid);
}

export function describeSnapshot(snapshot: Snapshot): string {
  return `${snapshot.xmin}:${snapshot.xmax}:${snapshot.xip.join(',')}`;
}
