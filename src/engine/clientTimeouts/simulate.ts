/** Runs a scenario through the model: the one function the UI and the engine link call. */
import { usesDatabaseSql } from './drivers';
import { DEFAULT_NETWORK, validateScenario, type NetworkSettings, type Scenario } from './scenario';
import { DatabaseSqlPool } from './simulation/databaseSqlPool';
import { PgxNativePool } from './simulation/pgxNativePool';
import { ProgramRunner } from './simulation/programRunner';
import { createSeededRandom } from './simulation/seededRandom';
import { TimelineRecorder } from './simulation/timelineRecorder';
import { VirtualScheduler } from './simulation/virtualScheduler';
import type { ConnectionPool } from './simulation/connectionPool';
import type { SimulationResult } from './timeline';

export class InvalidScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid scenario: ${problems.join('; ')}`);
    this.name = 'InvalidScenarioError';
  }
}

/**
 * Simulates the program on virtual time and returns its timeline and deadline verdicts.
 * Deterministic: the same scenario (and seed) always gives the same result.
 * Throws InvalidScenarioError when `validateScenario` finds problems.
 */
export function simulate(scenario: Scenario): SimulationResult {
  const problems = validateScenario(scenario);
  if (problems.length > 0) throw new InvalidScenarioError(problems);

  const scheduler = new VirtualScheduler();
  const recorder = new TimelineRecorder();
  const network: NetworkSettings =
    scenario.driver === 'sqlite3' ? { oneWayMs: 0, dialMs: 0 } : (scenario.network ?? DEFAULT_NETWORK);
  const poolEnvironment = { driver: scenario.driver, network, scheduler, recorder };
  const pool: ConnectionPool = usesDatabaseSql(scenario.driver)
    ? new DatabaseSqlPool(poolEnvironment, scenario.pool, createSeededRandom(scenario.seed ?? 1))
    : new PgxNativePool(poolEnvironment, scenario.pool);

  const runners = scenario.goroutines.map((spec) => {
    recorder.addGoroutine(spec.id, spec.deadlineMs);
    const runner = new ProgramRunner(
      {
        driver: scenario.driver,
        network,
        pgxContextWatcher: scenario.pgxContextWatcher ?? 'deadline',
        scheduler,
        recorder,
        pool,
      },
      spec,
    );
    scheduler.spawn(spec.id, runner.run(), spec.startMs ?? 0, spec.deadlineMs);
    return runner;
  });

  scheduler.run();

  const serverEffects = recorder.serverEffects();
  const verdicts = runners.flatMap((runner) => {
    const draft = runner.verdictDraft;
    return draft === null ? [] : [draft.finalize(serverEffects)];
  });
  return {
    scenario,
    goroutines: recorder.goroutineTimelines(),
    connections: recorder.connectionTimelines(),
    serverEffects,
    verdicts,
    endMs: scheduler.nowMs,
  };
}
