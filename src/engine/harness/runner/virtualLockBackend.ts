/**
 * A tiny scenario backend with virtual time and exclusive named locks, for testing the runner
 * without a database — and a model of what a synchronous backend with a virtual clock (the engine)
 * must do for the runner: run a launched step at once until it finishes or blocks, report
 * blocking through `isBlocked`, and let time pass only in `pause`.
 *
 * Each statement of a step (separated by `;`) is one of:
 *
 *     lock NAME       take the exclusive lock NAME, waiting while another session holds it
 *     commit          release every lock the session holds (waiters get them in queue order)
 *     select VALUE    one row, column "v"
 *     notice TEXT     a NOTICE before the statement's result
 *     rownotice TEXT  a row-returning statement that raises a NOTICE while sending rows
 *     sleep MS        finish after MS milliseconds (not a lock wait)
 *     fail TEXT       ERROR TEXT (the rest of the step does not run)
 *     hang            never finish, not a lock wait; a cancel ends it with an error
 *     stubborn        never finish, even when canceled
 */
import type { StatementOutcome } from '../../pgEmulator';
import type { NoticeEvent, ScenarioBackend, ScenarioConnections, ScenarioInfo, StepOutput } from '../backend';

type Wait =
  { kind: 'lock'; name: string } | { kind: 'sleep'; until: number } | { kind: 'hang'; cancelable: boolean };

interface SessionState {
  statements: string[];
  next: number;
  outcomes: StatementOutcome[];
  wait: Wait | null;
  running: boolean;
  canceled: boolean;
}

export interface VirtualLockLog {
  /** Every SQL string run on the control connection. */
  control: string[];
  /** How much virtual time passed in all. */
  elapsed: () => number;
}

export function createVirtualLockBackend(): { backend: ScenarioBackend; log: VirtualLockLog } {
  let connections: VirtualConnections | null = null;
  const control: string[] = [];
  const backend: ScenarioBackend = {
    name: 'engine',
    connect(scenario: ScenarioInfo): Promise<ScenarioConnections> {
      connections = new VirtualConnections(scenario.sessions, control);
      return Promise.resolve(connections);
    },
    shutdown: () => Promise.resolve(),
  };
  return { backend, log: { control, elapsed: () => connections?.elapsed() ?? 0 } };
}

class VirtualConnections implements ScenarioConnections {
  private clock = 0;
  private readonly sessions = new Map<string, SessionState>();
  /** Lock name → holder; waiters queue in `queue`. */
  private readonly holders = new Map<string, string>();
  private readonly queue: { session: string; lock: string }[] = [];
  private notices: NoticeEvent[] = [];

  constructor(
    names: readonly string[],
    private readonly controlLog: string[],
  ) {
    for (const name of names) {
      this.sessions.set(name, {
        statements: [],
        next: 0,
        outcomes: [],
        wait: null,
        running: false,
        canceled: false,
      });
    }
  }

  private state(session: string): SessionState {
    const state = this.sessions.get(session);
    if (!state) throw new Error(`no session ${session}`);
    return state;
  }

  runControl(sql: string): Promise<StepOutput> {
    this.controlLog.push(sql);
    return Promise.resolve({ outcomes: [{ kind: 'ok', tag: 'DO', command: 'DO', rowCount: null }] });
  }

  async runOnSession(session: string, sql: string): Promise<StepOutput> {
    await this.launch(session, sql);
    if (this.state(session).running) throw new Error('session setup must not block in this fake');
    return this.takeOutput(session);
  }

  launch(session: string, sql: string): Promise<void> {
    const state = this.state(session);
    if (state.running) throw new Error(`session ${session} is busy`);
    state.statements = sql
      .split(';')
      .map((statement) => statement.trim())
      .filter(Boolean);
    state.next = 0;
    state.outcomes = [];
    state.wait = null;
    state.running = true;
    state.canceled = false;
    this.advance(session);
    return Promise.resolve();
  }

  /** Runs the session's statements until one has to wait or all are done. */
  private advance(session: string): void {
    const state = this.state(session);
    while (state.running && state.wait === null) {
      const statement = state.statements[state.next];
      if (statement === undefined) {
        state.running = false;
        break;
      }
      const [verb = '', ...words] = statement.split(/\s+/);
      const argument = words.join(' ');
      switch (verb) {
        case 'lock': {
          const holder = this.holders.get(argument);
          if (holder !== undefined && holder !== session) {
            state.wait = { kind: 'lock', name: argument };
            this.queue.push({ session, lock: argument });
            return;
          }
          this.holders.set(argument, session);
          this.complete(state, 'LOCK');
          break;
        }
        case 'commit':
          this.complete(state, 'COMMIT');
          this.releaseLocks(session);
          break;
        case 'select':
          this.completeRows(state, argument);
          break;
        case 'notice':
          this.notice(session, state, argument, false);
          this.complete(state, 'DO');
          break;
        case 'rownotice':
          this.notice(session, state, argument, true);
          this.completeRows(state, argument);
          break;
        case 'sleep':
          state.wait = { kind: 'sleep', until: this.clock + Number(argument) };
          return;
        case 'fail':
          this.fail(state, argument);
          break;
        case 'hang':
        case 'stubborn':
          state.wait = { kind: 'hang', cancelable: verb === 'hang' };
          return;
        default:
          this.fail(state, `syntax error at or near "${verb}"`);
      }
    }
  }

  private complete(state: SessionState, tag: string): void {
    state.outcomes.push({ kind: 'ok', tag, command: tag, rowCount: null });
    state.next += 1;
  }

  private completeRows(state: SessionState, value: string): void {
    state.outcomes.push({
      kind: 'ok',
      tag: 'SELECT 1',
      command: 'SELECT',
      rowCount: 1,
      fields: [{ name: 'v', typeOid: 25 }],
      rows: [[value]],
    });
    state.next += 1;
  }

  private fail(state: SessionState, message: string): void {
    state.outcomes.push({ kind: 'error', error: { severity: 'ERROR', sqlstate: 'P0001', message } });
    state.running = false;
    state.wait = null;
  }

  private notice(session: string, state: SessionState, message: string, afterRowDescription: boolean): void {
    this.notices.push({
      session,
      notice: { severity: 'NOTICE', sqlstate: '00000', message },
      afterOutcomes: state.outcomes.length,
      afterRowDescription,
    });
  }

  private releaseLocks(session: string): void {
    for (const [lock, holder] of [...this.holders]) {
      if (holder !== session) continue;
      this.holders.delete(lock);
      const waiter = this.queue.findIndex((entry) => entry.lock === lock);
      if (waiter < 0) continue;
      const [{ session: next } = { session: '' }] = this.queue.splice(waiter, 1);
      const state = this.state(next);
      this.holders.set(lock, next);
      state.wait = null;
      this.complete(state, 'LOCK');
      this.advance(next);
    }
  }

  isFinished(session: string): Promise<boolean> {
    return Promise.resolve(!this.state(session).running);
  }

  isBlocked(session: string, others: readonly string[]): Promise<boolean> {
    const wait = this.state(session).wait;
    if (wait?.kind !== 'lock') return Promise.resolve(false);
    const holder = this.holders.get(wait.name);
    return Promise.resolve(holder !== undefined && others.includes(holder));
  }

  takeOutput(session: string): Promise<StepOutput> {
    const state = this.state(session);
    if (state.running) throw new Error(`session ${session} is still running`);
    const outcomes = state.outcomes;
    state.outcomes = [];
    return Promise.resolve({ outcomes });
  }

  pause(milliseconds: number): Promise<boolean> {
    this.clock += milliseconds;
    for (const [name, state] of this.sessions) {
      if (state.wait?.kind === 'sleep' && state.wait.until <= this.clock) {
        state.wait = null;
        this.complete(state, 'SELECT');
        this.advance(name);
      }
    }
    return Promise.resolve(false);
  }

  elapsed(): number {
    return this.clock;
  }

  cancel(session: string): Promise<void> {
    const state = this.state(session);
    state.canceled = true;
    if (state.wait && !(state.wait.kind === 'hang' && !state.wait.cancelable)) {
      if (state.wait.kind === 'lock') {
        const index = this.queue.findIndex((entry) => entry.session === session);
        if (index >= 0) this.queue.splice(index, 1);
      }
      this.fail(state, 'canceling statement due to user request');
    }
    return Promise.resolve();
  }

  takeNotices(): NoticeEvent[] {
    const notices = this.notices;
    this.notices = [];
    return notices;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
