/**
 * HeapTupleSatisfiesUpdate (heapam_visibility.c): may this command modify or lock the version, is
 * someone else modifying it, or did a committed transaction update or delete it?
 */
import type { TupleHeader } from '../tuples/tupleStore';
import { isLockOnly, isRunning, updateXid, type XidOracle } from '../tuples/xmax';

export type TmResult =
  'Ok' | 'Invisible' | 'SelfModified' | 'Updated' | 'Deleted' | 'BeingModified' | 'WouldBlock';

function updatedOrDeleted(header: TupleHeader): TmResult {
  return header.next !== null ? 'Updated' : 'Deleted';
}

export function satisfiesUpdate(header: TupleHeader, curcid: number, oracle: XidOracle): TmResult {
  const xmax = header.xmax;
  if (oracle.aborted(header.xmin) && !oracle.isOwn(header.xmin)) return 'Invisible';
  if (oracle.isOwn(header.xmin)) {
    if (header.cmin >= curcid) return 'Invisible';
    if (xmax === null) return 'Ok';
    if (isLockOnly(xmax)) return isRunning(xmax, oracle) ? 'BeingModified' : 'Ok';
    const updater = updateXid(xmax) as number;
    if (!oracle.isOwn(updater)) {
      // The updating subtransaction aborted.
      if (xmax.multi) return isRunning(xmax, oracle) ? 'BeingModified' : 'Ok';
      return 'Ok';
    }
    return (header.cmax ?? 0) >= curcid ? 'SelfModified' : 'Invisible';
  }
  if (oracle.inProgress(header.xmin)) return 'Invisible';
  // xmin committed.
  if (xmax === null) return 'Ok';
  if (xmax.multi) {
    if (isLockOnly(xmax)) return isRunning(xmax, oracle) ? 'BeingModified' : 'Ok';
    const updater = updateXid(xmax) as number;
    if (oracle.isOwn(updater)) return (header.cmax ?? 0) >= curcid ? 'SelfModified' : 'Invisible';
    if (isRunning(xmax, oracle)) return 'BeingModified';
    if (oracle.committed(updater)) return updatedOrDeleted(header);
    return 'Ok';
  }
  const member = xmax.member;
  if (oracle.isOwn(member.xid)) {
    if (isLockOnly(xmax)) return 'BeingModified';
    return (header.cmax ?? 0) >= curcid ? 'SelfModified' : 'Invisible';
  }
  if (oracle.inProgress(member.xid)) return 'BeingModified';
  if (oracle.aborted(member.xid)) return 'Ok';
  if (isLockOnly(xmax)) return 'Ok';
  return updatedOrDeleted(header);
}
