/**
 * The reference's "Per driver, other phases": begin, rows / Next, Scan and commit, one statement
 * per driver, each asserted on the model's output.
 */
import { describe, expect, it } from 'vitest';
import { phaseVerdict } from './phaseVerdict';
import { connectionEvents, runScenario } from './testSupport';

const UPDATE = 'UPDATE accounts SET balance = balance - 10 WHERE id = 1';

describe('begin', () => {
  it('pgx stdlib: BEGIN is watched; expiry closes the connection', () => {
    const verdict = phaseVerdict('pgx-stdlib', 'begin');
    expect(verdict.error).toBe('timeout: context deadline exceeded');
    expect(verdict.isDeadlineExceeded).toBe(true);
    expect(verdict.errorNote).toBe('returned by db.BeginTx at 100 ms');
    expect(verdict.serverEffects.map((effect) => effect.kind)).toEqual(['cancel-request', 'disconnect']);
    expect(verdict.verdict.connection.fate).toBe('closed-dropped-at-next-checkout');
    expect(connectionEvents(verdict.simulation, 'c1')).toContain('closed-by-driver');
    expect(verdict.verdict.transaction.fate).toBe('none');
  });

  it('pgxpool: the ctx covers the BEGIN statement', () => {
    const verdict = phaseVerdict('pgxpool', 'begin');
    expect(verdict.error).toBe('timeout: context deadline exceeded');
    expect(verdict.errorNote).toBe('returned by pool.BeginTx at 100 ms');
    expect(verdict.verdict.connection.fate).toBe('destroyed');
  });

  it('pgxpool: no automatic rollback later — the session stays idle in transaction until the program acts', () => {
    const { verdict, result } = runScenario({
      driver: 'pgxpool',
      pool: { maxOpenConns: 1 },
      goroutines: [
        {
          id: 'app',
          deadlineMs: 100,
          steps: [
            { kind: 'begin' },
            { kind: 'exec', sql: UPDATE },
            { kind: 'work', ms: 300 },
            { kind: 'exec', sql: UPDATE },
          ],
        },
      ],
    });
    expect(verdict).toMatchObject({ phase: 'idle', inTransaction: true, status: 'modelled' });
    expect(verdict.transaction.fate).toBe('idle-in-transaction');
    expect(verdict.connection.fate).toBe('held-by-transaction');
    expect(verdict.server.effects).toEqual([]);
    // Nothing at all happens to the connection at the deadline.
    expect(connectionEvents(result, 'c1')).toEqual(['dialing', 'opened', 'checked-out']);
    expect(verdict.error).toEqual({
      kind: 'not-stated',
      note: 'The reference does not state what the program’s next call returns.',
    });
  });

  it('lib/pq: BEGIN itself is not watched, but a watcher is armed for the whole transaction afterwards', () => {
    const verdict = phaseVerdict('lib-pq', 'begin');
    const app = verdict.simulation.goroutines.find((goroutine) => goroutine.id === 'app');
    // BEGIN completes at 160 ms (sent at 6, 150 ms on the server): no error from BeginTx.
    expect(app?.calls[0]).toMatchObject({ call: 'db.BeginTx', endMs: 160, error: null });
    // Then the transaction's watcher fires at once: CancelRequest dialed at 160, arriving at 168.
    expect(verdict.serverEffects.find((effect) => effect.kind === 'cancel-request')?.atMs).toBe(168);
    expect(verdict.verdict.transaction.fate).toBe('rolled-back');
    expect(verdict.error).toBeNull();
    expect(verdict.errorNote).toContain('BeginTx itself returns no error');
  });

  it('mysql: watched only while sending START TRANSACTION', () => {
    const verdict = phaseVerdict('mysql', 'begin');
    expect(verdict.error).toBe('context deadline exceeded');
    expect(verdict.serverEffects).toEqual([expect.objectContaining({ kind: 'disconnect', graceful: false })]);
    expect(verdict.verdict.connection.fate).toBe('discarded');
  });

  it('sqlite3: interruptible', () => {
    const verdict = phaseVerdict('sqlite3', 'begin');
    expect(verdict.error).toBe('context deadline exceeded');
    expect(verdict.serverEffects.map((effect) => effect.kind)).toEqual(['sqlite-interrupt']);
    expect(verdict.verdict.connection.fate).toBe('kept');
  });
});

describe('rows / Next', () => {
  it('pgx: the watch stays armed until ReadyForQuery, so closing the rows sends a CancelRequest', () => {
    const verdict = phaseVerdict('pgx-stdlib', 'rows');
    expect(verdict.serverEffects.map((effect) => [effect.kind, effect.atMs])).toEqual([
      ['cancel-request', 108],
      ['disconnect', 112],
    ]);
    expect(verdict.verdict.connection.fate).toBe('closed-dropped-at-next-checkout');
  });

  it('pgxpool keeps returning rows already buffered before Next() turns false', () => {
    const verdict = phaseVerdict('pgxpool', 'rows');
    const app = verdict.simulation.goroutines.find((goroutine) => goroutine.id === 'app');
    const bufferedAfterDeadline = app?.calls.filter(
      (call) => call.call === 'rows.Next' && call.note?.endsWith('already buffered') === true,
    );
    // Rows arrive every 1 ms from 15 ms; the program reads one every 2 ms: by 100 ms it has read 43,
    // and 86 have arrived.
    expect(bufferedAfterDeadline).toHaveLength(43);
    expect(verdict.error).toBe('timeout: context deadline exceeded');
    expect(verdict.errorNote).toBe('returned by rows.Next() returns false; rows.Err() at 187 ms');
    expect(verdict.serverEffects.map((effect) => [effect.kind, effect.atMs])).toEqual([
      ['cancel-request', 195],
      ['disconnect', 199],
    ]);
  });

  it('lib/pq: CancelRequest, connection closed', () => {
    const verdict = phaseVerdict('lib-pq', 'rows');
    expect(verdict.serverEffects.map((effect) => effect.kind)).toEqual(['cancel-request', 'disconnect']);
    expect(connectionEvents(verdict.simulation, 'c1')).toEqual([
      'dialing',
      'opened',
      'checked-out',
      'marked-invalid',
      'closed-by-driver',
      'discarded',
    ]);
  });

  it('mysql: socket closed, Next returns the ctx error', () => {
    const verdict = phaseVerdict('mysql', 'rows');
    expect(verdict.serverEffects).toEqual([expect.objectContaining({ kind: 'disconnect', graceful: false })]);
    expect(verdict.error).toBe('context deadline exceeded');
  });

  it('sqlite3: interrupt, connection kept', () => {
    const verdict = phaseVerdict('sqlite3', 'rows');
    expect(verdict.serverEffects.map((effect) => [effect.kind, effect.atMs])).toEqual([
      ['sqlite-interrupt', 100],
    ]);
    expect(verdict.verdict.connection.fate).toBe('kept');
    expect(connectionEvents(verdict.simulation, 'c1').at(-1)).toBe('returned-to-idle');
  });
});

describe('Scan: no driver is involved; values already in memory are converted', () => {
  it('pgxpool (no database/sql watcher): Scan after the deadline converts the row in memory', () => {
    const verdict = phaseVerdict('pgxpool', 'scan');
    const app = verdict.simulation.goroutines.find((goroutine) => goroutine.id === 'app');
    const scanAfterDeadline = app?.calls.find((call) => call.call === 'rows.Scan' && call.startMs >= 100);
    expect(scanAfterDeadline).toMatchObject({ error: null, note: 'the row is already in memory' });
  });

  it('sqlite3: nothing to interrupt while the program holds a row', () => {
    const verdict = phaseVerdict('sqlite3', 'scan');
    expect(verdict.serverEffects).toEqual([]);
    expect(verdict.verdict.connection.fate).toBe('kept');
  });
});

describe('commit', () => {
  it('pgx stdlib reuses the BeginTx ctx for COMMIT: a cancel during COMMIT closes the connection, outcome unknown', () => {
    const verdict = phaseVerdict('pgx-stdlib', 'commit', { moment: 'in-flight' });
    expect(verdict.error).toBe('timeout: context deadline exceeded');
    expect(verdict.errorNote).toBe('returned by tx.Commit at 100 ms');
    expect(verdict.serverEffects.map((effect) => effect.kind)).toEqual(['cancel-request', 'disconnect']);
    expect(connectionEvents(verdict.simulation, 'c1')).toContain('closed-by-driver');
    expect(verdict.verdict.transaction.fate).toBe('outcome-unknown');
    expect(verdict.transaction).toBe('The client cannot know whether the COMMIT happened.');
  });

  it('pgxpool with an expired ctx: COMMIT is not sent, the connection is closed, the server rolls back', () => {
    const verdict = phaseVerdict('pgxpool', 'commit');
    const statements = verdict.simulation.serverEffects.filter((effect) => effect.kind === 'statement');
    expect(statements.map((effect) => effect.sql)).toEqual(['BEGIN', UPDATE]);
    expect(verdict.serverEffects).toEqual([expect.objectContaining({ kind: 'disconnect', atMs: 168 })]);
    expect(connectionEvents(verdict.simulation, 'c1').slice(-2)).toEqual(['closed-by-driver', 'destroyed']);
    expect(verdict.verdict.transaction).toEqual({
      fate: 'rolled-back',
      summary: 'Not committed: rolled back by the server when the connection closes.',
    });
    // The reference does not state the error pgxpool's Commit returns: the model says so.
    expect(verdict.error).toBeNull();
    expect(verdict.isDeadlineExceeded).toBeNull();
  });

  it('lib/pq: the watcher is still armed during COMMIT (a CancelRequest can race it)', () => {
    const verdict = phaseVerdict('lib-pq', 'commit', { moment: 'in-flight' });
    const commitSent = verdict.simulation.serverEffects.find((effect) => effect.sql === 'COMMIT');
    const cancel = verdict.serverEffects.find((effect) => effect.kind === 'cancel-request');
    expect(commitSent?.atMs).toBe(68);
    expect(cancel?.atMs).toBe(108); // while COMMIT runs on the server (until 218 ms)
    expect(verdict.verdict.transaction.fate).toBe('race');
    expect(verdict.error).toBeNull();
  });

  it('mysql: COMMIT is not watched and runs to completion', () => {
    const verdict = phaseVerdict('mysql', 'commit', { moment: 'in-flight' });
    const app = verdict.simulation.goroutines.find((goroutine) => goroutine.id === 'app');
    expect(app?.outcome).toBe('completed');
    expect(app?.calls.at(-1)).toMatchObject({ call: 'tx.Commit', error: null, endMs: 220 });
    expect(verdict.verdict.transaction.fate).toBe('committed');
    expect(verdict.serverEffects).toEqual([]);
  });

  it('mysql: after an idle-in-transaction cancel database/sql sends ROLLBACK and keeps the connection', () => {
    const verdict = phaseVerdict('mysql', 'commit');
    expect(verdict.serverEffects).toEqual([
      expect.objectContaining({ kind: 'statement', sql: 'ROLLBACK', atMs: 102, cause: 'deadline' }),
    ]);
    expect(connectionEvents(verdict.simulation, 'c1').slice(-2)).toEqual([
      'transaction-rolled-back',
      'returned-to-idle',
    ]);
    expect(verdict.verdict.connection.fate).toBe('kept');
  });

  it('sqlite3: commit uses a background context', () => {
    const verdict = phaseVerdict('sqlite3', 'commit', { moment: 'in-flight' });
    const app = verdict.simulation.goroutines.find((goroutine) => goroutine.id === 'app');
    expect(app?.outcome).toBe('completed');
    expect(verdict.verdict.transaction.fate).toBe('committed');
    expect(verdict.serverEffects).toEqual([]);
  });
});
