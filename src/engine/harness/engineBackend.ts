/**
 * The scenario backend that runs specs on the playground engine (PGlite plus the transaction
 * manager), in Node or in a browser. Time is the engine's virtual clock: it passes only when the
 * runner pauses, so deadlock_timeout, lock_timeout, statement_timeout and pg_sleep fire exactly when
 * the isolation tester's polling would let them.
 */
import { type EngineEvent, type StatementOutcome, Engine } from '../pgEmulator';
import type { NoticeEvent, ScenarioBackend, ScenarioConnections, ScenarioInfo, StepOutput } from './backend';

/** The control connection's session name (cannot clash with a spec's identifiers). */
const CONTROL = ' control connection';

/** What pg_regress sets for its test databases (PGTZ, PGDATESTYLE and database settings). */
const REGRESSION_SETTINGS = [
  "SET lc_messages = 'C'",
  "SET lc_monetary = 'C'",
  "SET lc_numeric = 'C'",
  "SET lc_time = 'C'",
  "SET bytea_output = 'hex'",
  "SET timezone_abbreviations = 'Default'",
  "SET timezone = 'America/Los_Angeles'",
  "SET datestyle = 'Postgres, MDY'",
].join('; ');

/** How far the virtual clock may run to finish setup or teardown SQL before it is cancelled. */
const CONTROL_TIME_LIMIT_MS = 600_000;

class EngineConnections implements ScenarioConnections {
  private readonly start: number;
  private seenSeq: number;
  private notices: NoticeEvent[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly specName: string,
    private readonly sessions: readonly string[],
  ) {
    this.start = engine.now();
    this.seenSeq = engine.lastEventSeq();
  }

  private submit(session: string, sql: string): void {
    this.engine.submit(session, sql);
    this.collectNotices();
  }

  /** Outcomes of each session's current submission, in order (kept up to date from the event log). */
  private readonly outputs = new Map<string, StatementOutcome[]>();

  /** Reads new events: outcomes per submission, and notices placed among their statement's outcomes. */
  private collectNotices(): void {
    const events = this.engine.events(this.seenSeq);
    this.seenSeq = this.engine.lastEventSeq();
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as EngineEvent;
      if (event.type === 'submitted') this.outputs.set(event.session, []);
      if (event.type === 'statementFinished') this.outputs.get(event.session)?.push(event.outcome);
      if (event.type !== 'notice' || event.session === CONTROL) continue;
      const finishing = events
        .slice(i + 1)
        .find((e) => e.type === 'statementFinished' && e.session === event.session);
      const returnsRows =
        finishing?.type === 'statementFinished' &&
        finishing.outcome.kind === 'ok' &&
        finishing.outcome.fields !== undefined;
      this.notices.push({
        session: event.session,
        notice: event.notice,
        afterOutcomes: this.outputs.get(event.session)?.length ?? 0,
        afterRowDescription: returnsRows,
      });
    }
  }

  private outputOf(session: string): StepOutput {
    this.collectNotices();
    return { outcomes: [...(this.outputs.get(session) ?? [])] };
  }

  /** Runs SQL to completion, letting virtual time pass if it must wait; cancels it past the limit. */
  private runToCompletion(session: string, sql: string): StepOutput {
    this.submit(session, sql);
    const deadline = this.engine.now() + CONTROL_TIME_LIMIT_MS;
    while (this.engine.isBusy(session) && this.engine.advanceToNextTimer(deadline - this.engine.now())) {
      this.collectNotices();
    }
    if (this.engine.isBusy(session)) this.engine.cancel(session);
    this.collectNotices();
    return this.outputOf(session);
  }

  runControl(sql: string): Promise<StepOutput> {
    return Promise.resolve(this.runToCompletion(CONTROL, sql));
  }

  runOnSession(session: string, sql: string): Promise<StepOutput> {
    return Promise.resolve(this.runToCompletion(session, sql));
  }

  launch(session: string, sql: string): Promise<void> {
    this.submit(session, sql);
    return Promise.resolve();
  }

  isFinished(session: string): Promise<boolean> {
    return Promise.resolve(!this.engine.isBusy(session));
  }

  isBlocked(session: string, others: readonly string[]): Promise<boolean> {
    return Promise.resolve(this.engine.isBlockedBy(session, others));
  }

  takeOutput(session: string): Promise<StepOutput> {
    return Promise.resolve(this.outputOf(session));
  }

  pause(milliseconds: number, session: string): Promise<boolean> {
    const target = this.engine.now() + milliseconds;
    const wasBusy = this.engine.isBusy(session);
    while (this.engine.now() < target) {
      if (!this.engine.advanceToNextTimer(target - this.engine.now())) {
        this.engine.advanceTime(target - this.engine.now());
      }
      this.collectNotices();
      if (wasBusy && !this.engine.isBusy(session)) return Promise.resolve(true);
    }
    return Promise.resolve(false);
  }

  elapsed(): number {
    return this.engine.now() - this.start;
  }

  cancel(session: string): Promise<void> {
    this.engine.cancel(session);
    this.collectNotices();
    return Promise.resolve();
  }

  takeNotices(): NoticeEvent[] {
    this.collectNotices();
    const out = this.notices;
    this.notices = [];
    return out;
  }

  close(): Promise<void> {
    this.engine.reset();
    return Promise.resolve();
  }

  openSessions(): void {
    for (const session of [CONTROL, ...this.sessions]) {
      // As under pg_isolation_regress (and the postgres backend): isolation/SPEC/SESSION.
      this.engine.openSession(session, { applicationName: `isolation/${this.specName}/${session.trim()}` });
      this.engine.submit(session, REGRESSION_SETTINGS);
    }
    this.seenSeq = this.engine.lastEventSeq();
  }
}

class EngineScenarioBackend implements ScenarioBackend {
  readonly name = 'engine' as const;

  constructor(private readonly engine: Engine) {}

  connect(scenario: ScenarioInfo): Promise<ScenarioConnections> {
    this.engine.reset();
    const connections = new EngineConnections(this.engine, scenario.name, scenario.sessions);
    connections.openSessions();
    return Promise.resolve(connections);
  }

  async shutdown(): Promise<void> {
    await this.engine.close();
  }
}

/** Starts an engine for running scenarios (one engine serves many specs; each gets a fresh database). */
export async function createEngineBackend(): Promise<ScenarioBackend> {
  const engine = await Engine.create({ maxResultRows: 1_000_000 });
  return new EngineScenarioBackend(engine);
}
