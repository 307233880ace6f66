/**
 * The Go program the simulator runs, independent of the driver: the lesson's program or one of the
 * model's default programs (one per phase), and how it becomes the model's scenario for a driver.
 * pgxpool has no database/sql pool settings, so they are left out for it (and said so).
 */
import {
  defaultScenario,
  DRIVERS,
  InvalidScenarioError,
  PHASES,
  phaseTitle,
  simulate,
  usesDatabaseSql,
  type DriverName,
  type Moment,
  type Phase,
  type Scenario,
  type SimulationResult,
} from '../../engine/clientTimeouts';
import type { ClientProgram } from '../../lessons';

export interface ProgramPreset {
  id: string;
  label: string;
  program: ClientProgram;
}

/** The model's default program for a phase, as the command `npm run timeouts` runs it (pgx's variant). */
function phasePreset(phase: Phase, moment: Moment): ProgramPreset {
  const { scenario } = defaultScenario('pgx-stdlib', phase, { moment });
  const { driver: _driver, ...program } = scenario;
  return {
    id: phase === 'commit' ? `phase:commit:${moment}` : `phase:${phase}`,
    label: `Deadline in ${phaseTitle(phase, moment)}`,
    program,
  };
}

export const PHASE_PRESETS: readonly ProgramPreset[] = PHASES.flatMap((phase) =>
  phase === 'commit'
    ? [phasePreset(phase, 'before-call'), phasePreset(phase, 'in-flight')]
    : [phasePreset(phase, 'in-flight')],
);

/** The program as the model's scenario for `driver`. */
export function scenarioFor(program: ClientProgram, driver: DriverName): Scenario {
  const scenario: Scenario = { ...structuredClone(program), driver };
  if (!usesDatabaseSql(driver)) {
    const { maxOpenConns } = scenario.pool;
    scenario.pool = { maxOpenConns };
  } else {
    delete scenario.pgxContextWatcher;
  }
  return scenario;
}

/** The database/sql settings a driver ignores (pgxpool: MaxIdleConns, ConnMaxLifetime). */
export function ignoredSettings(program: ClientProgram, driver: DriverName): string[] {
  if (usesDatabaseSql(driver)) return [];
  const ignored: string[] = [];
  if (program.pool.maxIdleConns !== undefined) ignored.push('MaxIdleConns');
  if (program.pool.connMaxLifetimeMs !== undefined) ignored.push('ConnMaxLifetime');
  return ignored;
}

export type DriverRun =
  | { driver: DriverName; ok: true; result: SimulationResult; ignored: string[] }
  | { driver: DriverName; ok: false; problems: string[] };

/** Runs the program with a driver; a scenario the model rejects gives its problems, not an exception. */
export function runProgram(program: ClientProgram, driver: DriverName): DriverRun {
  try {
    return {
      driver,
      ok: true,
      result: simulate(scenarioFor(program, driver)),
      ignored: ignoredSettings(program, driver),
    };
  } catch (error) {
    if (!(error instanceof InvalidScenarioError)) throw error;
    return { driver, ok: false, problems: error.problems };
  }
}

/** The goroutine whose deadline the timeline's marker moves: the first one with a deadline. */
export function deadlineGoroutine(program: ClientProgram): string | null {
  return program.goroutines.find((goroutine) => goroutine.deadlineMs !== null)?.id ?? null;
}

/** The program with that goroutine's deadline set (null: context.Background()). */
export function withDeadline(
  program: ClientProgram,
  goroutine: string,
  deadlineMs: number | null,
): ClientProgram {
  return {
    ...program,
    goroutines: program.goroutines.map((candidate) =>
      candidate.id === goroutine ? { ...candidate, deadlineMs } : candidate,
    ),
  };
}

/**
 * How long the program runs when no deadline stops it, with any of `drivers` (the longest): the
 * timeline's axis is sized from it, so it stays still while the deadline moves.
 */
export function naturalDurationMs(program: ClientProgram, drivers: readonly DriverName[]): number {
  const goroutine = deadlineGoroutine(program);
  const unbounded = goroutine === null ? program : withDeadline(program, goroutine, null);
  let longest = 0;
  for (const driver of drivers) {
    const run = runProgram(unbounded, driver);
    if (run.ok) {
      const lastEffect = Math.max(0, ...run.result.serverEffects.map(serverEndMs));
      longest = Math.max(longest, run.result.endMs, lastEffect);
    }
  }
  return longest;
}

function serverEndMs(effect: SimulationResult['serverEffects'][number]): number {
  return effect.execution?.doneAtMs ?? effect.atMs;
}

/** `pgx v5 via database/sql (stdlib)` → the short name a table header can hold. */
export function driverShortLabel(driver: DriverName): string {
  switch (driver) {
    case 'pgx-stdlib':
      return 'pgx (database/sql)';
    case 'pgxpool':
      return 'pgxpool';
    case 'lib-pq':
      return 'lib/pq';
    case 'mysql':
      return 'go-sql-driver/mysql';
    case 'sqlite3':
      return 'mattn/go-sqlite3';
  }
}

export function driverLongLabel(driver: DriverName): string {
  return DRIVERS[driver].label;
}
