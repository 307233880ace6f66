/** The deadline fires while BEGIN is on its way (BeginTx). */
import { CONTEXT_DEADLINE_EXCEEDED, PGCONN_TIMEOUT } from '../goErrors';
import {
  NEXT_CALL_NOT_STATED,
  callOf,
  destroyed,
  droppedAtNextCheckout,
  error,
  keepConnectionRules,
  notModelled,
} from './shared';
import type { DeadlineResolution, DeadlineSituation } from './types';

export function resolveBegin(situation: DeadlineSituation): DeadlineResolution {
  const beginCall = callOf(situation, 'db.BeginTx');
  const noTransaction = {
    fate: 'none' as const,
    summary: 'None: BeginTx returned the error, so the program has no transaction.',
  };
  switch (situation.driver) {
    case 'pgx-stdlib':
      return {
        status: 'modelled',
        driverReaction: 'pgconn-async-close',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: error(PGCONN_TIMEOUT, beginCall, 'driver-returns'),
        server: 'BEGIN is watched: a CancelRequest on a new socket, then Terminate (pgconn asyncClose).',
        connection: droppedAtNextCheckout('Closed by pgx'),
        transaction: noTransaction,
        programContinues: false,
        ruleIds: [
          'pgx-stdlib.begin-watched',
          'pgx.deadline-watcher',
          'pgx.async-close',
          'pgx-stdlib.dropped-at-next-checkout',
        ],
      };
    case 'pgxpool':
      if (situation.pgxContextWatcher === 'cancel-request') {
        return notModelled(
          'The reference does not state what CancelRequestContextWatcherHandler does to a BEGIN in flight.',
          ['pgxpool.cancel-request-handler'],
        );
      }
      return {
        status: 'modelled',
        driverReaction: 'pgconn-async-close',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: error(PGCONN_TIMEOUT, callOf(situation, 'pool.BeginTx'), 'driver-returns'),
        server:
          'The ctx covers the BEGIN statement: a CancelRequest on a new socket, then Terminate (pgconn asyncClose).',
        connection: destroyed(),
        transaction: noTransaction,
        programContinues: false,
        ruleIds: ['pgxpool.begin-only', 'pgx.deadline-watcher', 'pgx.async-close', 'pgxpool.destroyed'],
      };
    case 'lib-pq':
      return {
        status: 'modelled',
        driverReaction: 'pq-cancel-request',
        databaseSql: { closesRows: false, rollsBackTransaction: true },
        error: {
          kind: 'not-stated',
          note: `BeginTx itself returns no error: lib/pq does not watch BEGIN. ${NEXT_CALL_NOT_STATED}`,
        },
        server:
          'BEGIN is not watched and completes; the watcher armed for the whole transaction finds the ctx already ended and sends a CancelRequest.',
        connection: {
          fate: 'discarded',
          summary: 'Marked invalid by lib/pq’s watcher; discarded when database/sql rolls back.',
        },
        transaction: {
          fate: 'rolled-back',
          summary: 'Rolled back by database/sql (Tx.awaitDone) as soon as BeginTx returns.',
        },
        programContinues: true,
        ruleIds: [
          'lib-pq.begin-not-watched',
          'lib-pq.watch-cancel',
          'core.tx-await-done',
          ...keepConnectionRules('lib-pq'),
        ],
      };
    case 'mysql':
      return {
        status: 'modelled',
        driverReaction: 'mysql-close-socket',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: error(CONTEXT_DEADLINE_EXCEEDED, beginCall, 'driver-returns'),
        server:
          'Nothing: START TRANSACTION is watched while it is sent, and the driver closes the TCP socket.',
        connection: { fate: 'discarded', summary: 'Discarded (its socket is closed).' },
        transaction: noTransaction,
        programContinues: false,
        ruleIds: ['mysql.begin-watched-while-sending', 'mysql.close-socket'],
      };
    case 'sqlite3':
      return {
        status: 'modelled',
        driverReaction: 'sqlite-interrupt',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: error(CONTEXT_DEADLINE_EXCEEDED, beginCall, 'driver-returns'),
        server: 'BEGIN is interruptible: sqlite3_interrupt.',
        connection: { fate: 'kept', summary: 'Kept.' },
        transaction: noTransaction,
        programContinues: false,
        ruleIds: ['sqlite3.begin-interruptible', 'sqlite3.interrupt'],
      };
  }
}
