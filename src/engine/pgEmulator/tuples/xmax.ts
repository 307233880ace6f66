/**
 * Reading and computing a tuple's raw xmax the way heapam.c does: lock-only or updater, the
 * KEYS_UPDATED bit, MultiXact membership and conflicts, and compute_new_xmax_infomask.
 */
import { MemberStatus, type RawXmax, type XmaxMember } from './tupleStore';
import type { Xid } from '../transam/xidStatus';
import { RowLockMode, rowLocksConflict } from './rowLockModes';

/** What the xmax logic needs to know about transactions, from one session's point of view. */
export interface XidOracle {
  /** TransactionIdIsCurrentTransactionId: our top xid or a not-aborted subtransaction xid. */
  isOwn(xid: Xid): boolean;
  /** TransactionIdIsInProgress (own xids count as in progress). */
  inProgress(xid: Xid): boolean;
  committed(xid: Xid): boolean;
  aborted(xid: Xid): boolean;
  /** A fresh MultiXact id. */
  newMultiXactId(): number;
}

export function isUpdateStatus(status: MemberStatus): boolean {
  return status > MemberStatus.ForUpdate;
}

/** MultiXactStatusLock: the lock strength a member status stands for. */
export function lockModeOfStatus(status: MemberStatus): RowLockMode {
  switch (status) {
    case MemberStatus.ForKeyShare:
      return RowLockMode.KeyShare;
    case MemberStatus.ForShare:
      return RowLockMode.Share;
    case MemberStatus.ForNoKeyUpdate:
    case MemberStatus.NoKeyUpdate:
      return RowLockMode.NoKeyUpdate;
    case MemberStatus.ForUpdate:
    case MemberStatus.Update:
      return RowLockMode.Update;
  }
}

/** get_mxact_status_for_lock. */
export function statusFor(mode: RowLockMode, isUpdate: boolean): MemberStatus {
  if (isUpdate) {
    if (mode === RowLockMode.NoKeyUpdate) return MemberStatus.NoKeyUpdate;
    if (mode === RowLockMode.Update) return MemberStatus.Update;
    throw new Error(`invalid lock tuple mode ${mode}/update`);
  }
  switch (mode) {
    case RowLockMode.KeyShare:
      return MemberStatus.ForKeyShare;
    case RowLockMode.Share:
      return MemberStatus.ForShare;
    case RowLockMode.NoKeyUpdate:
      return MemberStatus.ForNoKeyUpdate;
    case RowLockMode.Update:
      return MemberStatus.ForUpdate;
  }
}

export function members(xmax: RawXmax): readonly XmaxMember[] {
  if (xmax === null) return [];
  return xmax.multi ? xmax.members : [xmax.member];
}

/** HEAP_XMAX_LOCK_ONLY: no member is an updater. */
export function isLockOnly(xmax: RawXmax): boolean {
  return members(xmax).every((m) => !isUpdateStatus(m.status));
}

/** HEAP_KEYS_UPDATED: a key-changing update, a delete, or a FOR UPDATE lock. */
export function keysUpdated(xmax: RawXmax): boolean {
  return members(xmax).some((m) => m.status === MemberStatus.ForUpdate || m.status === MemberStatus.Update);
}

/** The strongest lock strength among members (GetMultiXactIdHintBits), or of the single xid. */
function strongest(xmax: RawXmax): RowLockMode | null {
  let best: RowLockMode | null = null;
  for (const m of members(xmax)) {
    const mode = lockModeOfStatus(m.status);
    if (best === null || mode > best) best = mode;
  }
  return best;
}

/** HEAP_XMAX_IS_KEYSHR_LOCKED: the lock bits say KEY SHARE only. */
export function isKeyShareLocked(xmax: RawXmax): boolean {
  return strongest(xmax) === RowLockMode.KeyShare;
}

/** HEAP_XMAX_IS_EXCL_LOCKED: the lock bits say exclusive (NO KEY UPDATE or UPDATE strength). */
export function isExclusiveLocked(xmax: RawXmax): boolean {
  const mode = strongest(xmax);
  return mode === RowLockMode.NoKeyUpdate || mode === RowLockMode.Update;
}

/** HEAP_XMAX_IS_SHR_LOCKED / SHR or EXCL: at least FOR SHARE strength. */
export function isShareOrStrongerLocked(xmax: RawXmax): boolean {
  const mode = strongest(xmax);
  return mode !== null && mode >= RowLockMode.Share;
}

/** HeapTupleHeaderGetUpdateXid: the updating or deleting xid, if any member updates. */
export function updateXid(xmax: RawXmax): Xid | null {
  const updater = members(xmax).find((m) => isUpdateStatus(m.status));
  return updater ? updater.xid : null;
}

/** MultiXactIdIsRunning. */
export function isRunning(xmax: RawXmax, oracle: XidOracle): boolean {
  return members(xmax).some((m) => oracle.isOwn(m.xid) || oracle.inProgress(m.xid));
}

/** HeapTupleHeaderIsOnlyLocked: lock-only, or its updater aborted. */
export function isOnlyLocked(xmax: RawXmax, oracle: XidOracle): boolean {
  if (xmax === null || isLockOnly(xmax)) return true;
  const updater = updateXid(xmax) as Xid;
  return !oracle.isOwn(updater) && !oracle.inProgress(updater) && !oracle.committed(updater);
}

/** DoesMultiXactIdConflict (also used for a single xid): does another member conflict with `mode`? */
export function doesConflict(
  xmax: RawXmax,
  mode: RowLockMode,
  oracle: XidOracle,
): { conflict: boolean; currentIsMember: boolean } {
  let conflict = false;
  let currentIsMember = false;
  for (const member of members(xmax)) {
    if (oracle.isOwn(member.xid)) {
      currentIsMember = true;
      continue;
    }
    if (!rowLocksConflict(lockModeOfStatus(member.status), mode)) continue;
    if (isUpdateStatus(member.status)) {
      if (!oracle.aborted(member.xid)) conflict = true;
    } else if (oracle.inProgress(member.xid)) conflict = true;
  }
  return { conflict, currentIsMember };
}

function multi(oracle: XidOracle, list: XmaxMember[]): RawXmax {
  return { multi: true, id: oracle.newMultiXactId(), members: list };
}

/** MultiXactIdExpand. */
function expand(old: Extract<RawXmax, { multi: true }>, add: XmaxMember, oracle: XidOracle): RawXmax {
  if (old.members.length === 0) return multi(oracle, [add]);
  if (old.members.some((m) => m.xid === add.xid && m.status === add.status)) return old;
  const kept = old.members.filter(
    (m) =>
      oracle.isOwn(m.xid) ||
      oracle.inProgress(m.xid) ||
      (isUpdateStatus(m.status) && oracle.committed(m.xid)),
  );
  return multi(oracle, [...kept, add]);
}

/**
 * compute_new_xmax_infomask: the xmax to store when `addXid` locks (isUpdate = false) or
 * updates/deletes (isUpdate = true) a tuple whose current raw xmax is `old`.
 */
export function computeNewXmax(
  old: RawXmax,
  addXid: Xid,
  mode: RowLockMode,
  isUpdate: boolean,
  oracle: XidOracle,
): RawXmax {
  let current = old;
  let wanted = mode;
  for (;;) {
    if (current === null)
      return { multi: false, member: { xid: addXid, status: statusFor(wanted, isUpdate) } };
    if (current.multi) {
      if (!isRunning(current, oracle)) {
        const updater = updateXid(current);
        if (isLockOnly(current) || updater === null || !oracle.committed(updater)) {
          current = null;
          continue;
        }
      }
      return expand(current, { xid: addXid, status: statusFor(wanted, isUpdate) }, oracle);
    }
    const oldMember = current.member;
    const oldIsUpdater = isUpdateStatus(oldMember.status);
    if (oldIsUpdater && oracle.committed(oldMember.xid)) {
      return multi(oracle, [oldMember, { xid: addXid, status: statusFor(wanted, isUpdate) }]);
    }
    if (oracle.isOwn(oldMember.xid) || oracle.inProgress(oldMember.xid)) {
      if (oldMember.xid === addXid) {
        const oldMode = lockModeOfStatus(oldMember.status);
        if (oldMode > wanted) wanted = oldMode;
        current = null;
        continue;
      }
      return multi(oracle, [oldMember, { xid: addXid, status: statusFor(wanted, isUpdate) }]);
    }
    // An aborted xmax, or a committed locker: as if there were none.
    current = null;
  }
}

/** The number the xmax system column shows. */
export function displayXmax(xmax: RawXmax): number | null {
  if (xmax === null) return null;
  return xmax.multi ? xmax.id : xmax.member.xid;
}
