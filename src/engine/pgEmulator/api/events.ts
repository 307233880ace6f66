/**
 * The engine's event log: everything a UI needs to draw (timeline, session columns, inspectors).
 * Events are appended in order; `seq` numbers them from 1, `time` is virtual milliseconds.
 */
import type { PgMessage, StatementOutcome } from './results';

/** A heavyweight lock's identity, as pg_locks shows it. */
export type LockTagView =
  | { locktype: 'relation'; relation: string; relationOid: number }
  | { locktype: 'tuple'; relation: string; relationOid: number; page: number; tuple: number }
  | { locktype: 'transactionid'; transactionid: number }
  | { locktype: 'virtualxid'; virtualxid: string }
  | { locktype: 'advisory'; key: string }
  | { locktype: 'object'; description: string };

/** PostgreSQL's lock mode names, as in pg_locks.mode. */
export type LockModeName =
  | 'AccessShareLock'
  | 'RowShareLock'
  | 'RowExclusiveLock'
  | 'ShareUpdateExclusiveLock'
  | 'ShareLock'
  | 'ShareRowExclusiveLock'
  | 'ExclusiveLock'
  | 'AccessExclusiveLock';

/** What a waiting statement waits for, and on whom. */
export interface WaitInfo {
  lock: LockTagView;
  mode: LockModeName;
  /** Sessions whose granted locks or queued requests block this one (pg_blocking_pids). */
  blockedBy: string[];
  /** PostgreSQL's wording, e.g. `ShareLock on transaction 745`. */
  description: string;
}

export type TransactionStatus = 'idle' | 'in transaction' | 'in failed transaction' | 'terminated';

interface EventBase {
  seq: number;
  time: number;
  /** Present on the events of a helper session (the engine's setup, a tool's checks). */
  helper?: true;
}

export type EngineEvent = EventBase &
  (
    | { type: 'sessionOpened'; session: string; pid: number }
    | { type: 'sessionClosed'; session: string }
    | { type: 'submitted'; session: string; submission: number; sql: string }
    | { type: 'statementStarted'; session: string; submission: number; index: number; sql: string }
    | { type: 'statementWaiting'; session: string; submission: number; index: number; wait: WaitInfo }
    | { type: 'statementResumed'; session: string; submission: number; index: number }
    | {
        type: 'statementFinished';
        session: string;
        submission: number;
        index: number;
        sql: string;
        outcome: StatementOutcome;
      }
    | { type: 'submissionFinished'; session: string; submission: number }
    /** A NOTICE/WARNING sent to the session's client; submission/index say which statement raised it. */
    | { type: 'notice'; session: string; submission: number | null; index: number | null; notice: PgMessage }
    | { type: 'lockGranted'; session: string; lock: LockTagView; mode: LockModeName }
    | { type: 'lockReleased'; session: string; lock: LockTagView; mode: LockModeName }
    | { type: 'snapshotTaken'; session: string; xmin: number; xmax: number; xip: number[] }
    | { type: 'transactionStarted'; session: string; vxid: string; isolation: string; implicit: boolean }
    | { type: 'xidAssigned'; session: string; xid: number }
    | { type: 'transactionCommitted'; session: string; xid: number | null }
    | { type: 'transactionAborted'; session: string; xid: number | null }
    | { type: 'deadlockDetected'; victim: string; cycle: string[]; detail: string }
    | {
        type: 'timeoutFired';
        session: string;
        timeout:
          | 'statement_timeout'
          | 'lock_timeout'
          | 'idle_in_transaction_session_timeout'
          | 'transaction_timeout'
          | 'deadlock_timeout';
      }
    | {
        type: 'statementCancelled';
        session: string;
        submission: number | null;
        index: number | null;
        reason: string;
      }
    | { type: 'sessionTerminated'; session: string; error: PgMessage }
    | { type: 'engineRestarted'; reason: string }
  );

export type EngineEventType = EngineEvent['type'];
