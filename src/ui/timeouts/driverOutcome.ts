/**
 * What the simulator's comparison shows for one driver: where the deadline fired, the error the
 * caller gets and whether `errors.Is(err, context.DeadlineExceeded)` holds, what reached the server,
 * the connection's and the transaction's fate, the pool's connections, the rules applied with their
 * sources, and the popular beliefs that apply here — all read from the model's verdict, never
 * decided here.
 */
import {
  describeServerEffect,
  formatSource,
  mythsFor,
  phaseTitle,
  PHASE_DESCRIPTIONS,
  RULES,
  sourcesOf,
  type ConnectionFate,
  type DeadlineVerdict,
  type DriverName,
  type GoError,
  type Myth,
  type RuleId,
  type ServerEffect,
  type SimulationResult,
  type TransactionFate,
} from '../../engine/clientTimeouts';
import type { DriverRun } from './clientProgram';

export type ServerReachKind =
  'cancel-request' | 'terminate' | 'socket-close' | 'sqlite-interrupt' | 'nothing';

export interface RuleCitation {
  id: RuleId;
  statement: string;
  /** The reference checked it by running a Go program. */
  run: boolean;
  /** Read in the sources, where the reference lists no per-driver fact. */
  sourceCheck: boolean;
  sources: string[];
}

export interface ConnectionSummary {
  id: string;
  /** What happened to it, in order: `opened 6 ms`, `closed by the driver 100 ms`, … */
  story: string[];
  /** The last thing that happened to it. */
  last: string;
  alive: boolean;
}

export type DriverOutcome =
  | { kind: 'invalid'; driver: DriverName; problems: string[] }
  | {
      kind: 'completed';
      driver: DriverName;
      goroutine: string;
      finishedAtMs: number;
      deadlineMs: number | null;
      connections: ConnectionSummary[];
      ignoredSettings: string[];
    }
  | {
      kind: 'stopped';
      driver: DriverName;
      goroutine: string;
      reason: string;
      connections: ConnectionSummary[];
      ignoredSettings: string[];
    }
  | {
      kind: 'deadline';
      driver: DriverName;
      goroutine: string;
      firedAtMs: number;
      phase: string;
      phaseDescription: string;
      modelled: boolean;
      notModelledReason: string | null;
      error: { error: GoError; surfacedBy: string; atMs: number } | { none: string };
      reaches: ServerReachKind[];
      serverSummary: string;
      serverEffects: { atMs: number; label: string }[];
      connection: { fate: ConnectionFate; label: string; summary: string };
      transaction: { fate: TransactionFate; label: string; summary: string };
      connections: ConnectionSummary[];
      rules: RuleCitation[];
      /** Sources the verdict names besides its rules' (a gap the reference leaves open). */
      otherSources: string[];
      myths: Myth[];
      ignoredSettings: string[];
    };

export const CONNECTION_FATE_LABELS: Readonly<Record<ConnectionFate, string>> = {
  'not-acquired': 'never acquired',
  kept: 'kept',
  'closed-dropped-at-next-checkout': 'closed; dropped at next checkout',
  destroyed: 'destroyed',
  discarded: 'discarded',
  'held-by-transaction': 'held by the transaction',
  'not-stated': 'not stated by the reference',
};

export const TRANSACTION_FATE_LABELS: Readonly<Record<TransactionFate, string>> = {
  none: 'no transaction',
  'statement-cancelled': 'statement cancelled',
  'statement-keeps-running': 'statement keeps running',
  'statement-interrupted': 'statement interrupted',
  'rolled-back': 'rolled back',
  committed: 'committed',
  'idle-in-transaction': 'idle in transaction',
  'outcome-unknown': 'outcome unknown to the client',
  race: 'a race',
  'not-stated': 'not stated by the reference',
};

export const SERVER_REACH_LABELS: Readonly<Record<ServerReachKind, string>> = {
  'cancel-request': 'CancelRequest',
  terminate: 'Terminate',
  'socket-close': 'socket close',
  'sqlite-interrupt': 'sqlite3_interrupt',
  nothing: 'nothing',
};

/** What reached the server because of the deadline, in kinds: CancelRequest, Terminate, …, or nothing. */
export function serverReach(effects: readonly ServerEffect[]): ServerReachKind[] {
  const kinds: ServerReachKind[] = [];
  for (const effect of effects) {
    if (effect.kind === 'cancel-request') kinds.push('cancel-request');
    else if (effect.kind === 'sqlite-interrupt') kinds.push('sqlite-interrupt');
    else if (effect.kind === 'disconnect')
      kinds.push(effect.graceful === true ? 'terminate' : 'socket-close');
  }
  return kinds.length === 0 ? ['nothing'] : [...new Set(kinds)];
}

export function ruleCitations(ruleIds: readonly RuleId[]): RuleCitation[] {
  return [...new Set(ruleIds)].map((id) => {
    const rule = RULES[id];
    return {
      id,
      statement: rule.statement,
      run: rule.run,
      sourceCheck: rule.basis === 'source-check',
      sources: rule.sources.map(formatSource),
    };
  });
}

export function connectionSummaries(result: SimulationResult): ConnectionSummary[] {
  return result.connections.map((connection) => {
    const story = connection.events.map((event) => `${describeEvent(event.kind)} at ${event.atMs} ms`);
    const last = connection.events.at(-1);
    const ended = connection.events.some((event) =>
      ['discarded', 'dropped-at-checkout', 'closed-expired', 'closed-max-idle', 'destroyed'].includes(
        event.kind,
      ),
    );
    return {
      id: connection.id,
      story,
      last: last ? describeEvent(last.kind) : 'never opened',
      alive: !ended,
    };
  });
}

function describeEvent(kind: string): string {
  return kind.replace(/-/g, ' ');
}

/** The comparison's view of one driver's run, for the goroutine whose deadline the marker moves. */
export function driverOutcome(run: DriverRun, goroutine: string): DriverOutcome {
  if (!run.ok) return { kind: 'invalid', driver: run.driver, problems: run.problems };
  const { result, driver } = run;
  const connections = connectionSummaries(result);
  const timeline = result.goroutines.find((candidate) => candidate.id === goroutine);
  const verdict = result.verdicts.find((candidate) => candidate.goroutine === goroutine);
  if (verdict) return deadlineOutcome(verdict, connections, run.ignored);
  if (timeline?.outcome === 'not-modelled') {
    return {
      kind: 'stopped',
      driver,
      goroutine,
      reason: timeline.notModelledReason ?? 'The reference does not describe what happens next.',
      connections,
      ignoredSettings: run.ignored,
    };
  }
  return {
    kind: 'completed',
    driver,
    goroutine,
    finishedAtMs: timeline?.endMs ?? result.endMs,
    deadlineMs: timeline?.deadlineMs ?? null,
    connections,
    ignoredSettings: run.ignored,
  };
}

function deadlineOutcome(
  verdict: DeadlineVerdict,
  connections: ConnectionSummary[],
  ignoredSettings: string[],
): DriverOutcome {
  const ruleSources = new Set(sourcesOf(verdict.ruleIds).map(formatSource));
  const error = verdict.error;
  return {
    kind: 'deadline',
    driver: verdict.driver,
    goroutine: verdict.goroutine,
    firedAtMs: verdict.firedAtMs,
    phase:
      verdict.phase === 'idle'
        ? 'between calls (the program’s own work)'
        : phaseTitle(verdict.phase, verdict.moment),
    phaseDescription: PHASE_DESCRIPTIONS[verdict.phase],
    modelled: verdict.status === 'modelled',
    notModelledReason: verdict.notModelledReason ?? null,
    error:
      error.kind === 'error'
        ? { error: error.error, surfacedBy: error.surfacedBy, atMs: error.atMs }
        : { none: error.note },
    reaches: serverReach(verdict.server.effects),
    serverSummary: verdict.server.summary,
    serverEffects: verdict.server.effects.map((effect) => ({
      atMs: effect.atMs,
      label: describeServerEffect(effect),
    })),
    connection: {
      fate: verdict.connection.fate,
      label: CONNECTION_FATE_LABELS[verdict.connection.fate],
      summary: verdict.connection.summary,
    },
    transaction: {
      fate: verdict.transaction.fate,
      label: TRANSACTION_FATE_LABELS[verdict.transaction.fate],
      summary: verdict.transaction.summary,
    },
    connections,
    rules: ruleCitations(verdict.ruleIds),
    otherSources: verdict.sources.map(formatSource).filter((source) => !ruleSources.has(source)),
    myths: mythsFor(verdict.driver, verdict.phase),
    ignoredSettings,
  };
}
