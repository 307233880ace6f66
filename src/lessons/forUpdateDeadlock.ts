/** A deadlock between two transfers that lock rows in opposite order, and the fix by lock ordering. */
import type { Lesson } from './lesson';

const spec = `# Two transfers lock their rows with SELECT ... FOR UPDATE in opposite order: a deadlock (40P01).
# Locking in one order (lowest id first) turns it into a wait.

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
step a_begin { BEGIN; }
step a_lock_1 { SELECT id, balance FROM accounts WHERE id = 1 FOR UPDATE; }
step a_lock_2 { SELECT id, balance FROM accounts WHERE id = 2 FOR UPDATE; }
step a_lock_both { SELECT id, balance FROM accounts WHERE id IN (1, 2) ORDER BY id FOR UPDATE; }
step a_debit_1 { UPDATE accounts SET balance = balance - 10 WHERE id = 1; }
step a_credit_2 { UPDATE accounts SET balance = balance + 10 WHERE id = 2; }
step a_commit { COMMIT; }
step a_rollback { ROLLBACK; }

session B
step b_begin { BEGIN; SET deadlock_timeout = '5s'; }
step b_lock_2 { SELECT id, balance FROM accounts WHERE id = 2 FOR UPDATE; }
step b_lock_1 { SELECT id, balance FROM accounts WHERE id = 1 FOR UPDATE; }
step b_lock_both { SELECT id, balance FROM accounts WHERE id IN (1, 2) ORDER BY id FOR UPDATE; }
step b_debit_2 { UPDATE accounts SET balance = balance - 20 WHERE id = 2; }
step b_credit_1 { UPDATE accounts SET balance = balance + 20 WHERE id = 1; }
step b_commit { COMMIT; }
step b_show { SELECT id, balance FROM accounts ORDER BY id; }

permutation a_begin b_begin a_lock_1 b_lock_2 a_lock_2 b_lock_1 a_rollback b_debit_2 b_credit_1 b_commit b_show
permutation a_begin b_begin a_lock_both b_lock_both a_debit_1 a_credit_2 a_commit b_debit_2 b_credit_1 b_commit b_show
`;

export const forUpdateDeadlock: Lesson = {
  id: 'for-update-deadlock',
  title: 'Deadlock: locking rows in opposite order',
  summary:
    'Two transfers lock their accounts with `SELECT … FOR UPDATE`, each in its own order, and end up waiting for each other: PostgreSQL detects the deadlock and cancels one of them (40P01). Locking in one order fixes it.',
  spec,
  parts: [
    {
      title: 'Opposite order: a deadlock',
      intro:
        'Transfer A moves 10 from account 1 to account 2; transfer B moves 20 from account 2 to account 1. Each first locks both accounts with `SELECT … FOR UPDATE` — in the order it meets them.',
      steps: [
        { step: 'a_begin' },
        {
          step: 'b_begin',
          before:
            'B begins and sets its `deadlock_timeout` to 5 s (the default is 1 s), only so that this lesson ends the same way on every run — more on that at step 7.',
        },
        { step: 'a_lock_1', after: 'A holds account 1.', expect: { rows: [['1', '100']] } },
        { step: 'b_lock_2', after: 'B holds account 2.', expect: { rows: [['2', '100']] } },
        {
          step: 'a_lock_2',
          predict: {
            question: 'A now asks for account 2, which B holds. What happens?',
            options: ['A waits', 'A gets an error at once'],
            answer: 0,
          },
          after:
            'A waits until B’s transaction ends. Session A’s header says what it waits for — a `ShareLock` on B’s transaction — and who holds it.',
          expect: {
            waits: true,
            error: { sqlstate: '40P01', message: 'deadlock detected' },
          },
        },
        {
          step: 'b_lock_1',
          predict: {
            question: 'B now asks for account 1, which A holds — while A waits for B. What happens?',
            options: ['B waits, and both wait forever', 'B waits; soon PostgreSQL cancels one of the two'],
            answer: 1,
          },
          after:
            'B waits too. A waits for B and B waits for A: a cycle that no amount of waiting resolves. Open the **Wait-for graph** tab.',
          expect: { waits: true, error: null, rows: [['1', '100']] },
        },
        {
          step: 'a_rollback',
          before:
            'A must get an answer to its SELECT before it can send anything else. A waiting session checks for a deadlock once it has waited for `deadlock_timeout`; A’s (1 s) runs out before B’s (5 s), so A runs the check.',
          predict: {
            question: 'Which session gets the deadlock error?',
            options: ['A, whose check finds the cycle', 'B, which closed the cycle'],
            answer: 0,
          },
          after:
            'A’s check found the cycle and cancelled A’s statement: `ERROR:  deadlock detected`, SQLSTATE **40P01**. Its DETAIL names both processes and the transaction each one waits for. A’s transaction is aborted, so its lock on account 1 went at once — and B’s SELECT returned account 1. A now rolls back; its application must retry the transfer.',
        },
        { step: 'b_debit_2', expect: { error: null } },
        { step: 'b_credit_1', expect: { error: null } },
        { step: 'b_commit' },
        {
          step: 'b_show',
          after: 'Only B’s transfer happened.',
          expect: {
            rows: [
              ['1', '120'],
              ['2', '80'],
            ],
          },
        },
      ],
    },
    {
      title: 'The fix: one lock order',
      intro:
        'The same transfers, but both lock their two accounts in one statement, lowest id first (`ORDER BY id … FOR UPDATE`).',
      steps: [
        { step: 'a_begin' },
        { step: 'b_begin' },
        {
          step: 'a_lock_both',
          after: 'A holds accounts 1 and 2.',
          expect: {
            rows: [
              ['1', '100'],
              ['2', '100'],
            ],
          },
        },
        {
          step: 'b_lock_both',
          predict: {
            question: 'B asks for the same two rows in the same order. What happens?',
            options: ['A deadlock again', 'B waits for A, holding no row lock'],
            answer: 1,
          },
          after: 'B waits for account 1 — before it has locked any row, so it cannot block A.',
          expect: {
            waits: true,
            rows: [
              ['1', '90'],
              ['2', '110'],
            ],
          },
        },
        { step: 'a_debit_1' },
        { step: 'a_credit_2' },
        {
          step: 'a_commit',
          after:
            'A committed, and B’s `SELECT … FOR UPDATE` returned both rows with A’s new balances: 90 and 110.',
        },
        { step: 'b_debit_2' },
        { step: 'b_credit_1' },
        { step: 'b_commit' },
        {
          step: 'b_show',
          after:
            'Both transfers happened, one after the other: lock ordering turned the deadlock into a short wait.',
          expect: {
            rows: [
              ['1', '110'],
              ['2', '90'],
            ],
          },
        },
      ],
    },
  ],
};
