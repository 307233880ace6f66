/**
 * One client session: its settings, its transaction, its prepared statements, and the task running
 * its current submission (a generator that suspends while it waits).
 */
import type { WaitInfo } from '../api/events';
import type { PgMessage } from '../api/results';
import type { PgError } from '../errors';
import type { LockObject } from '../locks/lockManager';
import type { TimerId } from '../time/timerQueue';
import type { Snapshot } from '../transam/snapshot';
import type { Transaction } from '../transam/transaction';
import type { PreparedStatement } from './preparedStatement';
import { SessionSettings } from './settings';

/** What a suspended task waits for. */
export type Suspension =
  /** Queued in the lock manager; resumed when granted. */
  | { kind: 'lock'; lock: LockObject; info: WaitInfo }
  /** pg_sleep on the virtual clock. */
  | { kind: 'sleep'; until: number };

export type Task<T> = Generator<Suspension, T, void>;

/** A submission being executed. */
export interface RunningSubmission {
  id: number;
  task: Task<void>;
  /** The statement now executing. */
  statementText: string | null;
  statementIndex: number;
  /** Virtual time the current statement started. */
  statementStart: number;
  /** Engine-answered functions the current statement calls (see exec/rewrite.ts). */
  calls: Set<string>;
  /** The current statement's snapshot, kept when it runs again after an advisory-lock wait. */
  snapshot: Snapshot | null;
  /** Virtual milliseconds the current statement's pg_sleep calls asked for. */
  sleepMs: number;
  /** Advisory locks already acquired by waiting, credited when the statement runs again. */
  advisoryPregranted: Map<string, number>;
}

/** The transaction-block state (xact.c TBLOCK_*, as far as a client can tell them apart). */
export type BlockState =
  /** No transaction, or a single-statement one running. */
  | 'none'
  /** A multi-statement string's implicit block. */
  | 'implicit'
  /** BEGIN was issued. */
  | 'explicit';

export class Session {
  readonly settings = new SessionSettings();
  readonly prepared = new Map<string, PreparedStatement>();
  transaction: Transaction | null = null;
  block: BlockState = 'none';
  submission: RunningSubmission | null = null;
  suspension: Suspension | null = null;
  /** An error to throw into the task when it next resumes (timeout, cancel, deadlock). */
  pendingError: PgError | null = null;
  /** Set once a FATAL ended the session. */
  terminated: PgMessage | null = null;
  /** Timers armed for the running statement / transaction / idle state. */
  readonly timers = {
    statement: null as TimerId | null,
    lock: null as TimerId | null,
    deadlock: null as TimerId | null,
    transaction: null as TimerId | null,
    idle: null as TimerId | null,
    sleep: null as TimerId | null,
  };
  /** When the armed lock_timeout is due (a statement timeout due at the same time loses to it). */
  lockTimeoutDue: number | null = null;
  /** Local transaction counter for virtual transaction ids (`backend/lxid`). */
  private localXid = 0;
  /** Lock owner ids: one per (sub)transaction, increasing. */
  private nextOwner = 1;

  constructor(
    readonly name: string,
    readonly pid: number,
    /** The backend number shown in virtual transaction ids. */
    readonly backendId: number,
    /** A helper session (the engine's setup, a tool's checks): pages leave it out. */
    readonly helper = false,
  ) {}

  nextVxid(): string {
    this.localXid++;
    return `${this.backendId}/${this.localXid}`;
  }

  newOwner(): number {
    return this.nextOwner++;
  }

  get busy(): boolean {
    return this.submission !== null;
  }
}
