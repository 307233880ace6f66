/**
 * The interface between the scenario runner (PostgreSQL's isolation-tester semantics) and a database
 * that runs the scenario: the playground engine, or a real PostgreSQL server.
 *
 * The runner owns the isolation tester's logic (which step to launch, when to print `<waiting ...>`,
 * the order of completions, the `(*)` / `(other)` / `(other notices N)` markers, where notices go
 * between results). A backend only offers connections: launch SQL on a session, tell whether it has
 * finished, whether it is blocked by another session of the scenario, and let time pass.
 *
 * The runner never reads a clock of its own: time passes only through `pause`, and it measures
 * waits only with `elapsed`. A backend with virtual time (the engine) advances it in `pause`.
 */
import type { PgMessage, StatementOutcome } from '../pgEmulator';

export type BackendName = 'engine' | 'postgres';

/** What one SQL string sent with the simple-query protocol produced, in order. */
export interface StepOutput {
  /**
   * One entry per statement that ran; processing stops at the first error, as PostgreSQL does. An
   * SQL string that holds no statement at all (PostgreSQL's EmptyQueryResponse) gives no entry.
   */
  outcomes: StatementOutcome[];
}

/**
 * A NOTICE, WARNING, INFO… that a session's connection received, with where it arrived among the
 * messages of the SQL the session was running — libpq prints notices as it reads them, so the
 * isolation tester's output depends on it:
 *
 * - `afterOutcomes`: how many statements of that SQL had already completed (been reported as an
 *   outcome) when the notice arrived; 0 for a notice raised by the first statement.
 * - `afterRowDescription`: the statement that raised it had already sent its RowDescription (it
 *   returns rows and had started executing). Only matters when `afterOutcomes` > 0: libpq then holds
 *   the notice until the previous result has been read; otherwise prints it before.
 */
export interface NoticeEvent {
  /** The session whose connection received it. */
  session: string;
  notice: PgMessage;
  afterOutcomes: number;
  afterRowDescription: boolean;
}

/** What a backend is told about the spec it is about to run. */
export interface ScenarioInfo {
  /** The spec's name (file name without `.spec`); the tester sets `application_name` to `isolation/NAME/SESSION`. */
  name: string;
  /** Session names, in spec order. */
  sessions: readonly string[];
}

export interface ScenarioBackend {
  readonly name: BackendName;
  /**
   * Prepares a fresh, empty database and one connection per session plus a control connection, for
   * one spec. As in PostgreSQL's tester, the same connections serve every permutation of the spec
   * (session state such as `SET` survives from one permutation to the next).
   */
  connect(scenario: ScenarioInfo): Promise<ScenarioConnections>;
  /** Releases everything (servers stopped, temporary files removed). Safe to call twice. */
  shutdown(): Promise<void>;
}

export interface ScenarioConnections {
  /**
   * Runs SQL on the control connection to completion (spec `setup` / `teardown`). Notices of the
   * control connection are discarded (the tester hides them): never reported by `takeNotices`.
   */
  runControl(sql: string): Promise<StepOutput>;
  /** Runs SQL on a session to completion (session `setup` / `teardown`); its notices go to `takeNotices`. */
  runOnSession(session: string, sql: string): Promise<StepOutput>;
  /** Sends SQL on a session without waiting (a step). At most one step is in flight per session. */
  launch(session: string, sql: string): Promise<void>;
  /** True once everything the launched SQL produces has arrived (ReadyForQuery). */
  isFinished(session: string): Promise<boolean>;
  /**
   * `pg_isolation_test_session_is_blocked(pid_of(session), pids_of(others))`: the session waits
   * for a heavyweight lock held or awaited by one of `others` (advisory locks count, pg_sleep does not).
   * The runner passes every session of the scenario as `others`, the session itself included.
   */
  isBlocked(session: string, others: readonly string[]): Promise<boolean>;
  /** The output of the finished step; clears it. */
  takeOutput(session: string): Promise<StepOutput>;
  /**
   * Lets `milliseconds` pass on the backend's clock while the runner waits for `session`'s step —
   * one 10 ms poll of PostgreSQL's tester. A real server sleeps; the engine advances its virtual
   * clock (firing deadlock_timeout, statement_timeout, pg_sleep … that fall due).
   * Resolves `true` when it returned early because `session` received data (like `select()` in the
   * tester), `false` when the whole time passed. A virtual clock may always pass the whole time.
   */
  pause(milliseconds: number, session: string): Promise<boolean>;
  /** Milliseconds elapsed on this backend's clock (wall clock for a server, virtual for the engine). */
  elapsed(): number;
  /** Sends a query cancel for the session's in-flight step (PQcancel). */
  cancel(session: string): Promise<void>;
  /** Notices received by the sessions since the last call, in arrival order. */
  takeNotices(): NoticeEvent[];
  /** Closes the connections and drops what the scenario created (even with steps still running). */
  close(): Promise<void>;
}
