/** The reference's "database/sql core (all drivers)": acquire, begin, rows / Next, Scan, commit, SetConnMaxLifetime. */
import { describe, expect, it } from 'vitest';
import type { DriverName } from './drivers';
import { phaseVerdict } from './phaseVerdict';
import type { Scenario } from './scenario';
import { simulate } from './simulate';
import { connectionEvents, runScenario } from './testSupport';

const DATABASE_SQL_DRIVERS: DriverName[] = ['pgx-stdlib', 'lib-pq', 'mysql', 'sqlite3'];
const UPDATE = 'UPDATE accounts SET balance = balance - 10 WHERE id = 1';

describe('acquire', () => {
  it.each(DATABASE_SQL_DRIVERS)('%s: the plain context error, nothing reaches the server', (driver) => {
    const verdict = phaseVerdict(driver, 'acquire');
    expect(verdict).toMatchObject({
      modelled: true,
      error: 'context deadline exceeded',
      isDeadlineExceeded: true,
      errorNote: 'returned by db.ExecContext at 100 ms',
      serverEffects: [],
      source: [
        'golang/go src/database/sql/sql.go (*DB).conn',
        'golang/go src/database/sql/sql.go connRequests',
      ],
    });
    expect(verdict.verdict.connection.fate).toBe('not-acquired');
    const app = verdict.simulation.goroutines.find((goroutine) => goroutine.id === 'app');
    expect(app?.spans).toEqual([
      { kind: 'acquire', startMs: 0, endMs: 100, stepIndex: 0, label: 'waiting for a pooled connection' },
    ]);
    expect(verdict.simulation.serverEffects.some((effect) => effect.goroutine === 'app')).toBe(false);
  });

  it('checks ctx at entry: a deadline that passed before the call fails it at once', () => {
    const { verdict, goroutine, result } = runScenario({
      driver: 'pgx-stdlib',
      pool: { maxOpenConns: 1 },
      goroutines: [{ id: 'app', startMs: 50, deadlineMs: 10, steps: [{ kind: 'exec', sql: UPDATE }] }],
    });
    expect(verdict.phase).toBe('idle');
    expect(verdict.error).toMatchObject({ kind: 'error', atMs: 50, surfacedBy: 'db.ExecContext' });
    expect(goroutine.calls).toEqual([
      expect.objectContaining({
        call: 'db.ExecContext',
        startMs: 50,
        endMs: 50,
        error: expect.objectContaining({ message: 'context deadline exceeded' }),
      }),
    ]);
    expect(result.serverEffects).toEqual([]);
    expect(result.connections).toEqual([]);
  });

  it('serves waiters in random order, not FIFO (seeded, hence reproducible)', () => {
    const servedOrder = (seed: number): string[] => {
      const scenario: Scenario = {
        driver: 'pgx-stdlib',
        pool: { maxOpenConns: 1 },
        seed,
        goroutines: [
          {
            id: 'holder',
            deadlineMs: null,
            steps: [{ kind: 'exec', sql: 'SELECT 1', server: { executionMs: 50 } }],
          },
          ...['w1', 'w2', 'w3', 'w4'].map((id, index) => ({
            id,
            startMs: 1 + index,
            deadlineMs: null,
            steps: [{ kind: 'exec' as const, sql: 'SELECT 1', server: { executionMs: 10 } }],
          })),
        ],
      };
      return simulate(scenario)
        .connections.flatMap((connection) => connection.events)
        .filter((event) => event.kind === 'handed-to-waiter')
        .sort((a, b) => a.atMs - b.atMs)
        .map((event) => event.goroutine ?? '?');
    };
    const orders = new Set(Array.from({ length: 20 }, (_, seed) => servedOrder(seed + 1).join(',')));
    expect(orders.size).toBeGreaterThan(1);
    expect([...orders].some((order) => order !== 'w1,w2,w3,w4')).toBe(true);
    expect(servedOrder(7)).toEqual(servedOrder(7));
  });

  it('the handed-over connection cites the random-order rule', () => {
    const verdict = phaseVerdict('mysql', 'acquire');
    expect(verdict.verdict.ruleIds).toEqual(['core.acquire', 'core.acquire-random-order']);
  });
});

describe('begin: Tx.awaitDone rolls back; the connection is discarded unless SessionResetter and Validator', () => {
  const idleInTransaction = (driver: DriverName) =>
    runScenario({
      driver,
      pool: { maxOpenConns: 1 },
      goroutines: [
        {
          id: 'app',
          deadlineMs: 100,
          steps: [
            { kind: 'begin' },
            { kind: 'exec', sql: UPDATE },
            { kind: 'work', ms: 200 },
            { kind: 'exec', sql: UPDATE },
          ],
        },
      ],
    });

  it.each([
    { driver: 'pgx-stdlib' as const, fate: 'discarded', last: 'discarded' },
    { driver: 'lib-pq' as const, fate: 'discarded', last: 'discarded' },
    { driver: 'mysql' as const, fate: 'kept', last: 'returned-to-idle' },
    { driver: 'sqlite3' as const, fate: 'discarded', last: 'discarded' },
  ])('$driver: connection $fate', ({ driver, fate, last }) => {
    const { verdict, result } = idleInTransaction(driver);
    expect(verdict).toMatchObject({ phase: 'idle', inTransaction: true, firedAtMs: 100 });
    expect(verdict.transaction).toEqual({
      fate: 'rolled-back',
      summary: 'Rolled back by database/sql (Tx.awaitDone).',
    });
    expect(verdict.connection.fate).toBe(fate);
    const events = connectionEvents(result, 'c1');
    expect(events).toContain('transaction-rolled-back');
    expect(events.at(-1)).toBe(last);
    expect(verdict.ruleIds).toContain('core.tx-await-done');
    expect(verdict.ruleIds).toContain('core.keep-conn-on-rollback');
  });

  it('the next call inside the rolled-back transaction is not stated by the reference: the model stops there', () => {
    const { goroutine } = idleInTransaction('pgx-stdlib');
    expect(goroutine.outcome).toBe('not-modelled');
    expect(goroutine.notModelledReason).toBe(
      'The reference does not state what tx.ExecContext returns once the ctx has ended.',
    );
  });
});

describe('rows / Next: Rows.awaitDone closes the rows; rows.Err() is the plain ctx error, for every driver', () => {
  it.each(DATABASE_SQL_DRIVERS)('%s', (driver) => {
    const verdict = phaseVerdict(driver, 'rows');
    expect(verdict.error).toBe('context deadline exceeded');
    expect(verdict.isDeadlineExceeded).toBe(true);
    const app = verdict.simulation.goroutines.find((goroutine) => goroutine.id === 'app');
    const [lastNext, rowsErr] = app?.calls.slice(-2) ?? [];
    expect(lastNext).toMatchObject({
      call: 'rows.Next',
      error: null,
      note: 'false: the rows were closed by the ctx',
    });
    expect(rowsErr).toMatchObject({ call: 'rows.Err', error: { message: 'context deadline exceeded' } });
    expect(verdict.verdict.ruleIds[0]).toBe('core.rows-await-done');
  });

  it('even pgx, whose own error would be a pgconn timeout error, reports the plain ctx error through database/sql', () => {
    expect(phaseVerdict('pgx-stdlib', 'rows').error).toBe('context deadline exceeded');
    expect(phaseVerdict('pgx-stdlib', 'query').error).toBe('timeout: context deadline exceeded');
  });
});

describe('Scan: never looks at ctx, but returns the ctx error once the rows were closed by it', () => {
  it.each([
    { driver: 'pgx-stdlib' as const, at: 105 },
    { driver: 'lib-pq' as const, at: 110 }, // waits for the close, which waits for the server's answer
    { driver: 'mysql' as const, at: 105 },
    { driver: 'sqlite3' as const, at: 128 },
  ])('$driver: rows.Scan returns the ctx error at $at ms', ({ driver, at }) => {
    const verdict = phaseVerdict(driver, 'scan');
    expect(verdict.verdict.error).toMatchObject({
      kind: 'error',
      surfacedBy: 'rows.Scan',
      atMs: at,
      error: { message: 'context deadline exceeded', isDeadlineExceeded: true },
    });
    expect(verdict.verdict.ruleIds.slice(0, 2)).toEqual(['core.scan', 'core.rows-await-done']);
  });

  it('Scan before the deadline is untouched', () => {
    const verdict = phaseVerdict('pgx-stdlib', 'scan');
    const app = verdict.simulation.goroutines.find((goroutine) => goroutine.id === 'app');
    const scans = app?.calls.filter((call) => call.call === 'rows.Scan') ?? [];
    expect(scans.map((call) => call.error === null)).toEqual([true, true, false]);
  });
});

describe('commit: tx.ctx is checked first; the driver’s Commit is never called; not committed', () => {
  it.each(DATABASE_SQL_DRIVERS)('%s', (driver) => {
    const verdict = phaseVerdict(driver, 'commit');
    expect(verdict.moment).toBe('before-call');
    expect(verdict.error).toBe('sql: transaction has already been committed or rolled back');
    expect(verdict.isDeadlineExceeded).toBe(false);
    expect(verdict.verdict.transaction.fate).toBe('rolled-back');
    const commitSent = verdict.simulation.serverEffects.some((effect) => effect.sql === 'COMMIT');
    expect(commitSent).toBe(false);
    const app = verdict.simulation.goroutines.find((goroutine) => goroutine.id === 'app');
    expect(app?.calls.at(-1)).toMatchObject({
      call: 'tx.Commit',
      note: 'the driver’s Commit is never called',
    });
    expect(verdict.verdict.ruleIds[0]).toBe('core.commit-expired');
  });
});

describe('SetConnMaxLifetime', () => {
  const twoCalls = (connMaxLifetimeMs?: number): Scenario => ({
    driver: 'pgx-stdlib',
    pool: connMaxLifetimeMs === undefined ? { maxOpenConns: 1 } : { maxOpenConns: 1, connMaxLifetimeMs },
    goroutines: [
      {
        id: 'app',
        deadlineMs: null,
        steps: [
          { kind: 'exec', sql: 'SELECT 1' },
          { kind: 'work', ms: 50 },
          { kind: 'exec', sql: 'SELECT 2' },
        ],
      },
    ],
  });

  it('closes a connection that is too old at checkout; the new dial adds latency', () => {
    const result = simulate(twoCalls(20));
    expect(connectionEvents(result, 'c1')).toEqual([
      'dialing',
      'opened',
      'checked-out',
      'returned-to-idle',
      'closed-expired',
    ]);
    const app = result.goroutines[0];
    const secondAcquire = app?.spans.filter((span) => span.kind === 'acquire')[1];
    expect(secondAcquire).toMatchObject({ startMs: 61, endMs: 67, connectionId: 'c2' });
    const withoutLifetime = simulate(twoCalls()).goroutines[0]?.spans.filter(
      (span) => span.kind === 'acquire',
    )[1];
    expect(withoutLifetime).toBeUndefined(); // reused at once: no time spent acquiring
  });

  it('closes a connection that is too old on return', () => {
    const result = simulate({
      driver: 'mysql',
      pool: { maxOpenConns: 1, connMaxLifetimeMs: 20 },
      goroutines: [
        {
          id: 'app',
          deadlineMs: null,
          steps: [{ kind: 'exec', sql: 'SELECT 1', server: { executionMs: 40 } }],
        },
      ],
    });
    expect(connectionEvents(result, 'c1').at(-1)).toBe('closed-expired');
    expect(result.serverEffects.at(-1)).toMatchObject({ kind: 'disconnect', connectionId: 'c1' });
  });

  it('never shortens a wait for a connection', () => {
    for (const holderMs of [10, 30, 50, 90]) {
      for (const lifetime of [5, 20, 60, 200]) {
        const acquiredAt = (connMaxLifetimeMs?: number) => {
          const result = simulate({
            driver: 'lib-pq',
            pool:
              connMaxLifetimeMs === undefined ? { maxOpenConns: 1 } : { maxOpenConns: 1, connMaxLifetimeMs },
            goroutines: [
              {
                id: 'holder',
                deadlineMs: null,
                steps: [{ kind: 'exec', sql: 'SELECT 1', server: { executionMs: holderMs } }],
              },
              { id: 'app', startMs: 1, deadlineMs: null, steps: [{ kind: 'exec', sql: 'SELECT 1' }] },
            ],
          });
          return result.goroutines[1]?.spans.find((span) => span.kind === 'acquire')?.endMs ?? Number.NaN;
        };
        expect(acquiredAt(lifetime)).toBeGreaterThanOrEqual(acquiredAt());
      }
    }
  });
});
