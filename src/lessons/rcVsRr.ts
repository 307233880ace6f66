/** READ COMMITTED against REPEATABLE READ: the non-repeatable read. */
import type { Lesson } from './lesson';

const spec = `# READ COMMITTED against REPEATABLE READ: a non-repeatable read, and none.

setup
{
  CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance int NOT NULL);
  INSERT INTO accounts VALUES (1, 'alice', 100), (2, 'bob', 100);
}

teardown
{
  DROP TABLE accounts;
}

session A
step a_begin_rc { BEGIN ISOLATION LEVEL READ COMMITTED; }
step a_begin_rr { BEGIN ISOLATION LEVEL REPEATABLE READ; }
step a_read { SELECT balance FROM accounts WHERE id = 1; }
step a_commit { COMMIT; }

session B
step b_withdraw { UPDATE accounts SET balance = balance - 30 WHERE id = 1; }

permutation a_begin_rc a_read b_withdraw a_read a_commit
permutation a_begin_rr a_read b_withdraw a_read a_commit a_read
`;

export const rcVsRr: Lesson = {
  id: 'rc-vs-rr',
  title: 'READ COMMITTED vs REPEATABLE READ',
  summary:
    'Session A reads the same row twice while session B changes it: under READ COMMITTED the second read sees the change (a *non-repeatable read*), under REPEATABLE READ it does not.',
  spec,
  parts: [
    {
      title: 'READ COMMITTED',
      intro:
        'Session A opens a transaction at READ COMMITTED, PostgreSQL’s default isolation level, and reads Alice’s balance twice. In between, session B withdraws 30. B sends no `BEGIN`, so its `UPDATE` is a transaction of its own: it commits as soon as it ends.',
      steps: [
        { step: 'a_begin_rc', before: 'A starts a transaction at READ COMMITTED.' },
        { step: 'a_read', after: 'A sees 100.', expect: { rows: [['100']] } },
        {
          step: 'b_withdraw',
          before: 'B withdraws 30 from Alice’s account, while A’s transaction is still open.',
          predict: {
            question: 'A has read this row in its open transaction. Will B’s UPDATE wait for A?',
            options: ['Yes: A’s read locks the row', 'No: a plain SELECT locks no row'],
            answer: 1,
          },
          after:
            'B did not wait: a plain `SELECT` takes no row lock, so readers do not block writers. Alice’s balance is now 70, committed.',
          expect: { waits: false, error: null },
        },
        {
          step: 'a_read',
          predict: {
            question: 'A runs the same SELECT again, in the same transaction. What will it see?',
            options: ['100, as before', '70, B’s committed change'],
            answer: 1,
          },
          after:
            'A now sees 70. Under READ COMMITTED every statement takes a new snapshot, so it sees every transaction that committed before the statement began. The same query gave a different answer inside one transaction: a **non-repeatable read**.',
          expect: { rows: [['70']] },
        },
        { step: 'a_commit' },
      ],
    },
    {
      title: 'REPEATABLE READ',
      intro:
        'The same story, but A’s transaction runs at REPEATABLE READ. (The setup runs again first: Alice has 100.)',
      steps: [
        { step: 'a_begin_rr', before: 'A starts a transaction at REPEATABLE READ.' },
        {
          step: 'a_read',
          after:
            'A sees 100. This first query of the transaction took its snapshot: every later statement of the transaction uses the same one.',
          expect: { rows: [['100']] },
        },
        {
          step: 'b_withdraw',
          before: 'B withdraws 30 again, and commits.',
          after:
            'B did not wait, and committed 70. Open **Row versions**: the table now holds two versions of Alice’s row — the old one (100), whose `xmax` is B’s transaction, and B’s new one (70). Each session’s snapshot decides which one it sees.',
          expect: { waits: false, error: null },
        },
        {
          step: 'a_read',
          predict: {
            question: 'What does A see now?',
            options: ['100', '70'],
            answer: 0,
          },
          after:
            'A still sees 100: B committed after A’s snapshot was taken, so B’s change stays invisible to A until A’s transaction ends. No non-repeatable read under REPEATABLE READ.',
          expect: { rows: [['100']] },
        },
        { step: 'a_commit' },
        {
          step: 'a_read',
          before: 'A’s transaction has ended. A reads once more, now outside any transaction block.',
          after: 'A sees 70: its new statement runs in a new transaction, with a new snapshot.',
          expect: { rows: [['70']] },
        },
      ],
      outro:
        'REPEATABLE READ gives each transaction one snapshot for its whole life. What happens when such a transaction tries to *change* a row that another transaction changed after that snapshot? See the lesson **Lost updates**.',
    },
  ],
};
