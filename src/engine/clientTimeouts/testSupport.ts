/** Helpers for the model's tests: run a scenario and pick out what a test asserts on. */
import type { DriverName } from './drivers';
import type { Scenario } from './scenario';
import { simulate } from './simulate';
import type {
  ConnectionEventKind,
  DeadlineVerdict,
  GoroutineTimeline,
  ServerEffect,
  SimulationResult,
} from './timeline';

export interface Run {
  result: SimulationResult;
  verdict: DeadlineVerdict;
  goroutine: GoroutineTimeline;
  /** Server effects caused by the deadline, as `kind` or `kind:sql`. */
  deadlineEffectKinds: string[];
}

/** Simulates and returns the verdict and timeline of `goroutineId` (which must have a verdict). */
export function runScenario(scenario: Scenario, goroutineId = 'app'): Run {
  const result = simulate(scenario);
  const verdict = result.verdicts.find((candidate) => candidate.goroutine === goroutineId);
  const goroutine = result.goroutines.find((candidate) => candidate.id === goroutineId);
  if (verdict === undefined || goroutine === undefined) throw new Error(`no verdict for ${goroutineId}`);
  return { result, verdict, goroutine, deadlineEffectKinds: verdict.server.effects.map(effectKey) };
}

export function effectKey(effect: ServerEffect): string {
  return effect.sql === undefined ? effect.kind : `${effect.kind}:${effect.sql}`;
}

/** The kinds of events a connection went through, in order. */
export function connectionEvents(result: SimulationResult, connectionId: string): ConnectionEventKind[] {
  return (
    result.connections
      .find((connection) => connection.id === connectionId)
      ?.events.map((event) => event.kind) ?? []
  );
}

export const BLOCKED_UPDATE = 'UPDATE accounts SET balance = balance - 10 WHERE id = 1';

/** One goroutine `app`, deadline 100 ms, an autocommit UPDATE blocked on a row lock until 300 ms. */
export function blockedUpdateScenario(driver: DriverName, extra: Partial<Scenario> = {}): Scenario {
  return {
    driver,
    pool: { maxOpenConns: 2 },
    goroutines: [
      {
        id: 'app',
        deadlineMs: 100,
        steps: [
          {
            kind: 'exec',
            sql: BLOCKED_UPDATE,
            server: driver === 'sqlite3' ? { executionMs: 300 } : { executionMs: 1, blockedUntilMs: 300 },
          },
        ],
      },
    ],
    ...extra,
  };
}
