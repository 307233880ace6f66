/**
 * PostgreSQL's isolation tester (src/test/isolation/isolationtester.c), on a `ScenarioConnections`.
 *
 * Per permutation: the spec's setup blocks on the control connection, each session's setup, then
 * the steps in order. A step is sent and polled every 10 ms: when the session is blocked by
 * another session of the spec it is printed `<waiting ...>` and joins the waiting list; after every
 * step launch the waiting steps are polled again, in the order they began to wait, and printed
 * `<... completed>` when done. A step whose session is still busy first waits for that session.
 * Markers: `(*)` prints the step as waiting once; `(other)` keeps it from completing while `other`
 * runs; `(other notices N)` until N more notices came from `other`'s session. A step that runs
 * longer than the maximum wait is canceled (`isolationtester: canceling step …`); at twice that the
 * run gives up, as the tester does.
 *
 * Notices are printed when libpq would read them: while the tester polls that session's step, and
 * between the results of a step by their position (see `NoticeEvent`).
 */
import type { StatementOutcome } from '../../pgEmulator';
import type { NoticeEvent, ScenarioConnections, StepOutput } from '../backend';
import type { TranscriptEvent, TranscriptSink } from '../output/transcript';
import { formatLibpqMessage } from '../output/libpqMessage';
import type { ResolvedBlocker, ResolvedPermutationStep, ResolvedSpec } from '../spec/resolveSpec';

export interface TesterOptions {
  /** PGISOLATIONTIMEOUT in milliseconds: a step running longer is canceled. Default 300 s. */
  maxStepWaitMs?: number;
  /** How long one poll lets pass. Default 10 ms, like the tester. */
  pollIntervalMs?: number;
}

export const DEFAULT_MAX_STEP_WAIT_MS = 300_000;
const DEFAULT_POLL_INTERVAL_MS = 10;

/** The tester stopped the whole run (it calls `exit(1)` there); the reason was printed as a diagnostic. */
export class ScenarioAbortedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ScenarioAbortedError';
  }
}

/** Flags of `try_complete_step`. */
const NONBLOCK = 1;
const RETRY = 2;

interface RunningStep {
  pstep: ResolvedPermutationStep;
  /** For `notices` blockers: the notice count of the other session that releases this step. */
  noticeTargets: Map<ResolvedBlocker, number>;
}

/** Before which result (1-based) libpq prints a notice; 1 means before the step line as well. */
function printedBeforeResult(notice: NoticeEvent): number {
  if (notice.afterOutcomes === 0) return 1;
  return notice.afterRowDescription ? notice.afterOutcomes + 1 : notice.afterOutcomes;
}

export class IsolationTester {
  private readonly sessionNames: readonly string[];
  private readonly active: (RunningStep | null)[];
  private readonly totalNotices: number[];
  private readonly pendingNotices: NoticeEvent[][];
  private anyNewNotice = false;
  private readonly maxStepWaitMs: number;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly resolved: ResolvedSpec,
    private readonly connections: ScenarioConnections,
    private readonly emit: TranscriptSink,
    options: TesterOptions = {},
  ) {
    this.sessionNames = resolved.sessionNames;
    this.active = this.sessionNames.map(() => null);
    this.totalNotices = this.sessionNames.map(() => 0);
    this.pendingNotices = this.sessionNames.map(() => []);
    this.maxStepWaitMs = options.maxStepWaitMs ?? DEFAULT_MAX_STEP_WAIT_MS;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  async runPermutation(steps: readonly ResolvedPermutationStep[]): Promise<void> {
    const spec = this.resolved.spec;
    const waiting: RunningStep[] = [];
    this.emit({ kind: 'permutationStarted', steps: steps.map((step) => step.name) });

    for (const sql of spec.setup) {
      const output = await this.connections.runControl(sql);
      this.reportBlockResult(output, (message) => this.abort(`setup failed: ${message}`));
    }
    for (const [index, session] of spec.sessions.entries()) {
      if (session.setup === null) continue;
      const output = await this.connections.runOnSession(session.name, session.setup);
      this.printAllNotices(index);
      this.reportBlockResult(output, (message) =>
        this.abort(`setup of session ${session.name} failed: ${message}`),
      );
    }

    for (const pstep of steps) {
      const session = pstep.step.session;
      if (this.active[session]) await this.waitForSession(session, waiting);

      await this.connections.launch(this.sessionName(session), pstep.step.sql);
      const running: RunningStep = { pstep, noticeTargets: new Map() };
      this.active[session] = running;
      for (const blocker of pstep.blockers) {
        if (blocker.kind === 'notices') {
          running.noticeTargets.set(blocker, blocker.count + (this.totalNotices[blocker.step.session] ?? 0));
        }
      }
      const mustWait = await this.tryCompleteStep(running, NONBLOCK);
      await this.tryCompleteSteps(waiting, NONBLOCK | RETRY);
      if (mustWait) waiting.push(running);
    }

    await this.tryCompleteSteps(waiting, RETRY);
    if (waiting.length > 0) this.abort('failed to complete permutation due to mutually-blocking steps\n');

    for (const [index, session] of spec.sessions.entries()) {
      if (session.teardown === null) continue;
      const output = await this.connections.runOnSession(session.name, session.teardown);
      this.printAllNotices(index);
      this.reportBlockResult(output, (message) =>
        this.diagnostic(`teardown of session ${session.name} failed: ${message}`),
      );
    }
    if (spec.teardown !== null) {
      const output = await this.connections.runControl(spec.teardown);
      this.reportBlockResult(output, (message) => this.diagnostic(`teardown failed: ${message}`));
    }
  }

  /** The session must run its next step but an earlier one is still busy: wait for it (`run_permutation`). */
  private async waitForSession(session: number, waiting: RunningStep[]): Promise<void> {
    const start = this.connections.elapsed();
    while (this.active[session]) {
      const oldStep = this.active[session];
      if (!oldStep) break;
      if (!(await this.tryCompleteStep(oldStep, RETRY))) {
        const index = waiting.indexOf(oldStep);
        if (index < 0)
          throw new Error(`internal error: step ${oldStep.pstep.name} completed but was not waiting`);
        waiting.splice(index, 1);
      }
      await this.tryCompleteSteps(waiting, NONBLOCK | RETRY);
      const stillActive = this.active[session];
      if (stillActive) {
        const waited = this.connections.elapsed() - start;
        if (waited > 2 * this.maxStepWaitMs) {
          const activeSteps = this.active.flatMap((step) => (step ? [` ${step.pstep.name}`] : [])).join('');
          this.abort(
            `step ${stillActive.pstep.name} timed out after ${Math.floor(waited / 1000)} seconds\n` +
              `active steps are:${activeSteps}\n`,
          );
        }
      }
    }
  }

  /** Polls the waiting steps in order, dropping those that complete (`try_complete_steps`). */
  private async tryCompleteSteps(waiting: RunningStep[], flags: number): Promise<void> {
    let haveBlocker: boolean;
    let previousCount: number;
    do {
      this.anyNewNotice = false;
      previousCount = waiting.length;
      haveBlocker = false;
      let index = 0;
      while (index < waiting.length) {
        const step = waiting[index];
        if (!step) break;
        if (await this.tryCompleteStep(step, flags)) {
          if (step.pstep.blockers.length > 0) haveBlocker = true;
          index += 1;
        } else {
          waiting.splice(index, 1);
        }
      }
    } while (haveBlocker && (waiting.length < previousCount || this.anyNewNotice));
  }

  /** Waits for a step to finish or block; prints it; true when it has not completed (`try_complete_step`). */
  private async tryCompleteStep(running: RunningStep, flags: number): Promise<boolean> {
    const { pstep } = running;
    const session = pstep.step.session;
    const sessionName = this.sessionName(session);

    if (!(flags & RETRY) && pstep.blockers.some((blocker) => blocker.kind === 'once')) {
      this.emit({ kind: 'stepWaiting', step: pstep.name, sql: pstep.step.sql });
      return true;
    }

    const start = this.connections.elapsed();
    let canceled = false;
    for (;;) {
      this.printNoticesReadWhileBusy(session);
      if (await this.connections.isFinished(sessionName)) break;
      const dataArrived = await this.connections.pause(this.pollIntervalMs, sessionName);
      this.printNoticesReadWhileBusy(session);
      if (await this.connections.isFinished(sessionName)) break;
      if (dataArrived) continue;

      if (flags & NONBLOCK && (await this.connections.isBlocked(sessionName, this.sessionNames))) {
        this.printNoticesReadWhileBusy(session);
        if (await this.connections.isFinished(sessionName)) break;
        if (!(flags & RETRY)) this.emit({ kind: 'stepWaiting', step: pstep.name, sql: pstep.step.sql });
        return true;
      }

      const waited = this.connections.elapsed() - start;
      if (waited > this.maxStepWaitMs && !canceled) {
        await this.connections.cancel(sessionName);
        this.emit({ kind: 'stepCanceled', step: pstep.name, seconds: Math.floor(waited / 1000) });
        canceled = true;
      }
      if (waited > 2 * this.maxStepWaitMs) {
        this.abort(`step ${pstep.name} timed out after ${Math.floor(waited / 1000)} seconds\n`);
      }
    }

    if (this.stepHasBlocker(running)) {
      if (!(flags & RETRY)) this.emit({ kind: 'stepWaiting', step: pstep.name, sql: pstep.step.sql });
      return true;
    }

    this.printNoticesReadWhileBusy(session);
    this.emit({
      kind: 'stepCompleted',
      step: pstep.name,
      sql: pstep.step.sql,
      afterWait: (flags & RETRY) !== 0,
    });
    const output = await this.connections.takeOutput(sessionName);
    this.printOutcomes(pstep.name, session, output.outcomes);
    this.active[session] = null;
    return false;
  }

  private printOutcomes(step: string, session: number, outcomes: readonly StatementOutcome[]): void {
    outcomes.forEach((outcome, index) => {
      this.emit({ kind: 'stepOutcome', step, outcome });
      this.absorbNotices();
      this.printNotices(session, (notice) => printedBeforeResult(notice) <= index + 2);
    });
    this.printAllNotices(session);
  }

  private stepHasBlocker(running: RunningStep): boolean {
    return running.pstep.blockers.some((blocker) => {
      switch (blocker.kind) {
        case 'once':
          return false;
        case 'otherStep':
          return this.active[blocker.step.session]?.pstep.step === blocker.step;
        case 'notices':
          return (this.totalNotices[blocker.step.session] ?? 0) < (running.noticeTargets.get(blocker) ?? 0);
      }
    });
  }

  /**
   * The result PQexec returns for a setup or teardown block is that of its last statement: printed
   * when it has rows; a failure (or an empty block: PGRES_EMPTY_QUERY) is reported with libpq's
   * error message.
   */
  private reportBlockResult(output: StepOutput, onFailure: (message: string) => void): void {
    const last = output.outcomes[output.outcomes.length - 1];
    if (last === undefined) {
      onFailure('');
    } else if (last.kind === 'error') {
      onFailure(formatLibpqMessage(last.error, true));
    } else if (last.fields !== undefined) {
      this.emit({ kind: 'setupResult', outcome: last });
    }
  }

  private absorbNotices(): void {
    for (const notice of this.connections.takeNotices()) {
      const index = this.sessionNames.indexOf(notice.session);
      if (index >= 0) this.pendingNotices[index]?.push(notice);
    }
  }

  /** Notices libpq reads while the step is busy: those before its first result is complete. */
  private printNoticesReadWhileBusy(session: number): void {
    this.absorbNotices();
    this.printNotices(session, (notice) => printedBeforeResult(notice) <= 1);
  }

  private printAllNotices(session: number): void {
    this.absorbNotices();
    this.printNotices(session, () => true);
  }

  private printNotices(session: number, ready: (notice: NoticeEvent) => boolean): void {
    const pending = this.pendingNotices[session];
    if (!pending) return;
    while (pending.length > 0 && pending[0] && ready(pending[0])) {
      const notice = pending.shift();
      if (!notice) break;
      this.emit({ kind: 'notice', session: notice.session, notice: notice.notice });
      this.totalNotices[session] = (this.totalNotices[session] ?? 0) + 1;
      this.anyNewNotice = true;
    }
  }

  private sessionName(index: number): string {
    const name = this.sessionNames[index];
    if (name === undefined) throw new Error(`internal error: no session ${index}`);
    return name;
  }

  private diagnostic(text: string): void {
    this.emit({ kind: 'diagnostic', text });
  }

  private abort(text: string): never {
    this.diagnostic(text);
    const reason = text.trimEnd();
    const event: TranscriptEvent = { kind: 'aborted', reason };
    this.emit(event);
    throw new ScenarioAbortedError(reason);
  }
}
