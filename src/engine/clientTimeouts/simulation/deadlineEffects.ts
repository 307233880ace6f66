/**
 * Applying a deadline resolution to the world: the driver's reaction (what reaches the server and
 * when, what it does to the connection), database/sql's Tx.awaitDone rollback, and giving the
 * connection back to the pool as the verdict's connection fate says.
 */
import { keepConnectionRules, type DriverReaction, type ModelledResolution } from '../deadlineRules';
import { DRIVERS } from '../drivers';
import type { RuleId } from '../rules';
import type { ConnectionFate } from '../timeline';
import type { PooledConnection } from './connectionPool';
import type { GoroutineContext } from './goroutineContext';
import { reactionTiming, type ReactionContext, type ReactionTiming } from './reactionTiming';

/** The driver reacts to the ended ctx now: record its server effects and connection changes. */
export function applyReaction(
  goroutine: GoroutineContext,
  reaction: DriverReaction,
  connection: PooledConnection,
  context: Omit<ReactionContext, 'network'>,
  ruleIds: RuleId[],
): ReactionTiming {
  const now = goroutine.now();
  const timing = reactionTiming(reaction, now, { network: goroutine.env.network, ...context });
  if (timing.cancelRequestAtMs !== undefined) {
    goroutine.effect('cancel-request', connection, timing.cancelRequestAtMs, 'deadline', ruleIds);
  }
  if (timing.interruptAtMs !== undefined) {
    goroutine.effect('sqlite-interrupt', connection, timing.interruptAtMs, 'deadline', ruleIds);
  }
  const extra = { goroutine: goroutine.id, ruleIds };
  if (timing.invalidatesConnection && !connection.invalid) {
    connection.invalid = true;
    goroutine.recorder.connectionEvent(
      connection.id,
      now,
      'marked-invalid',
      'the driver marks the connection bad',
      extra,
    );
  }
  if (timing.closesConnectionAtMs !== undefined && !connection.closedByDriver) {
    connection.closedByDriver = true;
    goroutine.recorder.connectionEvent(
      connection.id,
      timing.closesConnectionAtMs,
      'closed-by-driver',
      'the driver closes its socket',
      extra,
    );
  }
  if (timing.disconnect !== undefined && !connection.disconnectSent) {
    connection.disconnectSent = true;
    goroutine.recorder.serverEffect({
      atMs: timing.disconnect.atMs,
      kind: 'disconnect',
      connectionId: connection.id,
      goroutine: goroutine.id,
      graceful: timing.disconnect.graceful,
      cause: 'deadline',
      ruleIds,
    });
  }
  return timing;
}

/** database/sql's Tx.awaitDone rolls the transaction back and releases its connection. */
export function rollBackByAwaitDone(goroutine: GoroutineContext, ruleIds: RuleId[]): void {
  const transaction = goroutine.transaction;
  const connection = transaction?.connection;
  if (transaction === null || connection === null || connection === undefined) return;
  const driver = goroutine.env.driver;
  transaction.rolledBack = true;
  transaction.connection = null;
  goroutine.recorder.connectionEvent(
    connection.id,
    goroutine.now(),
    'transaction-rolled-back',
    'database/sql rolls the transaction back (Tx.awaitDone)',
    { goroutine: goroutine.id, ruleIds: ['core.tx-await-done'] },
  );
  const keeps = DRIVERS[driver].keepsConnectionAfterContextRollback === true;
  if (driver === 'mysql' && keeps && !connection.closedByDriver) {
    // database/sql sends ROLLBACK and keeps the connection.
    const roundTrip = goroutine.roundTrip({ executionMs: 0 });
    const rules: RuleId[] = ['core.tx-await-done', 'mysql.commit-not-watched'];
    goroutine.effect('statement', connection, roundTrip.arrivesAtMs, 'deadline', rules, 'ROLLBACK');
    goroutine.env.scheduler.schedule(roundTrip.responseAtMs, () =>
      release(goroutine, connection, 'normal', 'ROLLBACK done: kept', 'deadline', rules),
    );
    return;
  }
  const detail = keeps
    ? 'database/sql rolled back (Tx.awaitDone); the driver reports the connection invalid: discarded'
    : 'database/sql rolled back (Tx.awaitDone) and discards it: the driver lacks SessionResetter or Validator';
  release(goroutine, connection, keeps ? 'normal' : 'bad', detail, 'deadline', [
    ...ruleIds,
    ...keepConnectionRules(driver),
  ]);
}

/** After an interrupted call (or rows close): roll the transaction back, or give the connection back. */
export function afterInterruptedCall(
  goroutine: GoroutineContext,
  resolution: ModelledResolution,
  connection: PooledConnection,
): void {
  const transaction = goroutine.transaction;
  if (transaction === null) {
    releaseAfterDeadline(goroutine, connection, resolution.connection.fate, resolution.ruleIds);
    return;
  }
  if (resolution.databaseSql.rollsBackTransaction) {
    rollBackByAwaitDone(goroutine, resolution.ruleIds);
  } else if (connection.closedByDriver) {
    // pgxpool: the program returns the error; its transaction's closed connection is destroyed.
    release(
      goroutine,
      connection,
      'bad',
      'closed by pgx; destroyed when the transaction lets it go',
      'deadline',
      resolution.ruleIds,
    );
    transaction.connection = null;
  }
}

/** Give a connection back according to the verdict's connection fate. */
export function releaseAfterDeadline(
  goroutine: GoroutineContext,
  connection: PooledConnection,
  fate: ConnectionFate,
  ruleIds: RuleId[],
): void {
  switch (fate) {
    case 'kept':
      return release(goroutine, connection, 'normal', 'kept', 'deadline', ruleIds);
    case 'closed-dropped-at-next-checkout':
      return release(
        goroutine,
        connection,
        'normal',
        'returned although the driver closed it',
        'deadline',
        ruleIds,
      );
    case 'discarded':
      return release(
        goroutine,
        connection,
        'bad',
        'discarded: the driver reports a bad connection',
        'deadline',
        ruleIds,
      );
    case 'destroyed':
      return release(
        goroutine,
        connection,
        'bad',
        'closed by pgx: destroyed (pool total drops)',
        'deadline',
        ruleIds,
      );
    default:
      return;
  }
}

export function release(
  goroutine: GoroutineContext,
  connection: PooledConnection,
  kind: 'normal' | 'bad',
  detail: string,
  cause: 'program' | 'deadline',
  ruleIds: RuleId[] = [],
): void {
  goroutine.env.pool.release(connection, kind, { detail, goroutine: goroutine.id, cause, ruleIds });
}
