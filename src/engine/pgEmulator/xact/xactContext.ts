/**
 * What the transaction lifecycle needs of the engine: the heap storage (an abort removes the aborted
 * versions), the lock manager, the clock and its timers, the event log and the scheduler.
 */
import type { PgError } from '../errors';
import type { EventPayload } from '../events/eventLog';
import type { LockManager } from '../locks/lockManager';
import type { Session } from '../session/session';
import type { StorageContext } from '../storage/storageContext';
import type { TimerQueue } from '../time/timerQueue';

export interface XactContext extends StorageContext {
  readonly now: number;
  readonly locks: LockManager;
  readonly timers: TimerQueue;
  emit(payload: EventPayload): void;
  /** Schedules a suspended session to resume (optionally throwing an error into its task). */
  makeRunnable(session: Session, error?: PgError): void;
}
