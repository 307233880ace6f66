/** The deadline fires while ExecContext / QueryContext is in flight (the server executing). */
import {
  CONTEXT_DEADLINE_EXCEEDED,
  PGCONN_TIMEOUT,
  PGX_QUERY_CANCELED,
  PQ_QUERY_CANCELED,
} from '../goErrors';
import { callOf, destroyed, droppedAtNextCheckout, error, keepConnectionRules, notModelled } from './shared';
import type { RuleId } from '../rules';
import type { DeadlineResolution, DeadlineSituation } from './types';

export function resolveQueryInFlight(situation: DeadlineSituation): DeadlineResolution {
  const call = callOf(situation, situation.inTransaction ? 'tx.ExecContext' : 'db.ExecContext');
  const inTx = situation.inTransaction;
  const txRules: RuleId[] = inTx ? ['core.tx-await-done', ...keepConnectionRules(situation.driver)] : [];
  switch (situation.driver) {
    case 'pgx-stdlib':
      return {
        status: 'modelled',
        driverReaction: 'pgconn-async-close',
        databaseSql: { closesRows: false, rollsBackTransaction: inTx },
        error: error(PGCONN_TIMEOUT, call, 'driver-returns'),
        server:
          'A CancelRequest on a new socket, then Terminate (pgconn asyncClose): the statement is cancelled.',
        connection: inTx
          ? {
              fate: 'discarded',
              summary:
                'Closed by pgx; database/sql then rolls back and discards it (pgx stdlib implements ResetSession but not Validator).',
            }
          : droppedAtNextCheckout('Closed by pgx'),
        transaction: inTx
          ? {
              fate: 'rolled-back',
              summary:
                'Rolled back: the statement is cancelled and the session ends; database/sql (Tx.awaitDone) rolls back too.',
            }
          : {
              fate: 'statement-cancelled',
              summary: 'The statement is cancelled: a blocked UPDATE never applies.',
            },
        programContinues: false,
        ruleIds: [
          'pgx.deadline-watcher',
          'pgx.async-close',
          ...(inTx ? txRules : (['pgx-stdlib.dropped-at-next-checkout'] as RuleId[])),
        ],
      };
    case 'pgxpool':
      if (situation.pgxContextWatcher === 'cancel-request') {
        return {
          status: 'modelled',
          driverReaction: 'pgconn-cancel-request',
          databaseSql: { closesRows: false, rollsBackTransaction: false },
          error: error(PGX_QUERY_CANCELED, call, 'driver-returns'),
          server:
            'A CancelRequest (CancelRequestContextWatcherHandler); the server answers with SQLSTATE 57014.',
          connection: inTx
            ? { fate: 'held-by-transaction', summary: 'Kept, still held by the transaction.' }
            : { fate: 'kept', summary: 'Kept: back in the pool.' },
          transaction: inTx
            ? {
                fate: 'not-stated',
                summary:
                  'The statement is cancelled; the reference does not state what becomes of the open transaction.',
              }
            : { fate: 'statement-cancelled', summary: 'The statement is cancelled.' },
          programContinues: false,
          ruleIds: ['pgxpool.cancel-request-handler'],
        };
      }
      return {
        status: 'modelled',
        driverReaction: 'pgconn-async-close',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: error(PGCONN_TIMEOUT, call, 'driver-returns'),
        server:
          'A CancelRequest on a new socket, then Terminate (pgconn asyncClose): the statement is cancelled.',
        connection: destroyed(),
        transaction: inTx
          ? {
              fate: 'rolled-back',
              summary: 'Rolled back by the server: the statement is cancelled and the connection is closed.',
            }
          : {
              fate: 'statement-cancelled',
              summary: 'The statement is cancelled: a blocked UPDATE never applies.',
            },
        programContinues: false,
        ruleIds: [
          'pgx.deadline-watcher',
          'pgx.async-close',
          'pgxpool.destroyed',
          ...(inTx ? (['pgxpool.commit-expired'] as RuleId[]) : []),
        ],
      };
    case 'lib-pq':
      return {
        status: 'modelled',
        driverReaction: 'pq-cancel-request',
        databaseSql: { closesRows: false, rollsBackTransaction: inTx },
        error: error(PQ_QUERY_CANCELED, call, 'driver-returns'),
        server:
          'A CancelRequest on a new connection (watchCancel); the call returns when the server answers: the statement is cancelled.',
        connection: { fate: 'discarded', summary: 'Marked invalid and discarded.' },
        transaction: inTx
          ? {
              fate: 'rolled-back',
              summary: 'Rolled back: the statement is cancelled and database/sql (Tx.awaitDone) rolls back.',
            }
          : { fate: 'statement-cancelled', summary: 'The statement is cancelled.' },
        programContinues: false,
        ruleIds: ['lib-pq.watch-cancel', ...txRules],
      };
    case 'mysql':
      return {
        status: 'modelled',
        driverReaction: 'mysql-close-socket',
        databaseSql: { closesRows: false, rollsBackTransaction: inTx },
        error: error(CONTEXT_DEADLINE_EXCEEDED, call, 'driver-returns'),
        server:
          'Nothing: the driver just closes the TCP socket, no KILL QUERY. The server keeps running the statement.',
        connection: { fate: 'discarded', summary: 'Discarded.' },
        transaction: inTx
          ? {
              fate: 'not-stated',
              summary:
                'The server keeps running the statement; the reference does not state what becomes of its open transaction once the socket is closed.',
            }
          : situation.statement?.isWrite === true
            ? {
                fate: 'statement-keeps-running',
                summary:
                  'The server keeps running the statement: a lock-blocked UPDATE commits once it gets the lock.',
              }
            : { fate: 'statement-keeps-running', summary: 'The server keeps running the statement.' },
        programContinues: false,
        ruleIds: ['mysql.close-socket', ...txRules],
      };
    case 'sqlite3': {
      if (situation.blockedOnLock === true) {
        return notModelled(
          'SQLite has no row locks; the reference does not describe a statement waiting for a database lock.',
          ['sqlite3.interrupt'],
        );
      }
      const writeInTx = inTx && situation.statement?.isWrite === true;
      return {
        status: 'modelled',
        driverReaction: 'sqlite-interrupt',
        databaseSql: { closesRows: false, rollsBackTransaction: inTx },
        error: error(CONTEXT_DEADLINE_EXCEEDED, call, 'driver-returns'),
        server: 'sqlite3_interrupt on the running statement.',
        connection: inTx
          ? {
              fate: 'discarded',
              summary:
                'Kept by the driver, but database/sql rolls back and discards it (go-sqlite3 implements neither SessionResetter nor Validator).',
            }
          : { fate: 'kept', summary: 'Kept.' },
        transaction: writeInTx
          ? {
              fate: 'rolled-back',
              summary:
                'Rolled back: an interrupted write inside an explicit transaction rolls the whole transaction back.',
            }
          : inTx
            ? { fate: 'rolled-back', summary: 'Rolled back by database/sql (Tx.awaitDone).' }
            : { fate: 'statement-interrupted', summary: 'The running statement is interrupted.' },
        programContinues: false,
        ruleIds: ['sqlite3.interrupt', ...txRules],
      };
    }
  }
}
