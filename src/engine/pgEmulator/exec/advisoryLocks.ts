/**
 * Advisory locks (pg_advisory_lock and friends) between PGlite and the lock manager: the state a
 * query's advisory functions see, the acquisitions and releases they logged, and the wait when one
 * would block (see pglite/advisorySql.ts).
 */
import type { EngineCore } from '../core';
import { PgError } from '../errors';
import type { LockObject } from '../locks/lockManager';
import { lockBit, LockMode } from '../locks/lockModes';
import type { LockTag } from '../locks/lockTag';
import type { Session, Task } from '../session/session';
import { acquireLock, currentOwner } from '../waits/lockWait';

export const ADVISORY_WAIT_SQLSTATE = 'PX001';

function keyOf(tag: { key1: number; key2: number; objsubid: number }): string {
  return `${tag.key1},${tag.key2},${tag.objsubid}`;
}

function advisoryTag(key1: number, key2: number, objsubid: number): LockTag {
  return { type: 'advisory', key1, key2, objsubid: objsubid === 2 ? 2 : 1 };
}

function sessionCount(lock: LockObject, pid: number, mode: LockMode): number {
  return lock.holders.get(pid)?.get('session')?.get(mode) ?? 0;
}

/** The advisory-lock state the session's query sees, as the JSON object the functions read. */
export function advisoryState(core: EngineCore, session: Session): string {
  const state: Record<string, Record<string, number>> = {};
  for (const lock of core.locks.allLocks()) {
    if (lock.tag.type !== 'advisory') continue;
    let others = 0;
    for (const pid of lock.holders.keys()) if (pid !== session.pid) others |= core.locks.heldMask(lock, pid);
    let queued = 0;
    for (const waiter of lock.queue) if (waiter.pid !== session.pid) queued |= lockBit(waiter.mode);
    const n5 = sessionCount(lock, session.pid, LockMode.Share);
    const n7 = sessionCount(lock, session.pid, LockMode.Exclusive);
    state[keyOf(lock.tag)] = {
      own: core.locks.heldMask(lock, session.pid),
      sess: (n5 > 0 ? lockBit(LockMode.Share) : 0) | (n7 > 0 ? lockBit(LockMode.Exclusive) : 0),
      n5,
      n7,
      others,
      queued,
    };
  }
  for (const [key, count] of session.submission?.advisoryPregranted ?? []) {
    state[key] = { ...(state[key] ?? {}), pre: count };
  }
  return JSON.stringify(state);
}

/** Applies the acquisitions and releases the query's advisory functions logged, in order. */
export function applyAdvisoryActions(
  core: EngineCore,
  session: Session,
  rows: readonly (string | null)[][],
): void {
  const sorted = [...rows].sort((a, b) => Number(a[6]) - Number(b[6]));
  for (const [action, k1, k2, sub, mode, scope] of sorted) {
    if (action === 'unlock_all') {
      for (const lock of [...core.locks.allLocks()]) {
        if (lock.tag.type !== 'advisory') continue;
        for (const m of [LockMode.Share, LockMode.Exclusive]) {
          while (core.locks.release(lock.tag, session.pid, 'session', m)) {
            // release every session-level count
          }
        }
      }
      continue;
    }
    const tag = advisoryTag(Number(k1), Number(k2), Number(sub));
    const lockMode = Number(mode) === LockMode.Share ? LockMode.Share : LockMode.Exclusive;
    if (action === 'unlock') {
      core.locks.release(tag, session.pid, 'session', lockMode);
    } else {
      const owner = scope === 'session' ? 'session' : currentOwner(session);
      core.locks.acquire(tag, session.pid, owner, lockMode, { noWait: false, now: core.now });
    }
  }
}

export function isAdvisoryWait(error: unknown): error is PgError {
  return error instanceof PgError && error.sqlstate === ADVISORY_WAIT_SQLSTATE;
}

/** Waits for the advisory lock a query asked for; the statement then runs again and finds it held. */
export function* waitForAdvisoryLock(core: EngineCore, session: Session, error: PgError): Task<void> {
  const [k1, k2, sub, mode, scope] = (error.pg.detail ?? '').split(',');
  const tag = advisoryTag(Number(k1), Number(k2), Number(sub));
  const lockMode = Number(mode) === LockMode.Share ? LockMode.Share : LockMode.Exclusive;
  const owner = scope === 'session' ? 'session' : currentOwner(session);
  yield* acquireLock(core, session, tag, lockMode, { owner });
  const submission = session.submission;
  if (submission) {
    const key = `${k1},${k2},${sub}`;
    submission.advisoryPregranted.set(key, (submission.advisoryPregranted.get(key) ?? 0) + 1);
  }
}
