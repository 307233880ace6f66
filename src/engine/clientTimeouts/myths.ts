/**
 * The popular beliefs the reference lists under "Myths the simulator must not repeat": each as
 * data (the belief, why it is wrong, the rules and sources behind that), where the UI should show
 * it as a callout, and a check that runs the model and reports the evidence that contradicts it.
 */
import { APP_GOROUTINE } from './defaultScenarios';
import type { DriverName } from './drivers';
import { lastInsertIdBehaviour } from './lastInsertId';
import { phaseVerdict } from './phaseVerdict';
import type { DeadlinePhase } from './phases';
import type { RuleId } from './rules';
import type { Scenario } from './scenario';
import { simulate } from './simulate';

export const MYTH_IDS = [
  'lib-pq-leaves-query-running',
  'mysql-kills-query',
  'sqlite3-ignores-context',
  'pq-supports-last-insert-id',
  'conn-max-lifetime-speeds-up-acquire',
  'scan-ignores-deadline',
] as const;
export type MythId = (typeof MYTH_IDS)[number];

export interface Myth {
  id: MythId;
  belief: string;
  whyWrong: string;
  ruleIds: RuleId[];
  /** Where the UI should show the callout. */
  appliesTo: { drivers: DriverName[]; phases: DeadlinePhase[] };
}

export interface MythContradiction {
  myth: Myth;
  /** True when the model's own output contradicts the belief. */
  contradicted: boolean;
  /** What the model said, in words. */
  evidence: string[];
}

export const MYTHS: Readonly<Record<MythId, Myth>> = {
  'lib-pq-leaves-query-running': {
    id: 'lib-pq-leaves-query-running',
    belief: 'lib/pq only stops reading rows and leaves the query running on the server.',
    whyWrong: 'It sends a CancelRequest for queries, execs, prepares, pings and for the whole transaction.',
    ruleIds: ['lib-pq.watch-cancel', 'lib-pq.rows', 'lib-pq.begin-not-watched'],
    appliesTo: { drivers: ['lib-pq'], phases: ['query', 'rows', 'scan', 'idle', 'commit'] },
  },
  'mysql-kills-query': {
    id: 'mysql-kills-query',
    belief: 'go-sql-driver/mysql cancels with KILL QUERY.',
    whyWrong:
      'It closes the socket and the server keeps going (maintainers confirmed this in the driver’s issues #731 and #1745).',
    ruleIds: ['mysql.close-socket'],
    appliesTo: { drivers: ['mysql'], phases: ['query', 'rows', 'scan', 'begin'] },
  },
  'sqlite3-ignores-context': {
    id: 'sqlite3-ignores-context',
    belief: 'mattn/go-sqlite3 ignores the context.',
    whyWrong: 'False since 2016: it calls sqlite3_interrupt.',
    ruleIds: ['sqlite3.interrupt', 'sqlite3.rows'],
    appliesTo: { drivers: ['sqlite3'], phases: ['query', 'rows', 'begin'] },
  },
  'pq-supports-last-insert-id': {
    id: 'pq-supports-last-insert-id',
    belief: 'pq supports LastInsertId, pgx does not.',
    whyWrong:
      'Neither does: both return `LastInsertId is not supported by this driver` (use `RETURNING id`).',
    ruleIds: ['last-insert-id'],
    appliesTo: { drivers: ['lib-pq', 'pgx-stdlib'], phases: ['query'] },
  },
  'conn-max-lifetime-speeds-up-acquire': {
    id: 'conn-max-lifetime-speeds-up-acquire',
    belief: 'SetConnMaxLifetime makes acquiring a connection faster.',
    whyWrong:
      'It only closes connections that are too old (at checkout, on return, by a cleaner goroutine); it never shortens a wait for a connection and can add dial latency.',
    ruleIds: ['core.conn-max-lifetime'],
    appliesTo: { drivers: ['pgx-stdlib', 'lib-pq', 'mysql', 'sqlite3'], phases: ['acquire'] },
  },
  'scan-ignores-deadline': {
    id: 'scan-ignores-deadline',
    belief: 'Rows.Scan ignores the deadline.',
    whyWrong:
      'Half true: Scan never checks ctx, but it returns the ctx error once the deadline closed the rows.',
    ruleIds: ['core.scan', 'core.rows-await-done'],
    appliesTo: { drivers: ['pgx-stdlib', 'lib-pq', 'mysql', 'sqlite3'], phases: ['scan'] },
  },
};

/** Myths worth a callout for this driver and phase. */
export function mythsFor(driver: DriverName, phase: DeadlinePhase): Myth[] {
  return Object.values(MYTHS).filter(
    (myth) => myth.appliesTo.drivers.includes(driver) && myth.appliesTo.phases.includes(phase),
  );
}

export function contradictMyth(id: MythId): MythContradiction {
  const myth = MYTHS[id];
  const { contradicted, evidence } = CHECKS[id]();
  return { myth, contradicted, evidence };
}

/** A deadline the program meets without ConnMaxLifetime and misses with it (dial 30 ms). */
const TIGHT_DEADLINE_MS = 100;

type Check = () => { contradicted: boolean; evidence: string[] };

const CHECKS: Readonly<Record<MythId, Check>> = {
  'lib-pq-leaves-query-running': () => {
    const cases = [
      { label: 'an exec in flight', verdict: phaseVerdict('lib-pq', 'query') },
      { label: 'rows streaming', verdict: phaseVerdict('lib-pq', 'rows') },
      { label: 'a transaction idle before Commit', verdict: phaseVerdict('lib-pq', 'commit') },
    ];
    const evidence = cases.map(({ label, verdict }) => {
      const cancel = verdict.serverEffects.find((effect) => effect.kind === 'cancel-request');
      return cancel === undefined
        ? `${label}: no CancelRequest`
        : `${label}: a CancelRequest reaches the server at ${cancel.atMs} ms`;
    });
    const contradicted =
      cases.every(({ verdict }) =>
        verdict.serverEffects.some((effect) => effect.kind === 'cancel-request'),
      ) && cases[0]?.verdict.verdict.transaction.fate === 'statement-cancelled';
    return { contradicted, evidence: [...evidence, `the exec: ${cases[0]?.verdict.transaction ?? ''}`] };
  },

  'mysql-kills-query': () => {
    const verdict = phaseVerdict('mysql', 'query');
    const killSent = verdict.serverEffects.some(
      (effect) =>
        effect.kind === 'cancel-request' ||
        (effect.kind === 'statement' && /\bkill\b/i.test(effect.sql ?? '')),
    );
    const socketClose = verdict.serverEffects.find(
      (effect) => effect.kind === 'disconnect' && effect.graceful === false,
    );
    const keepsRunning = verdict.verdict.transaction.fate === 'statement-keeps-running';
    return {
      contradicted: !killSent && socketClose !== undefined && keepsRunning,
      evidence: [
        killSent ? 'a KILL or cancel reaches the server' : 'no KILL QUERY and no cancel reach the server',
        socketClose === undefined
          ? 'the socket is not closed'
          : `the driver closes the TCP socket; the server sees it at ${socketClose.atMs} ms`,
        verdict.transaction,
      ],
    };
  },

  'sqlite3-ignores-context': () => {
    const verdict = phaseVerdict('sqlite3', 'query');
    const interrupt = verdict.serverEffects.find((effect) => effect.kind === 'sqlite-interrupt');
    const error = verdict.verdict.error;
    const returnedAt = error.kind === 'error' ? error.atMs : null;
    return {
      contradicted:
        interrupt !== undefined && verdict.isDeadlineExceeded === true && returnedAt === verdict.deadlineMs,
      evidence: [
        interrupt === undefined ? 'no sqlite3_interrupt' : `sqlite3_interrupt at ${interrupt.atMs} ms`,
        `the 300 ms statement returns \`${verdict.error ?? 'no error'}\` at ${returnedAt ?? '?'} ms`,
      ],
    };
  },

  'pq-supports-last-insert-id': () => {
    const pq = lastInsertIdBehaviour('lib-pq');
    const pgx = lastInsertIdBehaviour('pgx-stdlib');
    const inProgram = simulate({
      driver: 'lib-pq',
      pool: { maxOpenConns: 1 },
      goroutines: [
        {
          id: APP_GOROUTINE,
          deadlineMs: null,
          steps: [{ kind: 'exec', sql: 'INSERT INTO t DEFAULT VALUES', readLastInsertId: true }],
        },
      ],
    });
    const call = inProgram.goroutines[0]?.calls.find((record) => record.call === 'res.LastInsertId');
    const describe = (name: string, behaviour: ReturnType<typeof lastInsertIdBehaviour>): string =>
      behaviour.status === 'not-supported'
        ? `${name}: \`${behaviour.error.message}\``
        : `${name}: ${behaviour.status}`;
    return {
      contradicted: pq.status === 'not-supported' && pgx.status === 'not-supported' && call?.error !== null,
      evidence: [
        describe('lib/pq', pq),
        describe('pgx stdlib', pgx),
        `in a program, lib/pq's res.LastInsertId() returns \`${call?.error?.message ?? 'no error'}\``,
      ],
    };
  },

  'conn-max-lifetime-speeds-up-acquire': () => {
    const acquiredAt = (connMaxLifetimeMs: number | undefined, deadlineMs: number | null) => {
      const scenario: Scenario = {
        driver: 'pgx-stdlib',
        pool: connMaxLifetimeMs === undefined ? { maxOpenConns: 1 } : { maxOpenConns: 1, connMaxLifetimeMs },
        network: { oneWayMs: 2, dialMs: 30 },
        goroutines: [
          {
            id: 'holder',
            deadlineMs: null,
            steps: [{ kind: 'exec', sql: 'SELECT pg_sleep(0.05)', server: { executionMs: 50 } }],
          },
          { id: APP_GOROUTINE, startMs: 1, deadlineMs, steps: [{ kind: 'exec', sql: 'SELECT 1' }] },
        ],
      };
      const result = simulate(scenario);
      const app = result.goroutines.find((goroutine) => goroutine.id === APP_GOROUTINE);
      const acquire = app?.spans.find((span) => span.kind === 'acquire');
      return { acquiredAtMs: acquire?.endMs ?? null, outcome: app?.outcome, error: app?.finalError?.message };
    };
    const without = acquiredAt(undefined, null);
    const withLifetime = acquiredAt(20, null);
    const tightWithout = acquiredAt(undefined, TIGHT_DEADLINE_MS);
    const tightWith = acquiredAt(20, TIGHT_DEADLINE_MS);
    const slower =
      without.acquiredAtMs !== null &&
      withLifetime.acquiredAtMs !== null &&
      withLifetime.acquiredAtMs > without.acquiredAtMs;
    return {
      contradicted: slower && tightWithout.outcome === 'completed' && tightWith.outcome === 'returned-error',
      evidence: [
        `waiting behind a 50 ms query: the connection comes at ${without.acquiredAtMs ?? '?'} ms without ConnMaxLifetime, at ${withLifetime.acquiredAtMs ?? '?'} ms with ConnMaxLifetime 20 ms (the old connection is closed on return and a new one is dialed)`,
        `with a deadline at ${TIGHT_DEADLINE_MS} ms: ${tightWithout.outcome ?? '?'} without, ${tightWith.outcome ?? '?'} (${tightWith.error ?? ''}) with ConnMaxLifetime`,
      ],
    };
  },

  'scan-ignores-deadline': () => {
    const databaseSqlDrivers: DriverName[] = ['pgx-stdlib', 'lib-pq', 'mysql', 'sqlite3'];
    const verdicts = databaseSqlDrivers.map((driver) => phaseVerdict(driver, 'scan'));
    const allScanErrors = verdicts.every(
      (verdict) =>
        verdict.verdict.error.kind === 'error' &&
        verdict.verdict.error.surfacedBy === 'rows.Scan' &&
        verdict.isDeadlineExceeded === true,
    );
    const pgxpool = phaseVerdict('pgxpool', 'scan');
    const pgxpoolScanOk = pgxpool.simulation.goroutines
      .find((goroutine) => goroutine.id === APP_GOROUTINE)
      ?.calls.some(
        (call) => call.call === 'rows.Scan' && call.error === null && call.startMs >= pgxpool.deadlineMs,
      );
    return {
      contradicted: allScanErrors,
      evidence: [
        ...verdicts.map(
          (verdict) =>
            `${verdict.driver}: rows.Scan returns \`${verdict.error ?? 'no error'}\` (${verdict.errorNote})`,
        ),
        `the half that is true: Scan itself never checks the ctx — with pgxpool, where no database/sql watcher closes the rows, Scan after the deadline ${pgxpoolScanOk === true ? 'succeeds' : 'fails'}`,
      ],
    };
  },
};
