/**
 * The one source of truth for what the engine shows on the page (the rest of the page's state —
 * mode, tab, address — is the page store's, `pageStore.ts`): it sends intents to the engine, keeps
 * the log of every intent since the last reset, and publishes what the engine's state now is.
 *
 * - Every action is queued, so the engine sees them one at a time, in order.
 * - Step back (and undo in free play) resets the engine and replays the log up to an earlier mark:
 *   the engine is deterministic, so the replay gives the same state.
 * - The runaway guard: every call to the engine has a real-time deadline. Past it the engine's
 *   worker is stopped, a new one started, and the log replayed with the statement that kept PGlite
 *   busy recorded as stopped (`rejectSubmission`, SQLSTATE 57014).
 *
 * It holds no React state and renders nothing: `subscribe` / `getState` feed the UI.
 */
import type { IsolationLevelName } from '../../engine/pgEmulator';
import type { EngineApi } from './engineApi';
import { type EngineSnapshot, emptySnapshot, readSnapshot, type RowVersionWatch } from './engineSnapshot';
import { applyIntent, type Intent } from './intents';
import {
  DeadlineExceeded,
  formatSeconds,
  runawayError,
  runawayNotice,
  type Timers,
  withDeadline,
} from './runawayGuard';
import { nextScenarioAction, runsOnTimer, type ScenarioAction } from './scenarioProgress';
import type { ScriptStep } from './scenarioScript';

/** One engine: in the app, a Web Worker behind Comlink. */
export interface EngineLink {
  engine: EngineApi;
  /** The statement PGlite runs now, as the engine last reported it (null when none). */
  runningStatement(): { session: string; submission: number } | null;
  /** Stops the engine at once (the worker is terminated, even in the middle of a statement). */
  terminate(): void;
}

/** Plays a scenario step some other way: the intents to apply instead of its SQL, or null to run it. */
export type StepReplacement = (step: ScriptStep, state: PlaygroundState) => Intent[] | null;

/** What every reset starts from: the sessions, the shared setup, each session's own setup. */
export interface Baseline {
  sessions: { name: string; isolation?: IsolationLevelName }[];
  setup: string[];
  sessionSetup?: Record<string, string | null>;
}

export type ControllerStatus =
  | { state: 'starting' }
  | { state: 'ready' }
  | { state: 'restarting'; reason: string }
  | { state: 'failed'; message: string };

export interface ScenarioState {
  steps: ScriptStep[];
  /** Steps launched so far. */
  done: number;
  /** What Step does next. */
  next: ScenarioAction;
}

export interface PlaygroundState {
  status: ControllerStatus;
  snapshot: EngineSnapshot;
  scenario: ScenarioState | null;
  /** Something can be undone (Back). */
  canGoBack: boolean;
  /** An action is running or queued. */
  working: boolean;
  /** The last thing the page must tell the person (the runaway guard's report). */
  notice: string | null;
}

interface LogEntry {
  intent: Intent;
  /** The submission id the engine gave a `submit` / `reject`. */
  submission: number | null;
}

interface Mark {
  /** Log length before the action. */
  at: number;
  /** Scenario steps launched before it. */
  done: number;
}

export interface ControllerOptions {
  connect: () => Promise<EngineLink>;
  /** A call to the engine that takes longer than this (real time) counts as a runaway. */
  runawayLimitMs: number;
  timers: Timers;
  /** How far one "let time pass" may move the virtual clock. */
  maxTimeStepMs?: number;
}

const defaultMaxTimeStepMs = 3_600_000;
/** Performance timeline measures (the web benchmark reads them): one step; the sessions and setup at start. */
export const stepMeasure = 'playground: step';
export const startMeasure = 'playground: open sessions, run setup';
/** The engine counts as stopped when its own work (reset, reading state) takes this long. */
const unresponsiveAfterMs = 120_000;
/** Bounds the loops that let time pass (a launched pg_sleep, run to end). */
const maxIterations = 1_000;

class RunawayRecovered extends Error {}

export class PlaygroundController {
  private link: EngineLink | null = null;
  /** The engine has just started: nothing to reset. */
  private fresh = false;
  private log: LogEntry[] = [];
  private marks: Mark[] = [];
  /** Entries at the log's start that Back never removes (the reset's sessions and setup). */
  private fixed = 0;
  private origin = 0;
  private watch: RowVersionWatch = null;
  /** The scenario being stepped through, and how many of its steps were launched. */
  private steps: ScriptStep[] | null = null;
  private done = 0;
  /** The last snapshot read (since the last reset): the next read fetches only newer events. */
  private previous: EngineSnapshot = emptySnapshot;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private state: PlaygroundState = {
    status: { state: 'starting' },
    snapshot: emptySnapshot,
    scenario: null,
    canGoBack: false,
    working: false,
    notice: null,
  };
  private readonly listeners = new Set<() => void>();
  private stepReplacement: StepReplacement | null = null;
  private readonly maxTimeStepMs: number;

  constructor(private readonly options: ControllerOptions) {
    this.maxTimeStepMs = options.maxTimeStepMs ?? defaultMaxTimeStepMs;
  }

  // ---- for React (useSyncExternalStore) ----

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): PlaygroundState => this.state;

  private publish(patch: Partial<PlaygroundState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  // ---- intents from the UI ----

  /** Connects the first engine and starts from `baseline`. */
  start(
    firstLink: Promise<EngineLink>,
    baseline: Baseline,
    steps: ScriptStep[] | null = null,
  ): Promise<void> {
    return this.enqueue(async () => {
      try {
        const link = await firstLink;
        // A second start on the same engine (React's StrictMode runs effects twice) must reset it.
        if (link.engine !== this.link?.engine) this.fresh = true;
        this.link = link;
      } catch (error) {
        this.publish({ status: { state: 'failed', message: messageOf(error) } });
        return;
      }
      this.publish({ status: { state: 'ready' } });
      const opened = performance.now();
      await this.resetTo(baseline, steps);
      performance.measure(startMeasure, { start: opened, end: performance.now() });
    });
  }

  /** A fresh database: reset, the baseline's sessions and setup, and (optionally) a scenario to step through. */
  reset(baseline: Baseline, steps: ScriptStep[] | null = null): Promise<void> {
    return this.enqueue(() => this.resetTo(baseline, steps));
  }

  /** Runs SQL on a session (Ctrl+Enter, Run all). */
  run(session: string, sql: string): Promise<void> {
    return this.action(() => this.apply({ kind: 'submit', session, sql }));
  }

  cancel(session: string): Promise<void> {
    return this.action(() => this.apply({ kind: 'cancel', session }));
  }

  advanceTime(milliseconds: number): Promise<void> {
    return this.action(() => this.apply({ kind: 'advanceTime', milliseconds }));
  }

  /** Moves the clock by real elapsed time (follow-real-time mode): merged into the log, not a Back step. */
  followTime(milliseconds: number): Promise<void> {
    return this.enqueue(async () => {
      const last = this.log.at(-1);
      if (last?.intent.kind === 'advanceTime' && this.log.length > (this.marks.at(-1)?.at ?? this.fixed)) {
        const intent: Intent = { kind: 'advanceTime', milliseconds };
        await this.call((engine) => applyIntent(engine, intent), this.options.runawayLimitMs);
        last.intent = { kind: 'advanceTime', milliseconds: last.intent.milliseconds + milliseconds };
        await this.refresh();
        return;
      }
      await this.apply({ kind: 'advanceTime', milliseconds });
    });
  }

  advanceToNextTimer(): Promise<void> {
    return this.action(() => this.apply({ kind: 'advanceToNextTimer', limit: this.maxTimeStepMs }));
  }

  /** Adds a session to the running database (Back cannot go before it). */
  openSession(name: string, isolation?: IsolationLevelName): Promise<void> {
    return this.enqueue(() => this.changeSessions({ kind: 'openSession', session: name, isolation }));
  }

  closeSession(name: string): Promise<void> {
    return this.enqueue(() => this.changeSessions({ kind: 'closeSession', session: name }));
  }

  /**
   * One step of the scenario (or letting time pass until its next step can run). Each step's time,
   * from the click to its result on screen's data, goes on the Performance timeline as
   * `playground: step` (the web benchmark reads it).
   */
  step(): Promise<void> {
    return this.action(async () => {
      const start = performance.now();
      await this.scenarioStep();
      performance.measure(stepMeasure, { start, end: performance.now() });
    });
  }

  runToEnd(): Promise<void> {
    return this.enqueue(async () => {
      for (let i = 0; i < maxIterations; i++) {
        const next = this.state.scenario?.next;
        if (!next || next.kind === 'finished' || next.kind === 'stuck') return;
        await this.marked(() => this.scenarioStep());
      }
    });
  }

  /** Back: the state before the last action, by replaying the log up to it. */
  back(): Promise<void> {
    return this.enqueue(async () => {
      const mark = this.marks.pop();
      if (!mark) return;
      this.log.length = mark.at;
      this.done = mark.done;
      await this.replay(this.log);
    });
  }

  /** Which table's row versions to keep reading (null: none). */
  watchRowVersions(watch: RowVersionWatch): Promise<void> {
    this.watch = watch;
    return this.enqueue(() => this.refresh());
  }

  /**
   * Lets something else play some scenario steps (a lesson's engine link): for each step it returns
   * the intents to apply instead of the step's SQL, or null to run the SQL. Back replays them.
   */
  replaceSteps(replacement: StepReplacement | null): void {
    this.stepReplacement = replacement;
  }

  dismissNotice(): void {
    this.publish({ notice: null });
  }

  /** Resolves when every queued action has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  // ---- internals ----

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.pending++;
    if (this.pending === 1) this.publish({ working: true });
    const run = this.queue.then(async () => {
      try {
        await work();
      } catch (error) {
        if (!(error instanceof RunawayRecovered)) {
          this.publish({ status: { state: 'failed', message: messageOf(error) } });
        }
      } finally {
        this.pending--;
        if (this.pending === 0) this.publish({ working: false });
      }
    });
    this.queue = run;
    return run;
  }

  /** An undoable action: marks the log first. */
  private action(work: () => Promise<void>): Promise<void> {
    return this.enqueue(() => this.marked(work));
  }

  private async marked(work: () => Promise<void>): Promise<void> {
    this.marks.push({ at: this.log.length, done: this.done });
    this.publish({ canGoBack: true });
    await work();
  }

  private async changeSessions(intent: Intent): Promise<void> {
    await this.apply(intent);
    // A session added or removed is part of the setting, not an action to undo.
    this.marks = [];
    this.fixed = this.log.length;
    await this.refresh();
  }

  private async resetTo(baseline: Baseline, steps: ScriptStep[] | null): Promise<void> {
    this.log = [];
    this.marks = [];
    this.steps = steps;
    this.done = 0;
    this.publish({ canGoBack: false });
    await this.replay(
      baselineIntents(baseline).map((intent) => ({ intent, submission: null })),
      this.baselineDeadlineMs(),
    );
    this.fixed = this.log.length;
  }

  /**
   * The setup runs first on a cold database (its first statements are the slowest), and a person
   * waits for it anyway: its runaway deadline is longer than for a statement in play.
   */
  private baselineDeadlineMs(): number {
    return Math.max(this.options.runawayLimitMs * 6, 30_000);
  }

  /**
   * Resets the engine (unless it is fresh from its start) and applies `entries` (the new log). The
   * entries ran before, so they get the engine's generous deadline unless `deadlineMs` says otherwise.
   */
  private async replay(entries: LogEntry[], deadlineMs = unresponsiveAfterMs): Promise<void> {
    if (!this.fresh) await this.call((engine) => engine.reset());
    this.fresh = false;
    this.origin = await this.call((engine) => engine.now());
    this.previous = emptySnapshot;
    this.log = [];
    for (const entry of entries) await this.apply(entry.intent, false, deadlineMs);
    await this.refresh();
    this.publish({ canGoBack: this.marks.length > 0 });
  }

  /** Sends an intent; past `deadlineMs` (by default the runaway limit) the runaway guard acts. */
  private async apply(
    intent: Intent,
    refresh = true,
    deadlineMs = this.options.runawayLimitMs,
  ): Promise<void> {
    const index = this.log.length;
    const entry: LogEntry = { intent, submission: null };
    this.log.push(entry);
    try {
      entry.submission = await this.call((engine) => applyIntent(engine, intent), deadlineMs);
    } catch (error) {
      if (error instanceof DeadlineExceeded && deadlineMs < unresponsiveAfterMs) {
        await this.recoverFromRunaway(index, deadlineMs);
      }
      throw error;
    }
    if (refresh) await this.refresh();
  }

  private async refresh(): Promise<void> {
    const snapshot = await this.call((engine) =>
      readSnapshot(engine, this.previous, this.watch, this.origin),
    );
    this.previous = snapshot;
    const { steps, done } = this;
    this.publish({
      snapshot,
      scenario: steps && {
        steps,
        done,
        next: nextScenarioAction(steps, done, snapshot.sessions, snapshot.nextTimerAt),
      },
    });
  }

  private async scenarioStep(): Promise<void> {
    const next = this.state.scenario?.next;
    if (!next) return;
    if (next.kind === 'let time pass') {
      await this.apply({ kind: 'advanceToNextTimer', limit: this.maxTimeStepMs });
      return;
    }
    if (next.kind !== 'launch') return;
    const replacement = this.stepReplacement?.(next.step, this.state) ?? null;
    this.done++;
    if (replacement) {
      for (const intent of replacement) await this.apply(intent, false);
      await this.refresh();
      return;
    }
    await this.apply({ kind: 'submit', session: next.step.session, sql: next.step.sql });
    // Like the isolation tester's polling: a statement that runs on a timer (pg_sleep) lets time pass.
    for (let i = 0; i < maxIterations; i++) {
      const { snapshot } = this.state;
      const view = snapshot.sessions.find((session) => session.name === next.step.session);
      if (!runsOnTimer(view, snapshot.nextTimerAt)) break;
      await this.apply({ kind: 'advanceToNextTimer', limit: this.maxTimeStepMs });
    }
  }

  /**
   * A call to the engine. Calls that run only the engine's own SQL (reset, reading its state) get a
   * generous deadline: on a busy machine they may be slow, and they cannot run away.
   */
  private async call<T>(
    work: (engine: EngineApi) => T | Promise<T>,
    deadlineMs = unresponsiveAfterMs,
  ): Promise<T> {
    const link = this.link;
    if (!link) throw new Error('The engine is not connected.');
    return withDeadline(
      Promise.resolve().then(() => work(link.engine)),
      deadlineMs,
      this.options.timers,
    );
  }

  /**
   * The call for log entry `index` did not return in time: stop the worker, start a new one and
   * replay the log with the statement PGlite was running recorded as stopped.
   */
  private async recoverFromRunaway(index: number, limit: number): Promise<never> {
    const link = this.link;
    const running = link?.runningStatement() ?? null;
    link?.terminate();
    this.link = null;
    const entries = this.log.slice(0, index + 1);
    const hungSetup = entries[index]?.intent.kind === 'runSetup';
    const culprit = culpritEntry(entries, running);
    const stopped = culprit === null ? null : entries[culprit];
    const session = stopped && stopped.intent.kind === 'submit' ? stopped.intent.session : null;
    if (culprit !== null && stopped?.intent.kind === 'submit') {
      entries[culprit] = {
        intent: { ...stopped.intent, kind: 'reject', error: runawayError(limit) },
        submission: null,
      };
    } else {
      entries.pop(); // no statement to blame: leave the call that hung out
    }
    this.marks = this.marks.filter((mark) => mark.at <= entries.length);
    this.publish({
      status: { state: 'restarting', reason: 'A statement kept the database busy; restarting the engine…' },
    });
    this.link = await this.options.connect();
    this.fresh = true;
    this.publish({ status: { state: 'ready' } });
    await this.replay(entries);
    this.publish({
      notice: session
        ? runawayNotice(session, limit)
        : hungSetup
          ? `The setup SQL ran for more than ${formatSeconds(limit)}, so the playground stopped it and started without it. Change it in the Setup SQL tab, then Reset.`
          : 'The engine stopped answering, so the playground restarted it and replayed your actions.',
    });
    throw new RunawayRecovered();
  }
}

/** Which log entry's submission PGlite was running: by the engine's report, else the last submit. */
function culpritEntry(
  entries: readonly LogEntry[],
  running: { session: string; submission: number } | null,
): number | null {
  if (running) {
    const byId = entries.findIndex((entry) => entry.submission === running.submission);
    if (byId >= 0) return byId;
    // The call that hung had not returned its submission id yet: its own submit, if on that session.
    const last = entries.length - 1;
    const hung = entries[last]?.intent;
    if (hung?.kind === 'submit' && hung.session === running.session) return last;
    return null;
  }
  const last = entries.length - 1;
  return entries[last]?.intent.kind === 'submit' ? last : null;
}

function baselineIntents(baseline: Baseline): Intent[] {
  const intents: Intent[] = baseline.sessions.map((session) => ({
    kind: 'openSession',
    session: session.name,
    ...(session.isolation ? { isolation: session.isolation } : {}),
  }));
  for (const sql of baseline.setup) if (sql.trim() !== '') intents.push({ kind: 'runSetup', sql });
  // A session's own setup is sent like a step (a setup that waits would be left waiting).
  for (const session of baseline.sessions) {
    const sql = baseline.sessionSetup?.[session.name];
    if (sql) intents.push({ kind: 'submit', session: session.name, sql });
  }
  return intents;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
