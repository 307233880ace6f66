/**
 * What waiting on a session's behalf needs of the engine: the lock manager, the clock and its timers,
 * the sessions by pid (for names in waits and deadlock reports), the event log, and the scheduler that
 * resumes a suspended statement.
 */
import type { PgError } from '../errors';
import type { EventPayload } from '../events/eventLog';
import type { LockManager, Pid } from '../locks/lockManager';
import type { Session } from '../session/session';
import type { TimerQueue } from '../time/timerQueue';

export interface WaitContext {
  readonly now: number;
  readonly locks: LockManager;
  readonly timers: TimerQueue;
  readonly byPid: ReadonlyMap<Pid, Session>;
  emit(payload: EventPayload): void;
  /** Schedules a suspended session to resume (optionally throwing an error into its task). */
  makeRunnable(session: Session, error?: PgError): void;
}
