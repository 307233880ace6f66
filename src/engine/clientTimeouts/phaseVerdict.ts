/**
 * The verdict for one driver and one phase with the default program — the six facts the
 * reference's tables give (error, errors.Is, server, connection, transaction, source), as the
 * `npm run timeouts` command prints them and as the UI can show them side by side.
 */
import {
  APP_GOROUTINE,
  defaultScenario,
  type DefaultScenario,
  type DefaultScenarioOptions,
} from './defaultScenarios';
import type { DriverName } from './drivers';
import type { Moment, Phase } from './phases';
import { resolveDeadline } from './deadlineRules';
import { RULES, type RuleId } from './rules';
import { simulate } from './simulate';
import { formatSource } from './sources';
import { VerdictDraft } from './simulation/verdictDraft';
import type { DeadlineVerdict, ServerEffect, SimulationResult } from './timeline';

export interface PhaseVerdict {
  driver: DriverName;
  phase: Phase;
  moment: Moment;
  deadlineMs: number;
  /** False when the reference does not describe this combination; see `notModelledReason`. */
  modelled: boolean;
  notModelledReason?: string;
  /** err.Error() of the first error the program gets, or null (no error, or not stated). */
  error: string | null;
  /** errors.Is(err, context.DeadlineExceeded), or null when there is no error to ask about. */
  isDeadlineExceeded: boolean | null;
  /** Which call returns the error, at what time, or why there is none. */
  errorNote: string;
  server: string;
  serverEffects: ServerEffect[];
  connection: string;
  transaction: string;
  /** Every source behind the verdict, `repo file function` as in the reference. */
  source: string[];
  /** Was each rule marked [run] in the reference? (rule id → run) */
  rules: { id: string; run: boolean; basis: string }[];
  program: string[];
  verdict: DeadlineVerdict;
  simulation: SimulationResult;
}

export function phaseVerdict(
  driver: DriverName,
  phase: Phase,
  options: DefaultScenarioOptions = {},
): PhaseVerdict {
  const defaults = defaultScenario(driver, phase, options);
  const simulation = simulate(defaults.scenario);
  const verdict =
    simulation.verdicts.find((candidate) => candidate.goroutine === APP_GOROUTINE) ??
    verdictForStoppedProgram(defaults, simulation);
  return summarize(verdict, simulation, defaults.phase, defaults.moment, defaults.program);
}

/**
 * The program stopped before its deadline because the model could not go on (e.g. pgxpool would
 * wait for a connection): the verdict for the phase the default program aims at, not modelled.
 */
function verdictForStoppedProgram(defaults: DefaultScenario, simulation: SimulationResult): DeadlineVerdict {
  const app = simulation.goroutines.find((goroutine) => goroutine.id === APP_GOROUTINE);
  if (app?.outcome !== 'not-modelled') {
    throw new Error(`the default ${defaults.phase} program did not reach its deadline`);
  }
  const situation = {
    driver: defaults.scenario.driver,
    phase: defaults.phase,
    moment: defaults.moment,
    inTransaction: false,
    pgxContextWatcher: defaults.scenario.pgxContextWatcher ?? 'deadline',
  } as const;
  const resolution = resolveDeadline(situation);
  const reason = app.notModelledReason ?? 'not modelled';
  const draft = new VerdictDraft(APP_GOROUTINE, situation.driver, app.deadlineMs ?? 0, situation, resolution);
  draft.markNotModelled(resolution.status === 'not-modelled' ? resolution.reason : reason);
  return draft.finalize(simulation.serverEffects);
}

function summarize(
  verdict: DeadlineVerdict,
  simulation: SimulationResult,
  phase: Phase,
  moment: Moment,
  program: string[],
): PhaseVerdict {
  if (phase !== verdict.phase) {
    throw new Error(`the default ${phase} program's deadline fired in phase ${verdict.phase}`);
  }
  const error = verdict.error;
  const summary: PhaseVerdict = {
    driver: verdict.driver,
    phase,
    moment,
    deadlineMs: verdict.firedAtMs,
    modelled: verdict.status === 'modelled',
    error: error.kind === 'error' ? error.error.message : null,
    isDeadlineExceeded: error.kind === 'error' ? error.error.isDeadlineExceeded : null,
    errorNote: error.kind === 'error' ? `returned by ${error.surfacedBy} at ${error.atMs} ms` : error.note,
    server: verdict.server.summary,
    serverEffects: verdict.server.effects,
    connection: verdict.connection.summary,
    transaction: verdict.transaction.summary,
    source: verdict.sources.map(
      (source) => formatSource(source) + (source.basis === 'source-check' ? ' (source check)' : ''),
    ),
    rules: verdict.ruleIds.map((id) => ({ id, ...ruleFlags(id) })),
    program,
    verdict,
    simulation,
  };
  if (verdict.notModelledReason !== undefined) summary.notModelledReason = verdict.notModelledReason;
  return summary;
}

function ruleFlags(id: RuleId): { run: boolean; basis: string } {
  return { run: RULES[id].run, basis: RULES[id].basis };
}

/** The command's JSON: the six keys of the issue, then context. */
export function phaseVerdictJson(verdict: PhaseVerdict): Record<string, unknown> {
  return {
    error: verdict.error,
    isDeadlineExceeded: verdict.isDeadlineExceeded,
    server: verdict.server,
    connection: verdict.connection,
    transaction: verdict.transaction,
    source: verdict.source,
    driver: verdict.driver,
    phase: verdict.phase,
    moment: verdict.moment,
    modelled: verdict.modelled,
    ...(verdict.notModelledReason !== undefined ? { notModelledReason: verdict.notModelledReason } : {}),
    errorNote: verdict.errorNote,
    serverEffects: verdict.serverEffects.map((effect) => ({
      atMs: effect.atMs,
      kind: effect.kind,
      connection: effect.connectionId,
      ...(effect.sql !== undefined ? { sql: effect.sql } : {}),
      ...(effect.graceful !== undefined ? { graceful: effect.graceful } : {}),
    })),
  };
}
