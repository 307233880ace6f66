/** The deadline fires while the program does its own work between calls (idle, or idle in transaction). */
import { CONTEXT_DEADLINE_EXCEEDED } from '../goErrors';
import { SOURCES } from '../sources';
import { NEXT_CALL_NOT_STATED, error, keepConnectionRules, notModelled } from './shared';
import type { DriverName } from '../drivers';
import type { DeadlineResolution, DeadlineSituation, ErrorPlan, ModelledResolution } from './types';

export function resolveIdleOutsideTransaction(situation: DeadlineSituation): DeadlineResolution {
  if (situation.call === undefined) {
    return {
      status: 'modelled',
      driverReaction: 'none',
      databaseSql: { closesRows: false, rollsBackTransaction: false },
      error: { kind: 'none', note: 'The program makes no further call.' },
      server: 'Nothing reaches the server.',
      connection: { fate: 'not-acquired', summary: 'None held.' },
      transaction: { fate: 'none', summary: 'None.' },
      programContinues: true,
      ruleIds: [],
    };
  }
  if (situation.driver === 'pgxpool') {
    return notModelled(
      'The deadline fired between calls; the reference does not state what pgxpool’s next call (puddle Acquire with an ended ctx) returns.',
      [],
      [SOURCES.puddleAcquire],
    );
  }
  return {
    status: 'modelled',
    driverReaction: 'none',
    databaseSql: { closesRows: false, rollsBackTransaction: false },
    error: error(CONTEXT_DEADLINE_EXCEEDED, situation.call, 'next-call'),
    server: 'Nothing reaches the server: the next call checks the ctx at entry.',
    connection: { fate: 'not-acquired', summary: 'None: the next call does not get a connection.' },
    transaction: { fate: 'none', summary: 'None.' },
    programContinues: true,
    ruleIds: ['core.acquire'],
  };
}

export function resolveIdleInTransaction(situation: DeadlineSituation): DeadlineResolution {
  const atDeadline = idleInTransactionAtDeadline(situation.driver);
  const errorPlan: ErrorPlan =
    situation.call === undefined
      ? { kind: 'none', note: 'The program makes no further call.' }
      : { kind: 'not-stated', note: NEXT_CALL_NOT_STATED };
  return { ...atDeadline, error: errorPlan, programContinues: true };
}

/** What happens at the deadline to a transaction whose program is between calls. */
export function idleInTransactionAtDeadline(
  driver: DriverName,
): Omit<ModelledResolution, 'error' | 'programContinues'> {
  const rolledBack = { fate: 'rolled-back' as const, summary: 'Rolled back by database/sql (Tx.awaitDone).' };
  switch (driver) {
    case 'pgx-stdlib':
      return {
        status: 'modelled',
        driverReaction: 'none',
        databaseSql: { closesRows: false, rollsBackTransaction: true },
        server:
          'database/sql rolls the transaction back (what pgx stdlib sends for it is not stated), then discards — closes — the connection.',
        connection: {
          fate: 'discarded',
          summary: 'Discarded: pgx stdlib implements ResetSession but not Validator.',
        },
        transaction: rolledBack,
        ruleIds: ['core.tx-await-done', ...keepConnectionRules(driver)],
      };
    case 'pgxpool':
      return {
        status: 'modelled',
        driverReaction: 'none',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        server: 'Nothing: pgxpool does not watch the ctx after BEGIN.',
        connection: { fate: 'held-by-transaction', summary: 'Still held by the transaction.' },
        transaction: {
          fate: 'idle-in-transaction',
          summary: 'No automatic rollback: the session stays "idle in transaction" until the program acts.',
        },
        ruleIds: ['pgxpool.begin-only'],
      };
    case 'lib-pq':
      return {
        status: 'modelled',
        driverReaction: 'pq-cancel-request',
        databaseSql: { closesRows: false, rollsBackTransaction: true },
        server:
          'The watcher armed for the whole transaction sends a CancelRequest; database/sql rolls back and discards the connection.',
        connection: { fate: 'discarded', summary: 'Marked invalid by lib/pq’s watcher and discarded.' },
        transaction: rolledBack,
        ruleIds: [
          'core.tx-await-done',
          'lib-pq.begin-not-watched',
          'lib-pq.watch-cancel',
          ...keepConnectionRules(driver),
        ],
      };
    case 'mysql':
      return {
        status: 'modelled',
        driverReaction: 'none',
        databaseSql: { closesRows: false, rollsBackTransaction: true },
        server: 'database/sql sends ROLLBACK.',
        connection: { fate: 'kept', summary: 'Kept: back in the pool after the ROLLBACK.' },
        transaction: rolledBack,
        ruleIds: ['core.tx-await-done', 'mysql.commit-not-watched', ...keepConnectionRules(driver)],
      };
    case 'sqlite3':
      return {
        status: 'modelled',
        driverReaction: 'none',
        databaseSql: { closesRows: false, rollsBackTransaction: true },
        server: 'database/sql rolls the transaction back, then discards the connection.',
        connection: {
          fate: 'discarded',
          summary: 'Discarded: go-sqlite3 implements neither SessionResetter nor Validator.',
        },
        transaction: rolledBack,
        ruleIds: ['core.tx-await-done', ...keepConnectionRules(driver)],
      };
  }
}
