import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatementOutcome, Engine } from '../../engine/pgEmulator';
import { statementProgress, type RunningStatement } from '../worker/statementProgress';
import type { EngineApi } from './engineApi';
import { type Baseline, type EngineLink, PlaygroundController } from './playgroundController';
import { browserTimers } from './runawayGuard';
import { scenarioScript } from './scenarioScript';

let engine: Engine;
let running: RunningStatement = null;

beforeAll(async () => {
  engine = await Engine.create({ onEvent: statementProgress((now) => (running = now)) });
});

afterAll(async () => {
  await engine?.close();
});

const accounts: Baseline = {
  sessions: [{ name: 'A' }, { name: 'B' }],
  setup: [
    'CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL); INSERT INTO accounts VALUES (1, 100), (2, 100)',
  ],
};

/**
 * The real engine in this thread, reset as if just started, optionally with statements that "hang"
 * the way a runaway would.
 */
function link(hangsOn: RegExp | null = null): EngineLink & { terminated: boolean } {
  engine.reset();
  const api: EngineApi = hangsOn
    ? new Proxy(engine as EngineApi, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (property === 'submit') {
            return (session: string, sql: string) => {
              if (!hangsOn.test(sql)) return engine.submit(session, sql);
              running = { session, submission: -1 };
              return new Promise<number>(() => undefined);
            };
          }
          if (property === 'runSetup') {
            return (sql: string) =>
              hangsOn.test(sql) ? new Promise<never>(() => undefined) : engine.runSetup(sql);
          }
          return typeof value === 'function'
            ? (value as (...args: unknown[]) => unknown).bind(target)
            : value;
        },
      })
    : engine;
  const result = {
    engine: api,
    runningStatement: () => running,
    terminated: false,
    terminate: () => {
      result.terminated = true;
    },
  };
  return result;
}

function controller(
  first: EngineLink,
  connect = async () => link(),
  runawayLimitMs = 2_000,
  baseline: Baseline = accounts,
) {
  const made = new PlaygroundController({ connect, runawayLimitMs, timers: browserTimers });
  return { made, started: made.start(Promise.resolve(first), baseline) };
}

function outcomesOf(made: PlaygroundController, session: string): StatementOutcome[] {
  return made
    .getState()
    .snapshot.events.flatMap((event) =>
      event.type === 'statementFinished' && event.session === session ? [event.outcome] : [],
    );
}

const tags = (outcomes: StatementOutcome[]) =>
  outcomes.map((outcome) => (outcome.kind === 'ok' ? outcome.tag : outcome.error.sqlstate));

describe('PlaygroundController', () => {
  it('opens the sessions, runs the setup, then runs what a person sends', async () => {
    const { made, started } = controller(link());
    await started;
    expect(made.getState().status).toEqual({ state: 'ready' });
    expect(made.getState().snapshot.sessions.map((session) => session.name)).toEqual(['A', 'B']);
    expect(made.getState().snapshot.tables).toEqual([{ name: 'accounts', columns: ['id', 'balance'] }]);
    await made.run('A', 'BEGIN; UPDATE accounts SET balance = 0 WHERE id = 1');
    await made.run('B', 'UPDATE accounts SET balance = 1 WHERE id = 1');
    const { snapshot } = made.getState();
    expect(snapshot.sessions.find((session) => session.name === 'B')?.waiting?.blockedBy).toEqual(['A']);
    expect(snapshot.locks.some((lock) => lock.session === 'B' && !lock.granted)).toBe(true);
    expect(tags(outcomesOf(made, 'A'))).toEqual(['BEGIN', 'UPDATE 1']);
    expect(made.getState().canGoBack).toBe(true);
  });

  it('starts twice on the same engine (React runs effects twice in development) without a clash', async () => {
    const first = link();
    const { made, started } = controller(first);
    await started;
    await made.start(Promise.resolve({ ...first }), accounts);
    expect(made.getState().status).toEqual({ state: 'ready' });
    expect(made.getState().snapshot.sessions.map((session) => session.name)).toEqual(['A', 'B']);
  });

  it('goes back by replaying the log: the same state as before the last action', async () => {
    const { made, started } = controller(link());
    await started;
    await made.run('A', 'BEGIN');
    await made.run('A', 'UPDATE accounts SET balance = 0 WHERE id = 1');
    const before = made.getState().snapshot;
    await made.run('B', 'UPDATE accounts SET balance = 1 WHERE id = 1');
    await made.back();
    // PGlite gives the re-created table a new OID; everything else is the same.
    const withoutOids = (value: unknown) => JSON.stringify(value).replace(/"relationOid":\d+/g, '');
    expect(withoutOids(made.getState().snapshot.events)).toBe(withoutOids(before.events));
    expect(made.getState().snapshot.sessions).toEqual(before.sessions);
    await made.back();
    await made.back();
    expect(outcomesOf(made, 'A')).toEqual([]);
    expect(made.getState().canGoBack).toBe(false);
  });

  it('reads the row versions of the watched table, with who sees them', async () => {
    const { made, started } = controller(link());
    await started;
    await made.run('A', 'BEGIN; UPDATE accounts SET balance = 0 WHERE id = 1');
    await made.watchRowVersions({ table: null });
    const versions = made.getState().snapshot.rowVersions;
    expect(versions?.table).toBe('accounts');
    expect(versions?.versions.map((version) => [version.values, version.visibleTo])).toEqual([
      [['1', '100'], ['B']],
      [
        ['2', '100'],
        ['A', 'B'],
      ],
      [['1', '0'], ['A']],
    ]);
  });

  it('steps through a scenario: time passes until the deadlock check, and Back replays', async () => {
    const script = scenarioScript(`
      session A
      step a1 { BEGIN; UPDATE accounts SET balance = balance - 10 WHERE id = 1; }
      step a2 { UPDATE accounts SET balance = balance + 10 WHERE id = 2; }
      step a3 { COMMIT; }
      session B
      step b1 { BEGIN; SET deadlock_timeout = '5s'; UPDATE accounts SET balance = balance - 20 WHERE id = 2; }
      step b2 { UPDATE accounts SET balance = balance + 20 WHERE id = 1; }
      step b3 { ROLLBACK; }
      permutation a1 b1 a2 b2 a3 b3
    `);
    const steps = script.parts[0] ?? [];
    const made = new PlaygroundController({
      connect: async () => link(),
      runawayLimitMs: 5_000,
      timers: browserTimers,
    });
    await made.start(Promise.resolve(link()), accounts, steps);
    expect(made.getState().scenario?.next).toMatchObject({ kind: 'launch', step: { name: 'a1' } });
    for (let i = 0; i < 4; i++) await made.step();
    // A waits for B, B for A; A's deadlock check is due first (B's deadlock_timeout is 5 s).
    expect(made.getState().scenario?.next).toEqual({ kind: 'let time pass', session: 'A', until: 1000 });
    const waitingBoth = made.getState().snapshot;
    await made.step();
    expect(made.getState().snapshot.now).toBe(1000);
    const lastOfA = outcomesOf(made, 'A').at(-1);
    expect(lastOfA).toMatchObject({
      kind: 'error',
      error: { sqlstate: '40P01', message: 'deadlock detected' },
    });
    expect(tags(outcomesOf(made, 'B')).at(-1)).toBe('UPDATE 1');
    expect(made.getState().scenario?.next).toMatchObject({ kind: 'launch', step: { name: 'a3' } });
    await made.back();
    expect(made.getState().snapshot.sessions).toEqual(waitingBoth.sessions);
    expect(made.getState().scenario?.done).toBe(4);
    await made.runToEnd();
    expect(made.getState().scenario).toMatchObject({ done: 6, next: { kind: 'finished' } });
    expect(tags(outcomesOf(made, 'A')).at(-1)).toBe('ROLLBACK');
  });

  it('stops a runaway statement: a new engine, the log replayed, the statement recorded as 57014', async () => {
    const hanging = link(/WITH RECURSIVE/);
    let connects = 0;
    const { made, started } = controller(
      hanging,
      async () => {
        connects++;
        return link(); // a new engine, just started
      },
      300,
    );
    await started;
    await made.run('B', 'BEGIN; UPDATE accounts SET balance = 5 WHERE id = 2');
    await made.run(
      'A',
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
    );
    expect(hanging.terminated).toBe(true);
    expect(connects).toBe(1);
    const { snapshot, notice, status } = made.getState();
    expect(status).toEqual({ state: 'ready' });
    expect(notice).toMatch(/Session A’s statement ran for more than 0\.3 s.*other sessions kept their state/);
    expect(outcomesOf(made, 'A')).toEqual([
      {
        kind: 'error',
        error: expect.objectContaining({
          sqlstate: '57014',
          message: 'canceling statement: the playground stopped it after 0.3 s of real time',
        }),
      },
    ]);
    expect(snapshot.sessions.find((session) => session.name === 'B')?.status).toBe('in transaction');
    await made.run('B', 'SELECT balance FROM accounts WHERE id = 2');
    expect(outcomesOf(made, 'B').at(-1)).toMatchObject({ rows: [['5']] });
  });

  it('starts without a setup that runs away, and says so', async () => {
    const slowSetup = {
      ...accounts,
      setup: [...accounts.setup, 'SELECT count(*) FROM generate_series(1, 1e12)'],
    };
    const made = new PlaygroundController({
      connect: async () => link(),
      runawayLimitMs: 50, // the setup's deadline is then max(6 × 50 ms, 30 s)
      // Deadlines fall due at once: a call that does not answer within this task is past its deadline.
      timers: {
        setTimeout: (callback) => setTimeout(callback, 0),
        clearTimeout: (handle) => clearTimeout(handle as never),
      },
    });
    await made.start(Promise.resolve(link(/generate_series/)), slowSetup);
    expect(made.getState().notice).toBe(
      'The setup SQL ran for more than 30 s, so the playground stopped it and started without it. Change it in the Setup SQL tab, then Reset.',
    );
    expect(made.getState().snapshot.tables).toEqual([{ name: 'accounts', columns: ['id', 'balance'] }]);
  });
});
