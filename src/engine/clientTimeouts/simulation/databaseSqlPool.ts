/**
 * database/sql's connection pool, as far as the reference and the rules it depends on go:
 * MaxOpenConns (waiters served in random order, rule `core.acquire-random-order`),
 * MaxIdleConns (`core.max-idle-conns`), ConnMaxLifetime (`core.conn-max-lifetime`: closed at
 * checkout or on return, never a shorter wait), and ResetSession at checkout
 * (`pgx-stdlib.dropped-at-next-checkout`). The lifetime cleaner goroutine's timing is not
 * modelled: an idle connection that outlived its lifetime is closed when it is next checked out.
 */
import { DATABASE_SQL_DEFAULT_MAX_IDLE, type PoolSettings } from '../scenario';
import type { RandomSource } from './seededRandom';
import {
  ConnectionFactory,
  type CheckoutResult,
  type CheckoutStrategy,
  type ConnectionPool,
  type PoolEnvironment,
  type PooledConnection,
  type ReleaseKind,
  type ReleaseReason,
} from './connectionPool';

/** Drivers whose connections implement driver.Validator (IsValid). */
const HAS_VALIDATOR = new Set(['lib-pq', 'mysql']);
/** Drivers whose connections implement driver.SessionResetter (ResetSession). */
const HAS_SESSION_RESETTER = new Set(['pgx-stdlib', 'lib-pq', 'mysql']);

export class DatabaseSqlPool implements ConnectionPool {
  private readonly idle: PooledConnection[] = [];
  private readonly waiters: string[] = [];
  private numOpen = 0;
  private readonly factory: ConnectionFactory;
  private readonly maxOpen: number;
  private readonly maxIdle: number;
  private readonly lifetimeMs: number;

  constructor(
    private readonly env: PoolEnvironment,
    settings: PoolSettings,
    private readonly random: RandomSource,
  ) {
    this.factory = new ConnectionFactory(env);
    this.maxOpen = settings.maxOpenConns;
    const requestedIdle = settings.maxIdleConns ?? DATABASE_SQL_DEFAULT_MAX_IDLE;
    const idle = requestedIdle <= 0 ? 0 : requestedIdle;
    this.maxIdle = this.maxOpen > 0 ? Math.min(idle, this.maxOpen) : idle;
    this.lifetimeMs = settings.connMaxLifetimeMs ?? 0;
  }

  checkout(goroutine: string, strategy: CheckoutStrategy): CheckoutResult {
    const now = this.env.scheduler.nowMs;
    if (strategy === 'cached') {
      const connection = this.idle.pop();
      if (connection !== undefined) {
        connection.holder = goroutine;
        if (this.expired(connection)) {
          this.close(connection, 'closed-expired', {
            detail: 'older than ConnMaxLifetime at checkout: closed, the call is retried',
            goroutine,
            cause: 'program',
            ruleIds: ['core.conn-max-lifetime'],
          });
          return { kind: 'retry' };
        }
        if (this.failsResetSession(connection)) {
          this.close(connection, 'dropped-at-checkout', {
            detail: 'ResetSession reports a bad connection: closed, the call is retried',
            goroutine,
            cause: 'program',
            ruleIds: ['pgx-stdlib.dropped-at-next-checkout'],
          });
          return { kind: 'retry' };
        }
        this.env.recorder.connectionEvent(connection.id, now, 'checked-out', 'from the idle list', {
          goroutine,
        });
        return { kind: 'ready', connection };
      }
    }
    if (this.maxOpen > 0 && this.numOpen >= this.maxOpen) return { kind: 'wait' };
    this.numOpen++;
    const { connection, readyAtMs } = this.factory.dial(
      goroutine,
      `dialed by ${goroutine} (pool below MaxOpenConns)`,
    );
    connection.holder = goroutine;
    this.env.recorder.connectionEvent(connection.id, readyAtMs, 'checked-out', 'new connection', {
      goroutine,
    });
    return { kind: 'dial', connection, readyAtMs };
  }

  enqueueWaiter(goroutine: string): () => void {
    this.waiters.push(goroutine);
    return () => {
      const index = this.waiters.indexOf(goroutine);
      if (index >= 0) this.waiters.splice(index, 1);
    };
  }

  acceptHandedConnection(
    connection: PooledConnection,
    goroutine: string,
    strategy: CheckoutStrategy,
  ): 'ready' | 'retry' {
    if (strategy === 'cached' && this.expired(connection)) {
      this.close(connection, 'closed-expired', {
        detail: 'older than ConnMaxLifetime when handed over: closed, the call is retried',
        goroutine,
        cause: 'program',
        ruleIds: ['core.conn-max-lifetime'],
      });
      return 'retry';
    }
    if (this.failsResetSession(connection)) {
      this.close(connection, 'dropped-at-checkout', {
        detail: 'ResetSession reports a bad connection: closed, the call is retried',
        goroutine,
        cause: 'program',
        ruleIds: ['pgx-stdlib.dropped-at-next-checkout'],
      });
      return 'retry';
    }
    return 'ready';
  }

  abandonDial(connection: PooledConnection): void {
    connection.closed = true;
    this.numOpen--;
    this.maybeOpenNewConnections();
  }

  release(connection: PooledConnection, kind: ReleaseKind, reason: ReleaseReason): void {
    if (connection.closed) return;
    connection.holder = null;
    if (kind === 'bad' || (HAS_VALIDATOR.has(this.env.driver) && connection.invalid)) {
      this.close(connection, 'discarded', reason);
      return;
    }
    if (this.expired(connection)) {
      this.close(connection, 'closed-expired', {
        ...reason,
        detail: 'older than ConnMaxLifetime on return: closed',
        ruleIds: ['core.conn-max-lifetime'],
      });
      return;
    }
    this.putConnDBLocked(connection, reason.goroutine);
  }

  private putConnDBLocked(connection: PooledConnection, from: string): void {
    const now = this.env.scheduler.nowMs;
    if (this.waiters.length > 0) {
      const index = this.random.nextInt(this.waiters.length);
      const [waiter] = this.waiters.splice(index, 1) as [string];
      connection.holder = waiter;
      this.env.recorder.connectionEvent(
        connection.id,
        now,
        'handed-to-waiter',
        `handed to ${waiter}, picked at random among the waiting requests`,
        { goroutine: waiter, ruleIds: ['core.acquire-random-order'] },
      );
      this.env.scheduler.handOff(waiter, connection);
      return;
    }
    if (this.idle.length < this.maxIdle) {
      this.idle.push(connection);
      const state = connection.closedByDriver
        ? ' (its socket is already closed; the pool does not know)'
        : '';
      this.env.recorder.connectionEvent(
        connection.id,
        now,
        'returned-to-idle',
        `back in the idle list${state}`,
        {
          goroutine: from,
        },
      );
      return;
    }
    this.close(connection, 'closed-max-idle', {
      detail: 'the idle list already holds MaxIdleConns connections: closed',
      goroutine: from,
      cause: 'program',
      ruleIds: ['core.max-idle-conns'],
    });
  }

  private close(
    connection: PooledConnection,
    kind: 'discarded' | 'closed-expired' | 'dropped-at-checkout' | 'closed-max-idle',
    reason: ReleaseReason,
  ): void {
    connection.closed = true;
    connection.holder = null;
    this.env.recorder.connectionEvent(connection.id, this.env.scheduler.nowMs, kind, reason.detail, {
      goroutine: reason.goroutine,
      ...(reason.ruleIds ? { ruleIds: reason.ruleIds } : {}),
    });
    this.factory.disconnect(connection, reason.goroutine, reason.cause, reason.ruleIds ?? []);
    this.numOpen--;
    this.maybeOpenNewConnections();
  }

  /** A freed slot is used to dial a connection for a waiting request (database/sql's opener). */
  private maybeOpenNewConnections(): void {
    let wanted = this.waiters.length;
    if (this.maxOpen > 0) wanted = Math.min(wanted, this.maxOpen - this.numOpen);
    for (; wanted > 0; wanted--) {
      this.numOpen++;
      const { connection, readyAtMs } = this.factory.dial(
        'pool',
        'dialed by database/sql’s opener for a waiting request',
      );
      this.env.scheduler.schedule(readyAtMs, () => this.putConnDBLocked(connection, 'pool'));
    }
  }

  private expired(connection: PooledConnection): boolean {
    return this.lifetimeMs > 0 && connection.createdAtMs + this.lifetimeMs < this.env.scheduler.nowMs;
  }

  private failsResetSession(connection: PooledConnection): boolean {
    return HAS_SESSION_RESETTER.has(this.env.driver) && (connection.closedByDriver || connection.invalid);
  }
}
