/**
 * The default program for each phase: a small Go program (goroutine `app`, ctx deadline at
 * 100 ms) whose deadline fires in that phase. Used by `npm run timeouts` and as starting points
 * for the UI. Network: 2 ms one way, 6 ms to dial.
 */
import type { DriverName } from './drivers';
import type { Moment, Phase } from './phases';
import { DEFAULT_NETWORK, type PgxContextWatcher, type ProgramStep, type Scenario } from './scenario';

export const DEFAULT_DEADLINE_MS = 100;
/** The goroutine whose verdict the default programs are about. */
export const APP_GOROUTINE = 'app';

export interface DefaultScenarioOptions {
  /** Only `commit` has two moments; the default is `before-call`. */
  moment?: Moment;
  pgxContextWatcher?: PgxContextWatcher;
}

export interface DefaultScenario {
  scenario: Scenario;
  phase: Phase;
  moment: Moment;
  /** The program, as Go-like lines, for people. */
  program: string[];
}

const UPDATE = 'UPDATE accounts SET balance = balance - 10 WHERE id = 1';
const SELECT = 'SELECT id, balance FROM accounts';

export function defaultMoment(phase: Phase): Moment {
  return phase === 'commit' ? 'before-call' : 'in-flight';
}

export function defaultScenario(
  driver: DriverName,
  phase: Phase,
  options: DefaultScenarioOptions = {},
): DefaultScenario {
  const moment = options.moment ?? defaultMoment(phase);
  if (moment === 'before-call' && phase !== 'commit') {
    throw new Error(`phase ${phase} has no "before-call" moment (only commit has)`);
  }
  const sqlite = driver === 'sqlite3';
  const built = build(phase, moment, sqlite);
  const scenario: Scenario = {
    driver,
    pool: { maxOpenConns: built.maxOpenConns },
    network: DEFAULT_NETWORK,
    goroutines: built.goroutines,
    seed: 1,
  };
  if (options.pgxContextWatcher !== undefined) scenario.pgxContextWatcher = options.pgxContextWatcher;
  return {
    scenario,
    phase,
    moment,
    program: [`db.SetMaxOpenConns(${built.maxOpenConns})`, ...built.program],
  };
}

interface Built {
  maxOpenConns: number;
  goroutines: Scenario['goroutines'];
  program: string[];
}

const CTX = `ctx, cancel := context.WithTimeout(ctx, ${DEFAULT_DEADLINE_MS}*time.Millisecond)`;

function app(steps: ProgramStep[]): Scenario['goroutines'][number] {
  return { id: APP_GOROUTINE, deadlineMs: DEFAULT_DEADLINE_MS, steps };
}

function build(phase: Phase, moment: Moment, sqlite: boolean): Built {
  switch (phase) {
    case 'acquire':
      return {
        maxOpenConns: 1,
        goroutines: [
          {
            id: 'holder',
            deadlineMs: null,
            steps: [
              {
                kind: 'exec',
                sql: 'UPDATE accounts SET balance = balance + 1 WHERE id = 2',
                server: { executionMs: 300 },
              },
            ],
          },
          app([{ kind: 'exec', sql: UPDATE }]),
        ],
        program: [
          '// goroutine holder: the only connection is busy for 300 ms',
          `db.ExecContext(context.Background(), "UPDATE accounts SET balance = balance + 1 WHERE id = 2")`,
          '// goroutine app:',
          CTX,
          `_, err := db.ExecContext(ctx, "${UPDATE}")`,
        ],
      };
    case 'begin':
      return {
        maxOpenConns: 1,
        goroutines: [
          app([
            { kind: 'begin', server: { executionMs: 150 } },
            { kind: 'exec', sql: UPDATE },
            { kind: 'commit' },
          ]),
        ],
        program: [
          CTX,
          'tx, err := db.BeginTx(ctx, nil) // the server takes 150 ms to answer BEGIN',
          `_, err = tx.ExecContext(ctx, "${UPDATE}")`,
          'err = tx.Commit()',
        ],
      };
    case 'query':
      return {
        maxOpenConns: 1,
        goroutines: [
          app([
            {
              kind: 'exec',
              sql: UPDATE,
              server: sqlite ? { executionMs: 300 } : { executionMs: 1, blockedUntilMs: 300 },
            },
          ]),
        ],
        program: [
          CTX,
          sqlite
            ? `_, err := db.ExecContext(ctx, "${UPDATE}") // runs for 300 ms`
            : `_, err := db.ExecContext(ctx, "${UPDATE}") // another session holds the row lock until 300 ms`,
        ],
      };
    case 'rows':
      return {
        maxOpenConns: 1,
        goroutines: [
          app([
            sqlite
              ? {
                  kind: 'query',
                  sql: SELECT,
                  server: { executionMs: 5 },
                  rows: { count: 200, intervalMs: 10 },
                }
              : {
                  kind: 'query',
                  sql: SELECT,
                  server: { executionMs: 5 },
                  rows: { count: 200, intervalMs: 1 },
                  afterScanMs: 2,
                },
          ]),
        ],
        program: [
          CTX,
          `rows, err := db.QueryContext(ctx, "${SELECT}")`,
          sqlite
            ? 'for rows.Next() { rows.Scan(&id, &balance) } // each sqlite3_step takes 10 ms'
            : 'for rows.Next() { rows.Scan(&id, &balance); work(2ms) } // 200 rows, one every 1 ms',
          'err = rows.Err()',
        ],
      };
    case 'scan':
      return {
        maxOpenConns: 1,
        goroutines: [
          app([
            {
              kind: 'query',
              sql: SELECT,
              server: { executionMs: 5 },
              rows: { count: 20, intervalMs: sqlite ? 1 : 20 },
              beforeScanMs: 30,
            },
          ]),
        ],
        program: [
          CTX,
          `rows, err := db.QueryContext(ctx, "${SELECT}")`,
          sqlite
            ? 'for rows.Next() { work(30ms); err = rows.Scan(&id, &balance) } // each sqlite3_step takes 1 ms'
            : 'for rows.Next() { work(30ms); err = rows.Scan(&id, &balance) } // 20 rows, one every 20 ms',
          'err = rows.Err()',
        ],
      };
    case 'commit':
      return moment === 'before-call'
        ? {
            maxOpenConns: 1,
            goroutines: [
              app([
                { kind: 'begin' },
                { kind: 'exec', sql: UPDATE },
                { kind: 'work', ms: 150, label: 'the program calls another service' },
                { kind: 'commit' },
              ]),
            ],
            program: [
              CTX,
              'tx, err := db.BeginTx(ctx, nil)',
              `_, err = tx.ExecContext(ctx, "${UPDATE}")`,
              'callAnotherService() // 150 ms: the deadline passes here',
              'err = tx.Commit()',
            ],
          }
        : {
            maxOpenConns: 1,
            goroutines: [
              app([
                { kind: 'begin' },
                { kind: 'exec', sql: UPDATE },
                { kind: 'work', ms: 50, label: 'the program calls another service' },
                { kind: 'commit', server: { executionMs: 150 } },
              ]),
            ],
            program: [
              CTX,
              'tx, err := db.BeginTx(ctx, nil)',
              `_, err = tx.ExecContext(ctx, "${UPDATE}")`,
              'callAnotherService() // 50 ms',
              'err = tx.Commit() // the server takes 150 ms to answer COMMIT',
            ],
          };
  }
}
