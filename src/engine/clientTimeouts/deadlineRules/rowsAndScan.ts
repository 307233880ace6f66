/** The deadline fires while rows stream (rows.Next) or while the program holds a row before rows.Scan. */
import { CONTEXT_DEADLINE_EXCEEDED, PGCONN_TIMEOUT } from '../goErrors';
import { destroyed, droppedAtNextCheckout, error, keepConnectionRules, notModelled } from './shared';
import type { RuleId } from '../rules';
import type { DeadlineResolution, DeadlineSituation } from './types';

export function resolveRowsOrScan(situation: DeadlineSituation): DeadlineResolution {
  const scan = situation.phase === 'scan';
  const inTx = situation.inTransaction;
  const writeQuery = situation.statement?.isWrite === true;
  const autocommitTransaction = writeQuery
    ? {
        fate: 'not-stated' as const,
        summary:
          'The reference does not state what becomes of a writing query whose rows are closed by the deadline.',
      }
    : { fate: 'none' as const, summary: 'None: an autocommit query.' };
  const txRolledBack = {
    fate: 'rolled-back' as const,
    summary: 'Rolled back by database/sql (Tx.awaitDone).',
  };
  const coreRule: RuleId = scan ? 'core.scan' : 'core.rows-await-done';
  const databaseSqlError = scan
    ? error(CONTEXT_DEADLINE_EXCEEDED, 'rows.Scan', 'scan-call')
    : error(CONTEXT_DEADLINE_EXCEEDED, 'rows.Next() returns false; rows.Err()', 'rows-closed');
  const discardedByRollback = (why: string) => ({
    fate: 'discarded' as const,
    summary: `${why}; database/sql rolls back and discards it.`,
  });
  const txRules: RuleId[] = inTx ? ['core.tx-await-done', ...keepConnectionRules(situation.driver)] : [];
  const base = {
    status: 'modelled' as const,
    databaseSql: { closesRows: true, rollsBackTransaction: inTx },
    error: databaseSqlError,
    programContinues: false,
  };
  switch (situation.driver) {
    case 'pgx-stdlib':
      return {
        ...base,
        driverReaction: 'pgconn-async-close',
        server:
          'The watch stays armed until ReadyForQuery, so closing the rows sends a CancelRequest (then Terminate, pgconn asyncClose).',
        connection: inTx ? discardedByRollback('Closed by pgx') : droppedAtNextCheckout('Closed by pgx'),
        transaction: inTx ? txRolledBack : autocommitTransaction,
        ruleIds: [
          coreRule,
          ...(scan ? (['core.rows-await-done'] as RuleId[]) : []),
          'pgx-stdlib.rows-watch-until-ready-for-query',
          'pgx.async-close',
          ...(inTx ? txRules : (['pgx-stdlib.dropped-at-next-checkout'] as RuleId[])),
        ],
      };
    case 'pgxpool':
      if (situation.pgxContextWatcher === 'cancel-request') {
        return notModelled(
          'The reference does not state what CancelRequestContextWatcherHandler does while rows stream.',
          ['pgxpool.cancel-request-handler'],
        );
      }
      return {
        status: 'modelled',
        driverReaction: 'pgconn-async-close',
        databaseSql: { closesRows: false, rollsBackTransaction: false },
        error: error(PGCONN_TIMEOUT, 'rows.Next() returns false; rows.Err()', 'buffered-rows-exhausted'),
        server:
          'Once the buffered rows are used up, the read fails: a CancelRequest (the watch stays armed until ReadyForQuery), then Terminate (pgconn asyncClose).',
        connection: destroyed(),
        transaction: inTx
          ? {
              fate: 'rolled-back',
              summary:
                'Rolled back by the server when the connection closes (pgxpool does not roll back by itself).',
            }
          : autocommitTransaction,
        programContinues: true,
        ruleIds: [
          ...(scan ? (['core.scan'] as RuleId[]) : []),
          'pgxpool.buffered-rows',
          'pgx-stdlib.rows-watch-until-ready-for-query',
          'pgx.deadline-watcher',
          'pgx.async-close',
          'pgxpool.destroyed',
        ],
      };
    case 'lib-pq':
      return {
        ...base,
        driverReaction: 'pq-cancel-request',
        server: 'A CancelRequest (watchCancel); the connection is closed.',
        connection: { fate: 'discarded', summary: 'Closed by lib/pq and discarded.' },
        transaction: inTx ? txRolledBack : autocommitTransaction,
        ruleIds: [
          coreRule,
          ...(scan ? (['core.rows-await-done'] as RuleId[]) : []),
          'lib-pq.rows',
          'lib-pq.watch-cancel',
          ...txRules,
        ],
      };
    case 'mysql':
      return {
        ...base,
        driverReaction: 'mysql-close-socket',
        server: 'Nothing: the driver closes the TCP socket.',
        connection: { fate: 'discarded', summary: 'Discarded (its socket is closed).' },
        transaction: inTx ? txRolledBack : autocommitTransaction,
        ruleIds: [
          coreRule,
          ...(scan ? (['core.rows-await-done'] as RuleId[]) : []),
          'mysql.rows',
          'mysql.close-socket',
          ...txRules,
        ],
      };
    case 'sqlite3': {
      const stepping = !scan && situation.programInNext === true;
      return {
        ...base,
        driverReaction: stepping ? 'sqlite-interrupt' : 'none',
        server: stepping
          ? 'sqlite3_interrupt on the running sqlite3_step inside rows.Next.'
          : 'Nothing: no sqlite3_step is running when the deadline fires (sqlite3_interrupt is only called from a running (*SQLiteRows).Next).',
        connection: inTx ? discardedByRollback('Kept by the driver') : { fate: 'kept', summary: 'Kept.' },
        transaction: inTx ? txRolledBack : autocommitTransaction,
        ruleIds: [
          coreRule,
          ...(scan ? (['core.rows-await-done'] as RuleId[]) : []),
          'sqlite3.rows',
          ...txRules,
        ],
      };
    }
  }
}
