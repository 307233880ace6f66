/**
 * Waiting for transactions that hold a row (lmgr.c XactLockTableWait, heapam.c MultiXactIdWait):
 * take and release ShareLock on the holder's transactionid lock; a subtransaction that committed
 * into a running parent makes us wait for the top-level transaction.
 */
import type { RowLockContext } from './rowLockContext';
import { acquireLock, currentOwner } from '../waits/lockWait';
import { LockMode } from '../locks/lockModes';
import type { Session, Task } from '../session/session';
import type { RawXmax } from '../tuples/tupleStore';
import type { Xid } from '../transam/xidStatus';
import { rowLocksConflict } from '../tuples/rowLockModes';
import { lockModeOfStatus, members, type XidOracle } from '../tuples/xmax';

/** Waits until `xid` ends; with `conditional`, returns false instead of waiting. */
export function* xactLockTableWait(
  core: RowLockContext,
  session: Session,
  xid: Xid,
  context: string,
  conditional = false,
): Task<boolean> {
  let target = xid;
  for (;;) {
    const tag = { type: 'transactionid', xid: target } as const;
    const got = yield* acquireLock(core, session, tag, LockMode.Share, { noWait: conditional, context });
    if (got === 'unavailable') return false;
    core.locks.release(tag, session.pid, currentOwner(session), LockMode.Share);
    if (core.xids.state(target) !== 'in progress') return true;
    target = core.xids.topLevel(target);
  }
}

/**
 * Waits, member by member, for the MultiXact members whose lock conflicts with `mode` (our own
 * members never). Returns how many members remain in progress, or null when `conditional` and one
 * would block.
 */
export function* multiXactIdWait(
  core: RowLockContext,
  session: Session,
  xmax: RawXmax,
  mode: ReturnType<typeof lockModeOfStatus>,
  oracle: XidOracle,
  context: string,
  conditional = false,
): Task<number | null> {
  let remaining = 0;
  for (const member of members(xmax)) {
    if (oracle.isOwn(member.xid)) {
      remaining++;
      continue;
    }
    if (!rowLocksConflict(lockModeOfStatus(member.status), mode)) {
      if (oracle.inProgress(member.xid)) remaining++;
      continue;
    }
    const ok = yield* xactLockTableWait(core, session, member.xid, context, conditional);
    if (!ok) return null;
  }
  return remaining;
}
