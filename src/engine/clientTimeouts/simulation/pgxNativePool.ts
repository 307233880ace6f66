/**
 * pgxpool's pool, as far as the reference goes: a connection that is closed (or still inside a
 * transaction) when released is destroyed and the pool total drops (rule `pgxpool.destroyed`).
 * Waiting for a connection (puddle Acquire) is not described by the reference: a goroutine that
 * would have to wait is reported as not modelled.
 */
import type { PoolSettings } from '../scenario';
import {
  ConnectionFactory,
  type CheckoutResult,
  type ConnectionPool,
  type PoolEnvironment,
  type PooledConnection,
  type ReleaseKind,
  type ReleaseReason,
} from './connectionPool';

export class PgxNativePool implements ConnectionPool {
  private readonly idle: PooledConnection[] = [];
  private total = 0;
  private readonly factory: ConnectionFactory;
  private readonly maxConns: number;

  constructor(
    private readonly env: PoolEnvironment,
    settings: PoolSettings,
  ) {
    this.factory = new ConnectionFactory(env);
    this.maxConns = settings.maxOpenConns;
  }

  checkout(goroutine: string): CheckoutResult {
    const now = this.env.scheduler.nowMs;
    const connection = this.idle.pop();
    if (connection !== undefined) {
      connection.holder = goroutine;
      this.env.recorder.connectionEvent(connection.id, now, 'checked-out', 'from the idle list', {
        goroutine,
      });
      return { kind: 'ready', connection };
    }
    if (this.total >= this.maxConns) {
      return {
        kind: 'not-modelled',
        reason:
          'pgxpool is at MaxConns and the goroutine would wait in puddle Acquire; the reference cites it but does not describe that wait.',
      };
    }
    this.total++;
    const dial = this.factory.dial(goroutine, `dialed by ${goroutine} (pool below MaxConns)`);
    dial.connection.holder = goroutine;
    this.env.recorder.connectionEvent(dial.connection.id, dial.readyAtMs, 'checked-out', 'new connection', {
      goroutine,
    });
    return { kind: 'dial', ...dial };
  }

  enqueueWaiter(): () => void {
    throw new Error('pgxpool waits are not modelled');
  }

  acceptHandedConnection(): 'ready' {
    return 'ready';
  }

  abandonDial(connection: PooledConnection): void {
    connection.closed = true;
    this.total--;
  }

  release(connection: PooledConnection, kind: ReleaseKind, reason: ReleaseReason): void {
    if (connection.closed) return;
    connection.holder = null;
    if (kind === 'bad' || connection.closedByDriver || connection.invalid) {
      connection.closed = true;
      this.total--;
      this.env.recorder.connectionEvent(connection.id, this.env.scheduler.nowMs, 'destroyed', reason.detail, {
        goroutine: reason.goroutine,
        ruleIds: reason.ruleIds ?? ['pgxpool.destroyed'],
      });
      this.factory.disconnect(
        connection,
        reason.goroutine,
        reason.cause,
        reason.ruleIds ?? ['pgxpool.destroyed'],
      );
      return;
    }
    this.idle.push(connection);
    this.env.recorder.connectionEvent(
      connection.id,
      this.env.scheduler.nowMs,
      'returned-to-idle',
      'back in the pool',
      {
        goroutine: reason.goroutine,
      },
    );
  }
}
