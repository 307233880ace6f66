/**
 * A Go program's context deadline fires while its UPDATE waits for a row lock: what pgx, lib/pq
 * and go-sql-driver/mysql then do (shared/reference/go-database-sql-timeouts.md), with the server
 * side on PostgreSQL. The spec is checked on PostgreSQL 18 and the engine like every lesson; in the
 * app the timeout-phase simulator runs the Go program, and its engine link delivers what the chosen
 * PostgreSQL driver sends when the deadline fires to session `go` (see clientTimeoutsAttachment.ts).
 */
import type { Lesson } from './lesson';

const UPDATE = 'UPDATE accounts SET balance = balance - 10 WHERE id = 1';

const spec = `# A Go program's context deadline fires while its UPDATE waits for a row lock held by A.
# Session go is the program's connection; it records its backend pid in its setup. Session driver
# stands for what the Go driver sends when the deadline fires: a cancel of go's statement (on
# PostgreSQL a client's CancelRequest and pg_cancel_backend() both send the backend SIGINT).

setup
{
  CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL);
  INSERT INTO accounts VALUES (1, 100);
  CREATE TABLE go_backend (pid int NOT NULL);
}

teardown
{
  DROP TABLE accounts, go_backend;
}

session A
step a_lock { BEGIN; UPDATE accounts SET balance = balance + 1 WHERE id = 1; }
step a_commit { COMMIT; }
step a_check { SELECT balance FROM accounts WHERE id = 1; }

session go
setup { INSERT INTO go_backend SELECT pg_backend_pid(); }
step go_update { ${UPDATE}; }

session driver
step cancel_request { SELECT pg_cancel_backend(pid) FROM go_backend; }

permutation a_lock go_update cancel_request a_commit a_check
`;

const canceled = { sqlstate: '57014', message: 'canceling statement due to user request' };

export const clientTimeoutPhases: Lesson = {
  id: 'client-timeout-phases',
  title: 'A Go deadline while the UPDATE waits for a lock',
  summary:
    'A Go program’s `context` deadline fires while its `UPDATE` waits for a row lock. pgx, lib/pq and go-sql-driver/mysql return different errors, disagree on `errors.Is(err, context.DeadlineExceeded)`, treat the connection differently — and only the PostgreSQL drivers stop the statement on the server.',
  spec,
  parts: [
    {
      title: 'The deadline fires during the lock wait',
      intro:
        'A Go service runs `db.ExecContext(ctx, "UPDATE accounts SET balance = balance - 10 WHERE id = 1")` under `context.WithTimeout(ctx, 100*time.Millisecond)`. Session **go** is its connection to PostgreSQL; its setup recorded the backend’s pid. Session **A** is another transaction on the same row.\n\nThe simulator under the sessions runs the Go program: drag its deadline, pick a driver, or compare them side by side.',
      steps: [
        {
          step: 'a_lock',
          before:
            'A updates row 1 and keeps its transaction open: the row stays locked until A commits or rolls back.',
          after: 'A holds the row lock.',
          expect: { waits: false, error: null },
        },
        {
          step: 'go_update',
          before: 'The Go program’s `UPDATE` reaches the server on session go.',
          after: 'It waits for A’s transaction, while the program’s deadline runs.',
          expect: { waits: true, error: canceled },
        },
        {
          step: 'cancel_request',
          before:
            'The deadline fires while the `UPDATE` waits. Stepping lets the engine’s clock run to it, and the simulator’s engine link delivers to session go what the linked driver sends. (On PostgreSQL 18, this lesson’s check sends the cancel with `pg_cancel_backend()` from a third connection: PostgreSQL answers a CancelRequest and `pg_cancel_backend()` alike, with SIGINT to the backend — `procsignal.c` `SendCancelRequest`, `signalfuncs.c` `pg_cancel_backend`.)',
          predict: {
            question: 'With pgx, what reaches the server when the deadline fires?',
            options: [
              'Nothing: the driver only stops waiting for the answer',
              'A CancelRequest, then the connection is closed',
              'A `KILL QUERY` statement',
            ],
            answer: 1,
          },
          after:
            'pgx sends a **CancelRequest** on a new socket, then Terminate (pgconn `asyncClose`); lib/pq’s `watchCancel` sends a CancelRequest too. The server cancels the waiting `UPDATE`: session go shows `ERROR:  canceling statement due to user request` (SQLSTATE 57014), and the `UPDATE` never applies.',
          expect: { error: null, rows: [['t']] },
        },
        {
          step: 'a_commit',
          before: 'A commits and releases the row lock.',
          expect: { waits: false, error: null },
        },
        {
          step: 'a_check',
          predict: {
            question: 'The balance was 100; A added 1, the program subtracted 10. What does A read now?',
            options: ['91', '101'],
            answer: 1,
          },
          after: '101: only A’s change. The cancelled `UPDATE` never applied.',
          expect: { rows: [['101']] },
        },
      ],
      outro:
        'The server saw the same cancel from pgx and from lib/pq. The programs did not see the same thing:\n\n- **pgx** (through `database/sql`): the error is `timeout: context deadline exceeded`, and `errors.Is(err, context.DeadlineExceeded)` is **true**. pgx closes the connection; `database/sql` drops it at the next checkout, with a transparent retry.\n- **lib/pq**: the error is `pq: canceling statement due to user request` (since lib/pq v1.11.0 its text ends in `(57014)`), a `*pq.Error` with SQLSTATE 57014 — **not** a context error: `errors.Is(err, context.DeadlineExceeded)` is **false**. The connection is marked invalid and discarded.\n- **go-sql-driver/mysql**: the error is the plain `context deadline exceeded`, but **nothing** reaches the server: the driver just closes the TCP socket, no `KILL QUERY`. The server keeps running the statement — in the reference’s run on MariaDB, a lock-blocked `UPDATE` committed later.\n\nCode that retries or reports only when `errors.Is(err, context.DeadlineExceeded)` behaves differently with lib/pq. Drag the deadline in the simulator to see the other phases: waiting for a connection, rows streaming, Scan, Commit.',
    },
  ],
  clientTimeouts: {
    program: {
      pool: { maxOpenConns: 1 },
      network: { oneWayMs: 2, dialMs: 6 },
      goroutines: [
        {
          id: 'app',
          deadlineMs: 100,
          steps: [{ kind: 'exec', sql: UPDATE, server: { executionMs: 1, blockedUntilMs: 400 } }],
        },
      ],
      seed: 1,
    },
    drivers: ['pgx-stdlib', 'lib-pq', 'mysql'],
    engineLink: {
      connection: 'c1',
      session: 'go',
      statementStep: 'go_update',
      deadlineStep: 'cancel_request',
    },
  },
};
