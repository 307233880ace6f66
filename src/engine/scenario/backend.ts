/**
 * The interface between the scenario runner (PostgreSQL's isolation-tester semantics) and a database
 * that runs the scenario: the playground engine, or a real PostgreSQL server.
 *
 * The runner owns the isolation tester's logic (which step to launch, when to print `<waiting ...>`,
 * the order of completions, the `(*)` / `(other)` / `(other notices N)` markers). A backend only
 * offers connections: launch SQL on a session, tell whether it has finished, whether it is blocked
 * by another session of the scenario, and let time pass.
 */
import type { PgMessage, StatementOutcome } from '../api/results';

export type BackendName = 'engine' | 'postgres';

/** What one SQL string sent with the simple-query protocol produced, in order. */
export interface StepOutput {
  /** One entry per statement that ran; processing stops at the first error, as PostgreSQL does. */
  outcomes: StatementOutcome[];
}

export interface NoticeEvent {
  /** The session whose connection received it. */
  session: string;
  notice: PgMessage;
}

export interface ScenarioBackend {
  readonly name: BackendName;
  /**
   * Prepares a fresh, empty database and one connection per session plus a control connection.
   * Called once per permutation (PostgreSQL's tester reuses connections across permutations; the
   * runner calls `reset` between permutations instead, see below).
   */
  connect(sessionNames: readonly string[]): Promise<ScenarioConnections>;
  /** Releases everything (servers stopped, temporary files removed). Safe to call twice. */
  shutdown(): Promise<void>;
}

export interface ScenarioConnections {
  /** Runs SQL on the control connection to completion (spec `setup` / `teardown`). */
  runControl(sql: string): Promise<StepOutput>;
  /** Runs SQL on a session to completion (session `setup` / `teardown`). */
  runOnSession(session: string, sql: string): Promise<StepOutput>;
  /** Sends SQL on a session without waiting (a step). At most one step is in flight per session. */
  launch(session: string, sql: string): Promise<void>;
  /** True once everything the launched SQL produces has arrived. */
  isFinished(session: string): Promise<boolean>;
  /**
   * `pg_isolation_test_session_is_blocked(pid_of(session), pids_of(others))`: the session waits
   * for a heavyweight lock held or awaited by one of `others` (advisory locks count, pg_sleep does not).
   */
  isBlocked(session: string, others: readonly string[]): Promise<boolean>;
  /** The output of the finished step; clears it. */
  takeOutput(session: string): Promise<StepOutput>;
  /**
   * Lets time pass while the runner waits, like one 10 ms poll of PostgreSQL's tester. A real
   * server sleeps; the engine advances its virtual clock.
   */
  pause(milliseconds: number): Promise<void>;
  /** Milliseconds elapsed on this backend's clock (wall clock for a server, virtual for the engine). */
  elapsed(): number;
  /** Sends a query cancel for the session's in-flight step (PQcancel). */
  cancel(session: string): Promise<void>;
  /** Notices received since the last call, in arrival order. */
  takeNotices(): NoticeEvent[];
  /** Closes the connections and drops what the scenario created. */
  close(): Promise<void>;
}
