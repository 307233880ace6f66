/** What the program runner needs from a pool, whichever pool it is (database/sql's or pgxpool's). */
import type { DriverName } from '../drivers';
import type { RuleId } from '../rules';
import type { NetworkSettings } from '../scenario';
import type { TimelineRecorder } from './timelineRecorder';
import type { VirtualScheduler } from './virtualScheduler';

export interface PooledConnection {
  id: string;
  createdAtMs: number;
  /** The driver closed its socket (pgx asyncClose, lib/pq Close, mysql cleanup); the pool may not know. */
  closedByDriver: boolean;
  /** driver.Validator.IsValid() would report false. */
  invalid: boolean;
  /** Closed by the pool: gone. */
  closed: boolean;
  /** The server has already seen this session end. */
  disconnectSent: boolean;
  /** The goroutine that holds it, if any. */
  holder: string | null;
}

/** database/sql's reuse strategy: `cached` for the first two attempts, then `new` (db.retry). */
export type CheckoutStrategy = 'cached' | 'new';

export type CheckoutResult =
  | { kind: 'ready'; connection: PooledConnection }
  | { kind: 'dial'; connection: PooledConnection; readyAtMs: number }
  | { kind: 'wait' }
  /** database/sql closed a connection at checkout (too old, or ResetSession said it is bad): retry. */
  | { kind: 'retry' }
  | { kind: 'not-modelled'; reason: string };

/** How a connection comes back: `normal` (database/sql then validates it) or `bad` (ErrBadConn). */
export type ReleaseKind = 'normal' | 'bad';

export interface ReleaseReason {
  detail: string;
  goroutine: string;
  /** `deadline` when the release is a consequence of the ctx deadline. */
  cause: 'program' | 'deadline';
  ruleIds?: RuleId[];
}

export interface ConnectionPool {
  checkout(goroutine: string, strategy: CheckoutStrategy): CheckoutResult;
  /** Queue the goroutine for the next released connection; returns the function that withdraws it. */
  enqueueWaiter(goroutine: string): () => void;
  /** A waiter got `connection` handed over: database/sql checks it again (age, ResetSession). */
  acceptHandedConnection(
    connection: PooledConnection,
    goroutine: string,
    strategy: CheckoutStrategy,
  ): 'ready' | 'retry';
  /** The dial a goroutine was waiting for will not be used (its ctx ended). */
  abandonDial(connection: PooledConnection): void;
  release(connection: PooledConnection, kind: ReleaseKind, reason: ReleaseReason): void;
}

export interface PoolEnvironment {
  driver: DriverName;
  network: NetworkSettings;
  scheduler: VirtualScheduler;
  recorder: TimelineRecorder;
}

/** Numbering and server-side bookkeeping shared by both pools. */
export class ConnectionFactory {
  private count = 0;

  constructor(private readonly env: PoolEnvironment) {}

  /** Start dialing; the server sees the new session when the dial completes. */
  dial(openedBy: string, reason: string): { connection: PooledConnection; readyAtMs: number } {
    const now = this.env.scheduler.nowMs;
    const readyAtMs = now + this.dialMs();
    const connection: PooledConnection = {
      id: `c${++this.count}`,
      createdAtMs: readyAtMs,
      closedByDriver: false,
      invalid: false,
      closed: false,
      disconnectSent: false,
      holder: null,
    };
    this.env.recorder.connectionEvent(connection.id, now, 'dialing', reason, { goroutine: openedBy });
    this.env.recorder.connectionEvent(connection.id, readyAtMs, 'opened', 'connection established');
    if (this.env.driver !== 'sqlite3') {
      this.env.recorder.serverEffect({
        atMs: readyAtMs,
        kind: 'connect',
        connectionId: connection.id,
        goroutine: openedBy,
        cause: 'program',
        ruleIds: [],
      });
    }
    return { connection, readyAtMs };
  }

  /** The client closes the connection: the server sees Terminate and the socket close. */
  disconnect(
    connection: PooledConnection,
    goroutine: string,
    cause: 'program' | 'deadline',
    ruleIds: RuleId[],
  ): void {
    if (connection.disconnectSent || this.env.driver === 'sqlite3') return;
    connection.disconnectSent = true;
    this.env.recorder.serverEffect({
      atMs: this.env.scheduler.nowMs + this.env.network.oneWayMs,
      kind: 'disconnect',
      connectionId: connection.id,
      goroutine,
      graceful: true,
      cause,
      ruleIds,
    });
  }

  private dialMs(): number {
    return this.env.driver === 'sqlite3' ? 0 : this.env.network.dialMs;
  }
}
