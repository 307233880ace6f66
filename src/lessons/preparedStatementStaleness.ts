/** Prepared statements against schema changes: "cached plan must not change result type". */
import type { Lesson } from './lesson';

const spec = `# A prepared statement keeps the result type it had when it was prepared: after ALTER TABLE
# changes that type, EXECUTE fails with 0A000 "cached plan must not change result type".

setup
{
  CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance int NOT NULL);
  INSERT INTO accounts VALUES (1, 'alice', 100);
}

teardown
{
  DROP TABLE accounts;
}

session A
step a_prepare_star { PREPARE all_accounts AS SELECT * FROM accounts; }
step a_execute_star { EXECUTE all_accounts; }
step a_reprepare_star { DEALLOCATE all_accounts; PREPARE all_accounts AS SELECT * FROM accounts; }
step a_prepare_list { PREPARE balances AS SELECT id, balance FROM accounts; }
step a_execute_list { EXECUTE balances; }

session B
step b_add_column { ALTER TABLE accounts ADD COLUMN currency text NOT NULL DEFAULT 'EUR'; }
step b_alter_type { ALTER TABLE accounts ALTER COLUMN balance TYPE bigint; }

permutation a_prepare_star a_execute_star b_add_column a_execute_star a_reprepare_star a_execute_star
permutation a_prepare_list a_execute_list b_add_column a_execute_list b_alter_type a_execute_list
`;

const cachedPlanError = { sqlstate: '0A000', message: 'cached plan must not change result type' };

export const preparedStatementStaleness: Lesson = {
  id: 'prepared-statement-staleness',
  title: 'Prepared statements after a schema change',
  summary:
    'A prepared statement keeps the result type it was prepared with: after `ALTER TABLE` changes it, `EXECUTE` fails with *cached plan must not change result type* (0A000). What an explicit column list changes, and what drivers with statement caches do.',
  spec,
  parts: [
    {
      title: 'SELECT * and ADD COLUMN',
      intro:
        'Session A is an application that prepares its queries once and runs them many times — as drivers with a statement cache do. Session B runs a migration: it adds a column to the table.',
      steps: [
        {
          step: 'a_prepare_star',
          before:
            'A prepares `SELECT * FROM accounts`. The server fixes the statement’s result columns now: `id, owner, balance`.',
        },
        {
          step: 'a_execute_star',
          after: 'Three columns, as prepared.',
          expect: { error: null, rows: [['1', 'alice', '100']] },
        },
        {
          step: 'b_add_column',
          before: 'B adds a column with a default: `currency`.',
          after: 'B did not wait: A holds no lock on the table between two executions.',
          expect: { waits: false, error: null },
        },
        {
          step: 'a_execute_star',
          predict: {
            question: 'A executes its prepared `SELECT *` again. What happens?',
            options: [
              'It returns the three columns it was prepared with',
              'It returns four columns',
              'It fails',
            ],
            answer: 2,
          },
          after:
            '`ERROR:  cached plan must not change result type`, SQLSTATE **0A000**. The statement was planned again after the `ALTER TABLE`, and `*` now means four columns — but a prepared statement may not change the columns it returns.',
          expect: { error: cachedPlanError },
        },
        {
          step: 'a_reprepare_star',
          before: 'The fix: deallocate the statement and prepare it again.',
        },
        {
          step: 'a_execute_star',
          after: 'Four columns: the new statement was prepared after the change.',
          expect: { error: null, rows: [['1', 'alice', '100', 'EUR']] },
        },
      ],
    },
    {
      title: 'An explicit column list',
      intro: 'A names its columns instead of `*`. (The setup runs again first: the table has three columns.)',
      steps: [
        { step: 'a_prepare_list', before: 'A prepares `SELECT id, balance FROM accounts`.' },
        { step: 'a_execute_list', expect: { error: null, rows: [['1', '100']] } },
        { step: 'b_add_column', before: 'B adds the `currency` column again.' },
        {
          step: 'a_execute_list',
          predict: {
            question: 'Does the prepared `SELECT id, balance` survive the new column?',
            options: ['Yes', 'No, it fails like `SELECT *`'],
            answer: 0,
          },
          after:
            'It does: its result is still `id, balance`, of the same types. A new column does not concern it.',
          expect: { error: null, rows: [['1', '100']] },
        },
        {
          step: 'b_alter_type',
          before: 'Now B changes the type of a column A returns: `balance` becomes `bigint`.',
        },
        {
          step: 'a_execute_list',
          predict: {
            question: 'And now?',
            options: ['It returns the balance as bigint', 'It fails'],
            answer: 1,
          },
          after:
            'It fails with the same 0A000: the column list is the same, but the type of one of its columns changed — and that is part of the result type too.',
          expect: { error: cachedPlanError },
        },
      ],
      outro:
        'Drivers prepare statements at the protocol level (a Parse message) rather than with `PREPARE`, and the server treats both alike. With a statement cache, the first run of a cached query after such a migration fails with this error. pgx, the Go driver, caches statements by default; its documentation warns of exactly this, and when a cached statement fails it drops it from its cache, so the next run prepares it again — the failed call itself still returns the error to the application. Its mode `QueryExecModeDescribeExec` instead asks the server for the statement’s description at every execution: two round trips per query, but safe while the schema changes.',
    },
  ],
};
