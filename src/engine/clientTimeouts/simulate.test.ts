/** The simulation itself: determinism, timelines, the pool, validation, and the explicit gaps. */
import { describe, expect, it } from 'vitest';
import { phaseVerdict } from './phaseVerdict';
import { validateScenario, type Scenario } from './scenario';
import { InvalidScenarioError, simulate } from './simulate';
import { blockedUpdateScenario, connectionEvents, runScenario } from './testSupport';

describe('simulate', () => {
  it('is deterministic', () => {
    const scenario = blockedUpdateScenario('lib-pq');
    expect(simulate(scenario)).toEqual(simulate(scenario));
  });

  it('gives a phase timeline per goroutine', () => {
    const verdict = phaseVerdict('pgx-stdlib', 'commit');
    const app = verdict.simulation.goroutines.find((goroutine) => goroutine.id === 'app');
    expect(app?.spans.map((span) => [span.kind, span.startMs, span.endMs])).toEqual([
      ['acquire', 0, 6],
      ['begin', 6, 11],
      ['query', 11, 16],
      ['work', 16, 166],
    ]);
    expect(app?.outcome).toBe('returned-error');
    expect(app?.endMs).toBe(166);
  });

  it('runs a program without a deadline to its end', () => {
    const result = simulate({
      driver: 'mysql',
      pool: { maxOpenConns: 1 },
      goroutines: [
        {
          id: 'app',
          deadlineMs: null,
          steps: [
            { kind: 'begin' },
            { kind: 'exec', sql: 'UPDATE t SET v = 1' },
            { kind: 'query', sql: 'SELECT v FROM t', rows: { count: 3, intervalMs: 1 } },
            { kind: 'commit' },
          ],
        },
      ],
    });
    expect(result.verdicts).toEqual([]);
    expect(result.goroutines[0]?.outcome).toBe('completed');
    expect(result.serverEffects.map((effect) => effect.sql ?? effect.kind)).toEqual([
      'connect',
      'BEGIN',
      'UPDATE t SET v = 1',
      'SELECT v FROM t',
      'COMMIT',
    ]);
    expect(connectionEvents(result, 'c1').at(-1)).toBe('returned-to-idle');
  });

  it('closes a returned connection when the idle list holds MaxIdleConns', () => {
    const result = simulate({
      driver: 'mysql',
      pool: { maxOpenConns: 3, maxIdleConns: 1 },
      goroutines: ['a', 'b'].map((id) => ({
        id,
        deadlineMs: null,
        steps: [{ kind: 'exec' as const, sql: 'SELECT 1' }],
      })),
    });
    expect(connectionEvents(result, 'c1').at(-1)).toBe('returned-to-idle');
    expect(connectionEvents(result, 'c2').at(-1)).toBe('closed-max-idle');
  });

  it('a deadline between calls outside a transaction: the next call fails at entry', () => {
    const { verdict, goroutine } = runScenario({
      driver: 'lib-pq',
      pool: { maxOpenConns: 1 },
      goroutines: [
        {
          id: 'app',
          deadlineMs: 50,
          steps: [
            { kind: 'exec', sql: 'SELECT 1' },
            { kind: 'work', ms: 100 },
            { kind: 'exec', sql: 'SELECT 2' },
          ],
        },
      ],
    });
    expect(verdict).toMatchObject({ phase: 'idle', inTransaction: false, status: 'modelled' });
    expect(verdict.error).toMatchObject({ kind: 'error', surfacedBy: 'db.ExecContext', atMs: 111 });
    expect(verdict.server.effects).toEqual([]);
    expect(goroutine.outcome).toBe('returned-error');
  });
});

describe('what the reference does not describe is reported, not guessed', () => {
  it('pgxpool waiting for a connection', () => {
    const verdict = phaseVerdict('pgxpool', 'acquire');
    expect(verdict.modelled).toBe(false);
    expect(verdict.notModelledReason).toContain('puddle');
    expect(verdict.source).toEqual(['jackc/puddle pool.go Acquire']);
    expect(verdict.error).toBeNull();
  });

  it('a deadline while dialing', () => {
    const { verdict, goroutine } = runScenario({
      driver: 'pgx-stdlib',
      pool: { maxOpenConns: 1 },
      network: { oneWayMs: 2, dialMs: 50 },
      goroutines: [{ id: 'app', deadlineMs: 20, steps: [{ kind: 'exec', sql: 'SELECT 1' }] }],
    });
    expect(verdict).toMatchObject({ phase: 'acquire', status: 'not-modelled' });
    expect(goroutine.outcome).toBe('not-modelled');
  });

  it('a CancelRequest that would arrive after the statement already finished', () => {
    const { verdict } = runScenario(
      blockedUpdateScenario('lib-pq', {
        goroutines: [
          {
            id: 'app',
            deadlineMs: 100,
            steps: [
              { kind: 'exec', sql: 'UPDATE t SET v = 1', server: { executionMs: 1, blockedUntilMs: 103 } },
            ],
          },
        ],
      }),
    );
    expect(verdict.status).toBe('not-modelled');
    expect(verdict.notModelledReason).toBe(
      'The statement finishes on the server at 104 ms, before the CancelRequest arrives at 108 ms; the reference does not describe that race.',
    );
  });

  it('sqlite3 waiting for a lock', () => {
    const { verdict } = runScenario({
      driver: 'sqlite3',
      pool: { maxOpenConns: 1 },
      goroutines: [
        {
          id: 'app',
          deadlineMs: 100,
          steps: [
            { kind: 'exec', sql: 'UPDATE t SET v = 1', server: { executionMs: 1, blockedUntilMs: 300 } },
          ],
        },
      ],
    });
    expect(verdict.status).toBe('not-modelled');
  });
});

describe('validation', () => {
  const base: Scenario = { driver: 'pgx-stdlib', pool: { maxOpenConns: 1 }, goroutines: [] };

  it('rejects impossible programs', () => {
    expect(validateScenario(base)).toEqual(['the program needs at least one goroutine']);
    expect(
      validateScenario({
        ...base,
        goroutines: [
          { id: 'a', deadlineMs: null, steps: [{ kind: 'commit' }] },
          { id: 'a', deadlineMs: null, steps: [{ kind: 'begin' }, { kind: 'begin' }] },
        ],
      }),
    ).toEqual([
      'goroutine a, step 1: Commit without BeginTx',
      'goroutine id "a" is used twice',
      'goroutine a, step 2: BeginTx inside a transaction',
    ]);
    expect(() => simulate(base)).toThrow(InvalidScenarioError);
  });

  it('keeps database/sql settings and the pgx handler option to the drivers they belong to', () => {
    const goroutines = [{ id: 'a', deadlineMs: null, steps: [] }];
    expect(
      validateScenario({ driver: 'pgxpool', pool: { maxOpenConns: 1, connMaxLifetimeMs: 10 }, goroutines }),
    ).toEqual([
      'maxIdleConns and connMaxLifetimeMs are database/sql settings; they are not modelled for pgxpool',
    ]);
    expect(
      validateScenario({
        driver: 'lib-pq',
        pool: { maxOpenConns: 1 },
        pgxContextWatcher: 'cancel-request',
        goroutines,
      }),
    ).toEqual(['the CancelRequestContextWatcherHandler option is modelled for pgxpool only']);
  });
});
