/**
 * A chainable driver for the engine, for tests and lessons:
 *
 *     driver.session('A').run('BEGIN').run('UPDATE t SET v = 1 WHERE id = 1')
 *       .session('B').run('UPDATE t SET v = 2 WHERE id = 1').expectWaiting('B', { on: 'A' })
 *       .session('A').run('COMMIT').expectOk('B', { tag: 'UPDATE 1' });
 *
 * Expectations throw a descriptive Error when they do not hold.
 */
import {
  type WaitInfo,
  type PgMessage,
  type StatementOutcome,
  type StatementSuccess,
  type IsolationLevelName,
  Engine,
  type EngineOptions,
} from '../pgEmulator';

export class DriverExpectationError extends Error {}

export interface ExpectedOk {
  tag?: string;
  rows?: (string | null)[][];
  columns?: string[];
}

export interface ExpectedError {
  sqlstate?: string;
  message?: string;
  detail?: string;
  hint?: string;
  context?: string;
}

function describeOutcome(outcome: StatementOutcome | undefined): string {
  if (!outcome) return 'no outcome';
  if (outcome.kind === 'error') return `ERROR ${outcome.error.sqlstate}: ${outcome.error.message}`;
  return `${outcome.tag}${outcome.rows ? ` ${JSON.stringify(outcome.rows)}` : ''}`;
}

export class SessionDriver {
  private current: string | null = null;
  /** The latest submission of each session. */
  private readonly lastSubmission = new Map<string, number>();

  private constructor(readonly engine: Engine) {}

  static async create(options: EngineOptions = {}): Promise<SessionDriver> {
    return new SessionDriver(await Engine.create(options));
  }

  /** Drives an existing engine. */
  static on(engine: Engine): SessionDriver {
    return new SessionDriver(engine);
  }

  /** Runs setup SQL on a session of its own (see Engine.runSetup); throws if a statement failed. */
  setup(sql: string): this {
    for (const outcome of this.engine.runSetup(sql)) {
      if (outcome.kind === 'error')
        throw new DriverExpectationError(`setup failed: ${outcome.error.message}`);
    }
    return this;
  }

  /** Makes `name` the current session, opening it first if needed. */
  session(name: string, options: { isolation?: IsolationLevelName } = {}): this {
    if (!this.engine.sessions().some((s) => s.name === name)) this.engine.openSession(name, options);
    this.current = name;
    return this;
  }

  private currentSession(): string {
    if (this.current === null)
      throw new DriverExpectationError('no current session: call session(name) first');
    return this.current;
  }

  /** Sends SQL on the current session (it may finish, or wait). */
  run(sql: string): this {
    const name = this.currentSession();
    this.lastSubmission.set(name, this.engine.submit(name, sql));
    return this;
  }

  advance(milliseconds: number): this {
    this.engine.advanceTime(milliseconds);
    return this;
  }

  cancel(session: string): this {
    this.engine.cancel(session);
    return this;
  }

  /** Outcomes of the session's latest submission, in statement order. */
  outcomes(session: string): StatementOutcome[] {
    const submission = this.lastSubmission.get(session);
    return this.engine
      .events()
      .flatMap((e) =>
        e.type === 'statementFinished' && e.session === session && e.submission === submission
          ? [e.outcome]
          : [],
      );
  }

  /** The outcome of the session's latest statement. */
  lastOutcome(session: string): StatementOutcome | undefined {
    const outcomes = this.outcomes(session);
    return outcomes[outcomes.length - 1];
  }

  /** Notices the session received during its latest submission. */
  notices(session: string): PgMessage[] {
    const submission = this.lastSubmission.get(session);
    return this.engine
      .events()
      .flatMap((e) =>
        e.type === 'notice' && e.session === session && e.submission === submission ? [e.notice] : [],
      );
  }

  expectWaiting(
    session: string,
    expected: { on?: string | string[]; lock?: WaitInfo['lock']['locktype'] } = {},
  ): this {
    const view = this.engine.session(session);
    if (!view.waiting) {
      throw new DriverExpectationError(
        `${session} is not waiting (last outcome: ${describeOutcome(this.lastOutcome(session))})`,
      );
    }
    const on = expected.on === undefined ? [] : Array.isArray(expected.on) ? expected.on : [expected.on];
    for (const blocker of on) {
      if (!view.waiting.blockedBy.includes(blocker)) {
        throw new DriverExpectationError(
          `${session} waits for ${view.waiting.description}, blocked by ${view.waiting.blockedBy.join(', ')}, not by ${blocker}`,
        );
      }
    }
    if (expected.lock && view.waiting.lock.locktype !== expected.lock) {
      throw new DriverExpectationError(
        `${session} waits on a ${view.waiting.lock.locktype} lock, not ${expected.lock}`,
      );
    }
    return this;
  }

  /** The session's latest submission has finished (not waiting, not sleeping). */
  expectFinished(session: string): this {
    if (this.engine.isBusy(session)) throw new DriverExpectationError(`${session} is still busy`);
    return this;
  }

  expectOk(session: string, expected: ExpectedOk = {}): this {
    this.expectFinished(session);
    const outcome = this.lastOutcome(session);
    if (outcome?.kind !== 'ok')
      throw new DriverExpectationError(`${session}: expected success, got ${describeOutcome(outcome)}`);
    this.compareOk(session, outcome, expected);
    return this;
  }

  private compareOk(session: string, outcome: StatementSuccess, expected: ExpectedOk): void {
    if (expected.tag !== undefined && outcome.tag !== expected.tag) {
      throw new DriverExpectationError(`${session}: expected tag ${expected.tag}, got ${outcome.tag}`);
    }
    if (expected.rows !== undefined && JSON.stringify(outcome.rows ?? []) !== JSON.stringify(expected.rows)) {
      throw new DriverExpectationError(
        `${session}: expected rows ${JSON.stringify(expected.rows)}, got ${JSON.stringify(outcome.rows ?? [])}`,
      );
    }
    const columns = outcome.fields?.map((f) => f.name);
    if (expected.columns !== undefined && JSON.stringify(columns) !== JSON.stringify(expected.columns)) {
      throw new DriverExpectationError(
        `${session}: expected columns ${JSON.stringify(expected.columns)}, got ${JSON.stringify(columns)}`,
      );
    }
  }

  expectRows(session: string, rows: (string | null)[][]): this {
    return this.expectOk(session, { rows });
  }

  expectError(session: string, expected: ExpectedError = {}): this {
    this.expectFinished(session);
    const outcome = this.lastOutcome(session);
    if (outcome?.kind !== 'error')
      throw new DriverExpectationError(`${session}: expected an error, got ${describeOutcome(outcome)}`);
    for (const key of ['sqlstate', 'message', 'detail', 'hint', 'context'] as const) {
      const want = expected[key];
      const got = key === 'sqlstate' ? outcome.error.sqlstate : outcome.error[key];
      if (want !== undefined && got !== want) {
        throw new DriverExpectationError(
          `${session}: expected error ${key} ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
        );
      }
    }
    return this;
  }

  expectNotice(session: string, message: string): this {
    if (!this.notices(session).some((n) => n.message === message)) {
      throw new DriverExpectationError(
        `${session}: no notice "${message}" (got ${JSON.stringify(this.notices(session).map((n) => n.message))})`,
      );
    }
    return this;
  }

  /** Closes every session and empties the database. */
  reset(): this {
    this.engine.reset();
    this.lastSubmission.clear();
    this.current = null;
    return this;
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
