/**
 * Row locking: heap_lock_tuple (with update-chain following for SELECT … FOR …) and the
 * heapam_tuple_lock wrapper that walks to the latest version (READ COMMITTED's EvalPlanQual path).
 */
import type { TableInfo } from '../catalog/catalog';
import type { RowLockContext } from './rowLockContext';
import { PgError } from '../errors';
import { acquireLock, currentOwner } from '../waits/lockWait';
import type { LockTag } from '../locks/lockTag';
import type { Session, Task } from '../session/session';
import { formatItemPointer, type RawXmax, type TupleHeader } from '../tuples/tupleStore';
import { ensureXid, requireTransaction } from '../xact/lifecycle';
import type { Xid } from '../transam/xidStatus';
import { RowLockMode, rowLocksConflict, tupleLockMode } from '../tuples/rowLockModes';
import { satisfiesUpdate, type TmResult } from './satisfiesUpdate';
import { multiXactIdWait, xactLockTableWait } from './xactWait';
import { xidOracle } from './xidOracle';
import {
  computeNewXmax,
  doesConflict,
  isExclusiveLocked,
  isKeyShareLocked,
  isLockOnly,
  isOnlyLocked,
  isShareOrStrongerLocked,
  isUpdateStatus,
  keysUpdated,
  lockModeOfStatus,
  members,
  statusFor,
  updateXid,
  type XidOracle,
} from '../tuples/xmax';

/** LockWaitPolicy: wait, SKIP LOCKED, or NOWAIT. */
export type WaitPolicy = 'block' | 'skip' | 'error';

export function rowLockUnavailable(table: TableInfo): PgError {
  return PgError.of('55P03', `could not obtain lock on row in relation "${table.name}"`);
}

export function tupleTag(table: TableInfo, header: TupleHeader): LockTag {
  return {
    type: 'tuple',
    relationOid: table.oid,
    relationName: table.name,
    page: header.ctid.page,
    offset: header.ctid.offset,
  };
}

export function waitContext(operation: string, header: TupleHeader, table: TableInfo): string {
  return `while ${operation} tuple ${formatItemPointer(header.ctid)} in relation "${table.name}"`;
}

/** Sets a version's raw xmax (and the heap's mirror of it). */
export function setXmax(core: RowLockContext, header: TupleHeader, xmax: RawXmax): void {
  header.xmax = xmax;
  if (isLockOnly(xmax)) header.next = null;
  core.markHeaderDirty(header);
}

function header(core: RowLockContext, tid: number): TupleHeader {
  const found = core.tuples.get(tid);
  if (!found) throw new Error(`row version ${tid} is gone`);
  return found;
}

/** heap_lock_updated_tuple_rec: lock the newer versions of an updated row too. */
function* lockUpdatedVersions(
  core: RowLockContext,
  session: Session,
  table: TableInfo,
  prior: RawXmax,
  startTid: number,
  mode: RowLockMode,
  oracle: XidOracle,
): Task<TmResult> {
  let priorXmax: Xid | null = updateXid(prior) ?? (prior && !prior.multi ? prior.member.xid : null);
  let tid: number | null = startTid;
  while (tid !== null) {
    const version = core.tuples.get(tid);
    if (!version) return 'Ok';
    restart: for (;;) {
      if (priorXmax !== null && version.xmin !== priorXmax) return 'Ok';
      if (oracle.aborted(version.xmin)) return 'Ok';
      let selfModified = false;
      for (const member of members(version.xmax)) {
        if (oracle.isOwn(member.xid)) {
          selfModified = true;
          break;
        }
        if (oracle.inProgress(member.xid)) {
          if (rowLocksConflict(lockModeOfStatus(member.status), mode)) {
            yield* xactLockTableWait(
              core,
              session,
              member.xid,
              `while locking updated version ${formatItemPointer(version.ctid)} of tuple in relation "${table.name}"`,
            );
            continue restart;
          }
          continue;
        }
        if (oracle.aborted(member.xid) || !isUpdateStatus(member.status)) continue;
        if (rowLocksConflict(lockModeOfStatus(member.status), mode))
          return version.next !== null ? 'Updated' : 'Deleted';
      }
      if (!selfModified) {
        const xid = ensureXid(core, session);
        setXmax(core, version, computeNewXmax(version.xmax, xid, mode, false, oracle));
      }
      break;
    }
    if (version.xmax === null || version.next === null || isOnlyLocked(version.xmax, oracle)) return 'Ok';
    priorXmax = updateXid(version.xmax);
    tid = version.next;
  }
  return 'Ok';
}

/** heap_lock_tuple: lock one version in `mode`, waiting as the wait policy allows. */
export function* heapLockTuple(
  core: RowLockContext,
  session: Session,
  table: TableInfo,
  tid: number,
  mode: RowLockMode,
  policy: WaitPolicy,
  followUpdates: boolean,
): Task<TmResult> {
  const oracle = xidOracle(core, session);
  const tuple = header(core, tid);
  const cid = requireTransaction(session).commandId;
  const tag = tupleTag(table, tuple);
  const hwMode = tupleLockMode(mode);
  const context = waitContext('locking', tuple, table);
  let firstTime = true;
  let skipTupleLock = false;
  let haveTupleLock = false;
  try {
    for (;;) {
      let result = satisfiesUpdate(tuple, cid, oracle);
      if (result === 'Invisible' || result === 'SelfModified') return result;
      let requireSleep = true;
      if (result === 'BeingModified' || result === 'Updated' || result === 'Deleted') {
        const xwait = tuple.xmax;
        if (firstTime) {
          firstTime = false;
          if (xwait?.multi) {
            for (const member of xwait.members) {
              if (!oracle.isOwn(member.xid)) continue;
              if (lockModeOfStatus(member.status) >= mode) return 'Ok';
              skipTupleLock = true;
            }
          } else if (xwait && oracle.isOwn(xwait.member.xid)) {
            if (mode === RowLockMode.KeyShare) return 'Ok';
            if (mode === RowLockMode.Share && isShareOrStrongerLocked(xwait)) return 'Ok';
            if (mode === RowLockMode.NoKeyUpdate && isExclusiveLocked(xwait)) return 'Ok';
            if (mode === RowLockMode.Update && isExclusiveLocked(xwait) && keysUpdated(xwait)) return 'Ok';
          }
        }
        if (mode === RowLockMode.KeyShare) {
          if (!keysUpdated(xwait)) {
            const updated = !isLockOnly(xwait);
            if (followUpdates && updated && tuple.next !== null) {
              const chained = yield* lockUpdatedVersions(
                core,
                session,
                table,
                xwait,
                tuple.next,
                mode,
                oracle,
              );
              if (chained !== 'Ok') return chained;
            }
            if (!isOnlyLocked(tuple.xmax, oracle) && (keysUpdated(tuple.xmax) || !updated)) continue;
            requireSleep = false;
          }
        } else if (mode === RowLockMode.Share) {
          if (isLockOnly(xwait) && !isExclusiveLocked(xwait)) {
            if (!isLockOnly(tuple.xmax) || isExclusiveLocked(tuple.xmax)) continue;
            requireSleep = false;
          }
        } else if (mode === RowLockMode.NoKeyUpdate) {
          if (xwait?.multi) {
            if (!doesConflict(xwait, RowLockMode.NoKeyUpdate, oracle).conflict) {
              if (tuple.xmax !== xwait) continue;
              requireSleep = false;
            }
          } else if (isKeyShareLocked(xwait)) {
            if (tuple.xmax !== xwait) continue;
            requireSleep = false;
          }
        }
        if (requireSleep && xwait && !xwait.multi && oracle.isOwn(xwait.member.xid)) {
          if (tuple.xmax !== xwait) continue;
          requireSleep = false;
        }
        if (requireSleep && (result === 'Updated' || result === 'Deleted')) return result;
        if (requireSleep) {
          if (!skipTupleLock && !haveTupleLock) {
            const got = yield* acquireLock(core, session, tag, hwMode, {
              noWait: policy !== 'block',
              context,
            });
            if (got === 'unavailable') {
              if (policy === 'skip') return 'WouldBlock';
              throw rowLockUnavailable(table);
            }
            haveTupleLock = true;
          }
          if (xwait?.multi) {
            const remaining = yield* multiXactIdWait(
              core,
              session,
              xwait,
              mode,
              oracle,
              context,
              policy !== 'block',
            );
            if (remaining === null) {
              if (policy === 'skip') return 'WouldBlock';
              throw rowLockUnavailable(table);
            }
          } else if (xwait) {
            const ok = yield* xactLockTableWait(core, session, xwait.member.xid, context, policy !== 'block');
            if (!ok) {
              if (policy === 'skip') return 'WouldBlock';
              throw rowLockUnavailable(table);
            }
          }
          if (followUpdates && !isLockOnly(xwait) && tuple.next !== null) {
            const chained = yield* lockUpdatedVersions(core, session, table, xwait, tuple.next, mode, oracle);
            if (chained !== 'Ok') return chained;
          }
          if (tuple.xmax !== xwait) continue;
        }
        if (!requireSleep || isOnlyLocked(tuple.xmax, oracle)) result = 'Ok';
        else result = tuple.next !== null ? 'Updated' : 'Deleted';
        if (result !== 'Ok') return result;
      }
      const xid = ensureXid(core, session);
      setXmax(core, tuple, computeNewXmax(tuple.xmax, xid, mode, false, oracle));
      return 'Ok';
    }
  } finally {
    if (haveTupleLock) core.locks.release(tag, session.pid, currentOwner(session), hwMode);
  }
}

/** HeapTupleSatisfiesDirty, as the chain walk uses it. */
function visibleToDirty(version: TupleHeader, oracle: XidOracle): boolean {
  if (oracle.aborted(version.xmin)) return false;
  const updater = isLockOnly(version.xmax) ? null : updateXid(version.xmax);
  if (updater === null || oracle.aborted(updater)) return true;
  if (oracle.isOwn(updater)) return false;
  return !oracle.committed(updater);
}

export interface TupleLockOutcome {
  result: TmResult;
  /** The version that was locked (the latest one when the chain was followed). */
  tid: number;
  /** True when a newer version than the one asked for was locked (EvalPlanQual needed). */
  traversed: boolean;
}

/** heapam_tuple_lock: lock a row; with `findLastVersion`, follow committed updates to the newest version. */
export function* lockRowVersion(
  core: RowLockContext,
  session: Session,
  table: TableInfo,
  startTid: number,
  mode: RowLockMode,
  policy: WaitPolicy,
  options: { followUpdates: boolean; findLastVersion: boolean },
): Task<TupleLockOutcome> {
  const oracle = xidOracle(core, session);
  const cid = requireTransaction(session).commandId;
  let tid = startTid;
  let traversed = false;
  for (;;) {
    const result = yield* heapLockTuple(core, session, table, tid, mode, policy, options.followUpdates);
    if (result !== 'Updated' || !options.findLastVersion) return { result, tid, traversed };
    const locked = header(core, tid);
    if (locked.next === null) return { result: 'Deleted', tid, traversed };
    let priorXmax = updateXid(locked.xmax);
    let nextTid: number | null = locked.next;
    traversed = true;
    walk: for (;;) {
      const version: TupleHeader | undefined = nextTid === null ? undefined : core.tuples.get(nextTid);
      if (!version) return { result: 'Deleted', tid, traversed };
      if (visibleToDirty(version, oracle)) {
        if (version.xmin !== priorXmax) return { result: 'Deleted', tid, traversed };
        const updater = isLockOnly(version.xmax) ? null : updateXid(version.xmax);
        if (updater !== null && !oracle.isOwn(updater) && oracle.inProgress(updater)) {
          const ok = yield* xactLockTableWait(
            core,
            session,
            updater,
            waitContext('rechecking updated', version, table),
            policy !== 'block',
          );
          if (!ok) {
            if (policy === 'skip') return { result: 'WouldBlock', tid, traversed };
            throw rowLockUnavailable(table);
          }
          continue walk;
        }
        if (priorXmax !== null && oracle.isOwn(priorXmax) && version.cmin >= cid) {
          return { result: 'SelfModified', tid: version.tid, traversed };
        }
        tid = version.tid;
        break walk;
      }
      if (version.xmin !== priorXmax) return { result: 'Deleted', tid, traversed };
      if (version.next === null) return { result: 'Deleted', tid, traversed };
      priorXmax = updateXid(version.xmax);
      nextTid = version.next;
    }
  }
}

export { statusFor };
