/**
 * The locking half of heap_update and heap_delete: wait for conflicting lockers and updaters of the
 * target version, then decide the target's new xmax and (for an update) the lockers the new version
 * carries forward. The executor writes the versions.
 */
import type { TableInfo } from '../catalog/catalog';
import type { RowLockContext } from './rowLockContext';
import { PgError } from '../errors';
import { acquireLock, currentOwner } from '../waits/lockWait';
import type { Session, Task } from '../session/session';
import { MemberStatus, type RawXmax, type TupleHeader } from '../tuples/tupleStore';
import type { Snapshot } from '../transam/snapshot';
import { ensureXid, requireTransaction } from '../xact/lifecycle';
import { RowLockMode, tupleLockMode } from '../tuples/rowLockModes';
import { satisfiesUpdate, type TmResult } from './satisfiesUpdate';
import { tupleTag, waitContext } from './lockTuple';
import { multiXactIdWait, xactLockTableWait } from './xactWait';
import { xidOracle } from './xidOracle';
import {
  computeNewXmax,
  doesConflict,
  isKeyShareLocked,
  isLockOnly,
  isOnlyLocked,
  type XidOracle,
} from '../tuples/xmax';
import { visibleInSnapshot } from './snapshotVisibility';

export interface ModifyDecision {
  result: TmResult;
  /** For TM_SelfModified: the command id that modified it. */
  cmax?: number | null;
  /** The target's xmax after the update/delete (when result is Ok). */
  newXmax?: RawXmax;
  /** The new version's xmax: the lockers it carries forward (update only). */
  carriedXmax?: RawXmax;
}

/** Is the plain or multi xmax "invalid" now (aborted, or a finished locker)? */
function xmaxInvalid(xmax: RawXmax, oracle: XidOracle): boolean {
  if (xmax === null) return true;
  if (xmax.multi) return false;
  const xid = xmax.member.xid;
  if (oracle.aborted(xid)) return true;
  return isLockOnly(xmax) && oracle.committed(xid);
}

interface ModifyOptions {
  operation: 'updating' | 'deleting';
  mode: RowLockMode;
  /** Under REPEATABLE READ cascades, a version not visible to this snapshot counts as updated. */
  crosscheck: Snapshot | null;
}

function* modifyTuple(
  core: RowLockContext,
  session: Session,
  table: TableInfo,
  target: TupleHeader,
  options: ModifyOptions,
): Task<ModifyDecision> {
  const oracle = xidOracle(core, session);
  const xid = ensureXid(core, session);
  const cid = requireTransaction(session).commandId;
  const isDelete = options.operation === 'deleting';
  const tag = tupleTag(table, target);
  const hwMode = tupleLockMode(options.mode);
  const context = waitContext(options.operation, target, table);
  let haveTupleLock = false;
  const lockTuple = function* (): Task<void> {
    if (haveTupleLock) return;
    yield* acquireLock(core, session, tag, hwMode, { context });
    haveTupleLock = true;
  };
  try {
    for (;;) {
      let checkedLockers = false;
      let lockerRemains = false;
      let result = satisfiesUpdate(target, cid, oracle);
      if (result === 'Invisible') {
        throw PgError.of('55000', `attempted to ${isDelete ? 'delete' : 'update'} invisible tuple`);
      }
      if (result === 'BeingModified') {
        const xwait = target.xmax;
        let canContinue = false;
        let restart = false;
        if (xwait?.multi) {
          const { conflict, currentIsMember } = doesConflict(xwait, options.mode, oracle);
          if (conflict) {
            if (!currentIsMember) yield* lockTuple();
            const remaining = yield* multiXactIdWait(core, session, xwait, options.mode, oracle, context);
            checkedLockers = true;
            lockerRemains = (remaining ?? 0) !== 0;
            if (target.xmax !== xwait) restart = true;
          }
          if (!restart && (isLockOnly(xwait) || isOnlyLocked(xwait, oracle))) canContinue = true;
        } else if (xwait && oracle.isOwn(xwait.member.xid)) {
          checkedLockers = lockerRemains = true;
          canContinue = true;
        } else if (!isDelete && isKeyShareLocked(xwait) && options.mode === RowLockMode.NoKeyUpdate) {
          checkedLockers = lockerRemains = true;
          canContinue = true;
        } else if (xwait) {
          yield* lockTuple();
          yield* xactLockTableWait(core, session, xwait.member.xid, context);
          checkedLockers = true;
          if (target.xmax !== xwait) restart = true;
          else if (xmaxInvalid(target.xmax, oracle)) canContinue = true;
        }
        if (restart) continue;
        if (isDelete) {
          result = isOnlyLocked(target.xmax, oracle) ? 'Ok' : target.next !== null ? 'Updated' : 'Deleted';
        } else {
          result = canContinue ? 'Ok' : target.next !== null ? 'Updated' : 'Deleted';
        }
      }
      if (options.crosscheck && result === 'Ok' && !visibleInSnapshot(target, options.crosscheck, oracle)) {
        result = 'Updated';
      }
      if (result !== 'Ok') return { result, cmax: result === 'SelfModified' ? target.cmax : null };
      const newXmax = computeNewXmax(
        target.xmax,
        xid,
        isDelete ? RowLockMode.Update : options.mode,
        true,
        oracle,
      );
      if (isDelete) return { result, newXmax };
      const carriedXmax: RawXmax =
        xmaxInvalid(target.xmax, oracle) || (checkedLockers && !lockerRemains)
          ? null
          : target.xmax?.multi
            ? target.xmax
            : target.xmax
              ? { multi: false, member: { xid: target.xmax.member.xid, status: MemberStatus.ForKeyShare } }
              : null;
      return { result, newXmax, carriedXmax };
    }
  } finally {
    if (haveTupleLock) core.locks.release(tag, session.pid, currentOwner(session), hwMode);
  }
}

/** heap_update's locking: `keyIntact` says whether every key column keeps its value. */
export function heapUpdateDecision(
  core: RowLockContext,
  session: Session,
  table: TableInfo,
  target: TupleHeader,
  keyIntact: boolean,
  crosscheck: Snapshot | null = null,
): Task<ModifyDecision> {
  return modifyTuple(core, session, table, target, {
    operation: 'updating',
    mode: keyIntact ? RowLockMode.NoKeyUpdate : RowLockMode.Update,
    crosscheck,
  });
}

export function heapDeleteDecision(
  core: RowLockContext,
  session: Session,
  table: TableInfo,
  target: TupleHeader,
  crosscheck: Snapshot | null = null,
): Task<ModifyDecision> {
  return modifyTuple(core, session, table, target, {
    operation: 'deleting',
    mode: RowLockMode.Update,
    crosscheck,
  });
}
