/** The deadline fires before tx.Commit() is called (the ctx has already ended) or while COMMIT is in flight. */
import { ERR_TX_DONE, PGCONN_TIMEOUT } from '../goErrors';
import { callOf, destroyed, droppedAtNextCheckout, error, notModelled } from './shared';
import { idleInTransactionAtDeadline } from './betweenCalls';
import type { DeadlineResolution, DeadlineSituation } from './types';

export function resolveCommitBeforeCall(situation: DeadlineSituation): DeadlineResolution {
  if (situation.driver === 'pgxpool') {
    return {
      status: 'modelled',
      driverReaction: 'none',
      databaseSql: { closesRows: false, rollsBackTransaction: false },
      error: {
        kind: 'not-stated',
        note: 'The reference does not state the error pgxpool’s Commit returns when its ctx has already ended.',
      },
      server:
        'Nothing at the deadline (the session stays idle in transaction); when the program calls Commit, COMMIT is not sent and the connection is closed: the server rolls back.',
      connection: {
        fate: 'destroyed',
        summary: 'Closed by Commit; the pool destroys it (pool total drops).',
      },
      transaction: {
        fate: 'rolled-back',
        summary: 'Not committed: rolled back by the server when the connection closes.',
      },
      programContinues: true,
      ruleIds: ['pgxpool.begin-only', 'pgxpool.commit-expired', 'pgxpool.destroyed'],
    };
  }
  const atDeadline = idleInTransactionAtDeadline(situation.driver);
  return {
    ...atDeadline,
    error: error(ERR_TX_DONE, callOf(situation, 'tx.Commit'), 'commit-call'),
    transaction: {
      fate: 'rolled-back',
      summary:
        'Not committed: database/sql (Tx.awaitDone) rolled it back; the driver’s Commit is never called.',
    },
    programContinues: true,
    ruleIds: ['core.commit-expired', ...atDeadline.ruleIds],
  };
}

export function resolveCommitInFlight(situation: DeadlineSituation): DeadlineResolution {
  const call = callOf(situation, 'tx.Commit');
  switch (situation.driver) {
    case 'pgx-stdlib':
      return {
        status: 'modelled',
        driverReaction: 'pgconn-async-close',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: error(PGCONN_TIMEOUT, call, 'driver-returns'),
        server: 'COMMIT runs under the BeginTx ctx: a CancelRequest, then Terminate (pgconn asyncClose).',
        connection: droppedAtNextCheckout('Closed by pgx'),
        transaction: {
          fate: 'outcome-unknown',
          summary: 'The client cannot know whether the COMMIT happened.',
        },
        programContinues: false,
        ruleIds: [
          'pgx-stdlib.commit-reuses-begin-ctx',
          'pgx.deadline-watcher',
          'pgx.async-close',
          'pgx-stdlib.dropped-at-next-checkout',
        ],
      };
    case 'pgxpool':
      if (situation.pgxContextWatcher === 'cancel-request') {
        return notModelled(
          'The reference does not state what CancelRequestContextWatcherHandler does to a COMMIT in flight.',
          ['pgxpool.cancel-request-handler'],
        );
      }
      return {
        status: 'modelled',
        driverReaction: 'pgconn-async-close',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: error(PGCONN_TIMEOUT, call, 'driver-returns'),
        server:
          'COMMIT is watched like any pgconn call: a CancelRequest, then Terminate (pgconn asyncClose).',
        connection: destroyed(),
        transaction: {
          fate: 'outcome-unknown',
          summary:
            'The client cannot know whether the COMMIT happened (stated for pgx stdlib; pgxpool’s Commit goes through the same pgconn watch).',
        },
        programContinues: false,
        ruleIds: [
          'pgx-stdlib.commit-reuses-begin-ctx',
          'pgx.deadline-watcher',
          'pgx.async-close',
          'pgxpool.destroyed',
        ],
      };
    case 'lib-pq':
      return {
        status: 'modelled',
        driverReaction: 'pq-cancel-request',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: {
          kind: 'not-stated',
          note: 'A CancelRequest races the COMMIT; the reference does not state what Commit returns.',
        },
        server: 'The transaction watcher is still armed during COMMIT: a CancelRequest races it.',
        connection: { fate: 'discarded', summary: 'Marked invalid by lib/pq’s watcher and discarded.' },
        transaction: {
          fate: 'race',
          summary: 'A CancelRequest races the COMMIT; the reference does not state which one wins.',
        },
        programContinues: false,
        ruleIds: ['lib-pq.commit-watched', 'lib-pq.watch-cancel'],
      };
    case 'mysql':
      return {
        status: 'modelled',
        driverReaction: 'none',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: {
          kind: 'none',
          note: 'COMMIT is not watched and runs to completion: Commit returns no error.',
        },
        server: 'Nothing more: COMMIT is not watched and runs to completion.',
        connection: { fate: 'kept', summary: 'Kept: back in the pool.' },
        transaction: { fate: 'committed', summary: 'Committed.' },
        programContinues: true,
        ruleIds: ['mysql.commit-not-watched'],
      };
    case 'sqlite3':
      return {
        status: 'modelled',
        driverReaction: 'none',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: { kind: 'none', note: 'Commit uses a background context and runs to completion: no error.' },
        server: 'Nothing: commit uses a background context.',
        connection: { fate: 'kept', summary: 'Kept: back in the pool.' },
        transaction: { fate: 'committed', summary: 'Committed.' },
        programContinues: true,
        ruleIds: ['sqlite3.commit-background-ctx'],
      };
  }
}
