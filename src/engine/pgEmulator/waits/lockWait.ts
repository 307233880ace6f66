/**
 * Acquiring a heavyweight lock on behalf of a session's statement: wait in the queue if needed, with
 * PostgreSQL's deadlock check (once, deadlock_timeout after the wait began) and lock_timeout.
 */
import type { WaitInfo } from '../api/events';
import type { WaitContext } from './waitContext';
import { lockTimeout, PgError } from '../errors';
import { checkForDeadlock, deadlockDetail, type DeadlockStep } from '../locks/deadlockDetector';
import type { OwnerId } from '../locks/lockManager';
import { lockModeName, type LockMode } from '../locks/lockModes';
import { describeLockTag, lockTagView, type LockTag } from '../locks/lockTag';
import type { Session, Task } from '../session/session';

export interface LockRequestOptions {
  /** NOWAIT / try-lock: return 'unavailable' instead of waiting. */
  noWait?: boolean;
  /** Lock owner; defaults to the current (sub)transaction. */
  owner?: OwnerId;
  /** CONTEXT line for an error raised while waiting (e.g. `while updating tuple (0,1) in relation "t"`). */
  context?: string;
}

export function currentOwner(session: Session): OwnerId {
  const transaction = session.transaction;
  if (!transaction) throw new Error('no transaction to own the lock');
  return transaction.currentLevel.owner;
}

export function deadlockError(detail: string, context?: string): PgError {
  const error = PgError.of('40P01', 'deadlock detected', {
    detail,
    hint: 'See server log for query details.',
  });
  return error.withContext(context);
}

function describeWait(core: WaitContext, session: Session, tag: LockTag, mode: LockMode): WaitInfo {
  const blockers = core.locks
    .blockingPids(session.pid)
    .map((pid) => core.byPid.get(pid)?.name ?? `pid ${pid}`);
  const lockText = tag.type === 'transactionid' ? `transaction ${tag.xid}` : describeLockTag(tag);
  return {
    lock: lockTagView(tag),
    mode: lockModeName(mode),
    blockedBy: blockers,
    description: `${lockModeName(mode)} on ${lockText}`,
  };
}

/** Requests a lock and, if it must wait, suspends the statement until it is granted or fails. */
export function* acquireLock(
  core: WaitContext,
  session: Session,
  tag: LockTag,
  mode: LockMode,
  options: LockRequestOptions = {},
): Task<'granted' | 'unavailable'> {
  const owner = options.owner ?? currentOwner(session);
  const result = core.locks.acquire(tag, session.pid, owner, mode, {
    noWait: options.noWait ?? false,
    now: core.now,
  });
  switch (result.status) {
    case 'granted':
      return 'granted';
    case 'wouldBlock':
      return 'unavailable';
    case 'deadlock': {
      const lock = core.locks.waitingLock(result.blocker);
      if (!lock) throw new Error('early deadlock without a waiting blocker');
      const cycle: DeadlockStep[] = [
        { pid: session.pid, mode, lock },
        { pid: result.blocker, mode: result.blockerMode, lock },
      ];
      const detail = deadlockDetail(cycle);
      core.emit({ type: 'deadlockDetected', victim: session.name, cycle: cycleNames(core, cycle), detail });
      throw deadlockError(detail, options.context);
    }
    case 'waiting':
      break;
  }

  const lock = core.locks.waitingLock(session.pid);
  if (!lock) throw new Error('lock wait without a queue entry');
  const info = describeWait(core, session, tag, mode);
  armWaitTimers(core, session);
  const submission = session.submission;
  if (submission) {
    core.emit({
      type: 'statementWaiting',
      session: session.name,
      submission: submission.id,
      index: submission.statementIndex,
      wait: info,
    });
  }
  try {
    yield { kind: 'lock', lock, info };
  } catch (error) {
    core.locks.cancelWait(session.pid);
    throw error instanceof PgError ? error.withContext(options.context) : error;
  } finally {
    disarmWaitTimers(core, session);
  }
  if (submission) {
    core.emit({
      type: 'statementResumed',
      session: session.name,
      submission: submission.id,
      index: submission.statementIndex,
    });
  }
  return 'granted';
}

function cycleNames(core: WaitContext, cycle: readonly DeadlockStep[]): string[] {
  return cycle.map((step) => core.byPid.get(step.pid)?.name ?? `pid ${step.pid}`);
}

/** deadlock_timeout (checked once per wait) and lock_timeout, from the start of the wait. */
function armWaitTimers(core: WaitContext, session: Session): void {
  const deadlockAfter = session.settings.millis('deadlock_timeout');
  session.timers.deadlock = core.timers.schedule(core.now + deadlockAfter, () => {
    session.timers.deadlock = null;
    if (!core.locks.waitingLock(session.pid)) return;
    core.emit({ type: 'timeoutFired', session: session.name, timeout: 'deadlock_timeout' });
    const result = checkForDeadlock(core.locks, session.pid);
    if (result.kind !== 'hard') return;
    const detail = deadlockDetail(result.cycle);
    core.emit({
      type: 'deadlockDetected',
      victim: session.name,
      cycle: cycleNames(core, result.cycle),
      detail,
    });
    core.locks.cancelWait(session.pid);
    core.makeRunnable(session, deadlockError(detail));
  });
  const lockAfter = session.settings.millis('lock_timeout');
  if (lockAfter > 0) {
    session.lockTimeoutDue = core.now + lockAfter;
    session.timers.lock = core.timers.schedule(core.now + lockAfter, () => {
      session.timers.lock = null;
      if (!session.suspension) return;
      core.emit({ type: 'timeoutFired', session: session.name, timeout: 'lock_timeout' });
      core.locks.cancelWait(session.pid);
      core.makeRunnable(session, lockTimeout());
    });
  }
}

function disarmWaitTimers(core: WaitContext, session: Session): void {
  core.timers.cancel(session.timers.deadlock);
  core.timers.cancel(session.timers.lock);
  session.timers.deadlock = null;
  session.timers.lock = null;
  session.lockTimeoutDue = null;
}
