/** Lost updates: read, compute in the application, write back. */
import type { Lesson } from './lesson';

const spec = `# Lost updates: READ COMMITTED loses one, REPEATABLE READ raises 40001,
# SELECT ... FOR UPDATE or an atomic UPDATE keeps both.

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
step a_begin_rc { BEGIN ISOLATION LEVEL READ COMMITTED; }
step a_begin_rr { BEGIN ISOLATION LEVEL REPEATABLE READ; }
step a_read { SELECT balance FROM accounts WHERE id = 1; }
step a_read_for_update { SELECT balance FROM accounts WHERE id = 1 FOR UPDATE; }
step a_write_150 { UPDATE accounts SET balance = 150 WHERE id = 1; }
step a_deposit_50 { UPDATE accounts SET balance = balance + 50 WHERE id = 1 RETURNING balance; }
step a_commit { COMMIT; }

session B
step b_begin_rc { BEGIN ISOLATION LEVEL READ COMMITTED; }
step b_begin_rr { BEGIN ISOLATION LEVEL REPEATABLE READ; }
step b_read { SELECT balance FROM accounts WHERE id = 1; }
step b_read_for_update { SELECT balance FROM accounts WHERE id = 1 FOR UPDATE; }
step b_write_70 { UPDATE accounts SET balance = 70 WHERE id = 1; }
step b_write_120 { UPDATE accounts SET balance = 120 WHERE id = 1; }
step b_withdraw_30 { UPDATE accounts SET balance = balance - 30 WHERE id = 1 RETURNING balance; }
step b_commit { COMMIT; }
step b_rollback { ROLLBACK; }
step b_show { SELECT balance FROM accounts WHERE id = 1; }

permutation a_begin_rc b_begin_rc a_read b_read a_write_150 b_write_70 a_commit b_commit b_show
permutation a_begin_rr b_begin_rr a_read b_read a_write_150 b_write_70 a_commit b_rollback b_show
permutation a_begin_rc b_begin_rc a_read_for_update b_read_for_update a_write_150 a_commit b_write_120 b_commit b_show
permutation a_begin_rc b_begin_rc a_deposit_50 b_withdraw_30 a_commit b_commit b_show
`;

const story =
  'Alice’s balance is 100. Session A deposits 50, session B withdraws 30: the right final balance is **120**.';

export const lostUpdate: Lesson = {
  id: 'lost-update',
  title: 'Lost updates',
  summary:
    'Two read-compute-write transactions on one row: READ COMMITTED silently loses an update, REPEATABLE READ raises 40001, and `SELECT … FOR UPDATE` or an atomic `UPDATE` keeps both.',
  spec,
  parts: [
    {
      title: 'READ COMMITTED loses an update',
      intro: `${story} Both applications do it the naive way: read the balance, compute the new one in the application, write it back.`,
      steps: [
        { step: 'a_begin_rc', before: 'Both sessions begin a transaction at READ COMMITTED.' },
        { step: 'b_begin_rc' },
        { step: 'a_read', after: 'A reads 100.', expect: { rows: [['100']] } },
        { step: 'b_read', after: 'B reads 100 too: A has changed nothing yet.', expect: { rows: [['100']] } },
        {
          step: 'a_write_150',
          before: 'A’s application computed 100 + 50 and writes **150**.',
          after: 'A’s UPDATE locked the row until A’s transaction ends.',
          expect: { waits: false, error: null },
        },
        {
          step: 'b_write_70',
          before: 'B’s application computed 100 − 30 and writes **70**.',
          predict: {
            question: 'What happens to B’s UPDATE?',
            options: ['It waits for A’s transaction', 'It overwrites 150 at once', 'It fails'],
            answer: 0,
          },
          after: 'B waits: A holds a lock on the row, and B must know whether A commits or rolls back.',
          expect: { waits: true, error: null },
        },
        {
          step: 'a_commit',
          predict: {
            question: 'A commits. What happens to B’s waiting UPDATE under READ COMMITTED?',
            options: ['It fails with a serialization error', 'It goes ahead and writes 70 over A’s 150'],
            answer: 1,
          },
          after:
            'B’s UPDATE went ahead. Under READ COMMITTED, once A committed, PostgreSQL checked B’s `WHERE id = 1` again on the newest version of the row and applied B’s `SET` to it — but that `SET` is the constant 70, computed from the stale 100.',
        },
        { step: 'b_commit' },
        {
          step: 'b_show',
          after:
            'The balance is 70: A’s deposit is gone, and no error told anyone. This is a **lost update**.',
          expect: { rows: [['70']] },
        },
      ],
    },
    {
      title: 'REPEATABLE READ raises 40001',
      intro: `The same two transactions at REPEATABLE READ. ${story}`,
      steps: [
        { step: 'a_begin_rr', before: 'Both sessions begin a transaction at REPEATABLE READ.' },
        { step: 'b_begin_rr' },
        { step: 'a_read', expect: { rows: [['100']] } },
        { step: 'b_read', expect: { rows: [['100']] } },
        { step: 'a_write_150', before: 'A writes 150.' },
        {
          step: 'b_write_70',
          before: 'B writes 70.',
          after: 'B waits for A, as before.',
          expect: {
            waits: true,
            error: { sqlstate: '40001', message: 'could not serialize access due to concurrent update' },
          },
        },
        {
          step: 'a_commit',
          predict: {
            question: 'A commits. What happens to B’s UPDATE now?',
            options: ['It writes 70 over A’s 150', 'It fails'],
            answer: 1,
          },
          after:
            'B’s UPDATE failed: `could not serialize access due to concurrent update`, SQLSTATE **40001**. A REPEATABLE READ transaction cannot change a row that a transaction which committed after its snapshot was taken has changed.',
        },
        {
          step: 'b_rollback',
          before:
            'B’s transaction is aborted. The application must roll back and run the whole transaction again; a new transaction would read 150.',
        },
        {
          step: 'b_show',
          after:
            '150: A’s deposit survived. B’s withdrawal did not happen — the application has to retry it, PostgreSQL does not.',
          expect: { rows: [['150']] },
        },
      ],
    },
    {
      title: 'SELECT … FOR UPDATE',
      intro: `Back to READ COMMITTED, but each application locks the row when it reads it. ${story}`,
      steps: [
        { step: 'a_begin_rc' },
        { step: 'b_begin_rc' },
        {
          step: 'a_read_for_update',
          after: 'A reads 100 and locks the row.',
          expect: { rows: [['100']] },
        },
        {
          step: 'b_read_for_update',
          predict: {
            question: 'B reads the same row with FOR UPDATE. What happens?',
            options: ['B reads 100', 'B waits for A'],
            answer: 1,
          },
          after: 'B waits: A has locked the row FOR UPDATE, until A’s transaction ends.',
          expect: { waits: true, rows: [['150']] },
        },
        { step: 'a_write_150', before: 'A writes 150 (100 + 50).' },
        {
          step: 'a_commit',
          after: 'A committed, and B’s `SELECT … FOR UPDATE` returned the newest version of the row: 150.',
        },
        { step: 'b_write_120', before: 'B’s application computes 150 − 30 and writes **120**.' },
        { step: 'b_commit' },
        {
          step: 'b_show',
          after: '120: both changes count. The price: B waited while A worked.',
          expect: { rows: [['120']] },
        },
      ],
    },
    {
      title: 'An atomic UPDATE',
      intro: `READ COMMITTED again, and no reading in the application: each session lets the database compute the new balance. ${story}`,
      steps: [
        { step: 'a_begin_rc' },
        { step: 'b_begin_rc' },
        {
          step: 'a_deposit_50',
          after: 'A’s `balance = balance + 50` gives 150 (not yet committed).',
          expect: { rows: [['150']] },
        },
        {
          step: 'b_withdraw_30',
          predict: {
            question: 'B’s UPDATE waits for A. Once A commits, what will its RETURNING show?',
            options: ['70', '120'],
            answer: 1,
          },
          after: 'B waits for A’s lock on the row.',
          expect: { waits: true, rows: [['120']] },
        },
        {
          step: 'a_commit',
          after:
            'B’s UPDATE went ahead on A’s committed version and computed `balance - 30` there: 150 − 30 = 120.',
        },
        { step: 'b_commit' },
        {
          step: 'b_show',
          after: '120. One statement that reads and writes the row leaves no gap for another update.',
          expect: { rows: [['120']] },
        },
      ],
    },
  ],
};
