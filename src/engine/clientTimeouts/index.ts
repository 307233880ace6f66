/**
 * # Client timeouts: Go database/sql and its drivers under a context deadline
 *
 * A pure, deterministic model of `shared/reference/go-database-sql-timeouts.md`: a Go program
 * (goroutines, a pool, BeginTx / ExecContext / QueryContext + rows.Next / Scan / Commit) under a
 * ctx deadline, with pgx stdlib, pgxpool, lib/pq, go-sql-driver/mysql or mattn/go-sqlite3. For a
 * program, the server's timings and a deadline it gives the phase in which the deadline fires,
 * the error (and errors.Is), what reaches the server and when, what becomes of the connection and
 * the transaction — each with the reference's rules and sources. What the reference does not
 * state is reported as "not stated" / "not modelled", never guessed. No DOM, no clock, no
 * Math.random: time is virtual milliseconds; randomness comes from a seed.
 *
 * - `simulate(scenario)`: timelines per goroutine and connection, server effects, verdicts.
 * - `phaseVerdict(driver, phase)`: the verdict with the default program (`npm run timeouts`).
 * - `resolveDeadline(situation)`: the rules alone, without timing.
 * - `deliverServerEffects(effects, port)`: replays what reached the server on a `ServerPort`
 *   (the engine link implements it on playground-engine sessions).
 * - `MYTHS`, `contradictMyth(id)`: the popular beliefs and the model's evidence against them.
 * - `RULES`, `SOURCES`: the reference's statements and the files/functions behind them.
 *
 * Files: `scenario.ts` (input), `timeline.ts` (output), `deadlineRules/` (what happens),
 * `simulation/` (when: scheduler, pools, program runner), `rules.ts`, `sources.ts`, `drivers.ts`,
 * `phases.ts`, `goErrors.ts`, `lastInsertId.ts`, `myths.ts`, `defaultScenarios.ts`,
 * `phaseVerdict.ts`, `formatVerdict.ts`, `serverPort.ts`.
 */
export { simulate, InvalidScenarioError } from './simulate';
export {
  validateScenario,
  isWriteStatement,
  DEFAULT_NETWORK,
  DEFAULT_STATEMENT_SERVER,
  DATABASE_SQL_DEFAULT_MAX_IDLE,
  type Scenario,
  type GoroutineSpec,
  type ProgramStep,
  type StatementServer,
  type RowStream,
  type PoolSettings,
  type NetworkSettings,
  type PgxContextWatcher,
} from './scenario';
export type {
  SimulationResult,
  GoroutineTimeline,
  GoroutineOutcome,
  PhaseSpan,
  SpanKind,
  CallRecord,
  ConnectionTimeline,
  ConnectionEvent,
  ConnectionEventKind,
  ServerEffect,
  ServerEffectKind,
  DeadlineVerdict,
  ObservedError,
  ConnectionFate,
  TransactionFate,
} from './timeline';
export {
  resolveDeadline,
  keepConnectionRules,
  type DeadlineSituation,
  type DeadlineResolution,
  type ModelledResolution,
  type NotModelledResolution,
  type DriverReaction,
  type ErrorPlan,
  type ErrorTiming,
} from './deadlineRules';
export {
  DRIVER_NAMES,
  DRIVERS,
  isDriverName,
  usesDatabaseSql,
  isPostgresDriver,
  type DriverName,
  type DriverDescriptor,
} from './drivers';
export {
  PHASES,
  MOMENTS,
  PHASE_DESCRIPTIONS,
  isPhase,
  isMoment,
  type Phase,
  type DeadlinePhase,
  type Moment,
} from './phases';
export * from './goErrors';
export { RULES, RULE_IDS, ruleById, sourcesOf, type Rule, type RuleId } from './rules';
export { SOURCES, formatSource, type SourceLocation, type SourceKey, type SourceBasis } from './sources';
export { lastInsertIdBehaviour, type LastInsertIdBehaviour } from './lastInsertId';
export {
  MYTHS,
  MYTH_IDS,
  mythsFor,
  contradictMyth,
  type Myth,
  type MythId,
  type MythContradiction,
} from './myths';
export {
  defaultScenario,
  defaultMoment,
  DEFAULT_DEADLINE_MS,
  APP_GOROUTINE,
  type DefaultScenario,
  type DefaultScenarioOptions,
} from './defaultScenarios';
export { phaseVerdict, phaseVerdictJson, type PhaseVerdict } from './phaseVerdict';
export { formatPhaseVerdict, phaseTitle, describeServerEffect } from './formatVerdict';
export {
  deliverServerEffects,
  type ServerPort,
  type ServerArrival,
  type DeliveryOptions,
} from './serverPort';
