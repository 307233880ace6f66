/**
 * The model's output: a timeline per goroutine and per connection, what reached the server and
 * when, and one verdict per goroutine whose deadline fired.
 */
import type { DriverName } from './drivers';
import type { GoError } from './goErrors';
import type { DeadlinePhase, Moment, Phase } from './phases';
import type { RuleId } from './rules';
import type { Scenario } from './scenario';
import type { SourceLocation } from './sources';

/** What a goroutine is doing during a span: a phase, or its own work between calls. */
export type SpanKind = Phase | 'work';

export interface PhaseSpan {
  kind: SpanKind;
  startMs: number;
  endMs: number;
  /** Index of the program step (0-based). */
  stepIndex: number;
  label: string;
  connectionId?: string;
}

/** One Go call and what it returned. */
export interface CallRecord {
  /** e.g. `db.ExecContext`, `tx.Commit`, `rows.Next`, `rows.Scan`, `rows.Err`. */
  call: string;
  stepIndex: number;
  startMs: number;
  endMs: number;
  /** Null when the call returned no error. */
  error: GoError | null;
  /** Extra facts: `false` from rows.Next, the LastInsertId result, a transparent retry. */
  note?: string;
}

export type GoroutineOutcome =
  /** The program ran to its end. */
  | 'completed'
  /** A call returned an error and the program returned it. */
  | 'returned-error'
  /** The model stopped: what happens next is not stated by the reference. */
  | 'not-modelled';

export interface GoroutineTimeline {
  id: string;
  deadlineMs: number | null;
  spans: PhaseSpan[];
  calls: CallRecord[];
  outcome: GoroutineOutcome;
  /** The error the program returned (outcome `returned-error`). */
  finalError: GoError | null;
  notModelledReason?: string;
  endMs: number;
}

export type ConnectionEventKind =
  | 'dialing'
  | 'opened'
  | 'checked-out'
  | 'returned-to-idle'
  | 'handed-to-waiter'
  /** The driver closed its socket; the pool does not know yet. */
  | 'closed-by-driver'
  /** The driver marked itself unusable (Validator.IsValid will say false). */
  | 'marked-invalid'
  /** database/sql closed it when it was released (bad or invalid connection). */
  | 'discarded'
  /** database/sql found it broken at checkout (ResetSession) and closed it; the call is retried. */
  | 'dropped-at-checkout'
  /** Closed because it outlived ConnMaxLifetime (at checkout or on return). */
  | 'closed-expired'
  /** Closed on return because the idle list already holds MaxIdleConns connections. */
  | 'closed-max-idle'
  /** pgxpool destroyed it; the pool's total drops. */
  | 'destroyed'
  | 'transaction-rolled-back';

export interface ConnectionEvent {
  atMs: number;
  kind: ConnectionEventKind;
  goroutine?: string;
  detail: string;
  ruleIds?: RuleId[];
}

export interface ConnectionTimeline {
  id: string;
  events: ConnectionEvent[];
}

export type ServerEffectKind =
  /** A new connection (a new backend / server session) is established. */
  | 'connect'
  /** A statement the client sent reaches the server (the program's, or database/sql's ROLLBACK). */
  | 'statement'
  /** PostgreSQL's CancelRequest for this connection's backend, sent on a new socket. */
  | 'cancel-request'
  /** The connection ends: Terminate then close (`graceful`) or just a closed TCP socket. */
  | 'disconnect'
  /** sqlite3_interrupt on the connection's database handle (in process). */
  | 'sqlite-interrupt';

/** Something that reaches the server, and the virtual time at which it arrives there. */
export interface ServerEffect {
  atMs: number;
  kind: ServerEffectKind;
  connectionId: string;
  goroutine: string;
  sql?: string;
  /** For `disconnect`: a Terminate (PostgreSQL) precedes the socket close. */
  graceful?: boolean;
  /**
   * For a statement sent over the network: when the server starts running it (after any row-lock
   * wait) and when it is done — unless a cancel or a disconnect stops it first.
   */
  execution?: { startsAtMs: number; doneAtMs: number };
  /** `program`: the program's own traffic; `deadline`: caused by the ctx deadline. */
  cause: 'program' | 'deadline';
  ruleIds: RuleId[];
}

export type ObservedError =
  | { kind: 'error'; error: GoError; surfacedBy: string; atMs: number }
  | { kind: 'none'; note: string }
  | { kind: 'not-stated'; note: string };

export type ConnectionFate =
  | 'not-acquired'
  | 'kept'
  | 'closed-dropped-at-next-checkout'
  | 'destroyed'
  | 'discarded'
  | 'held-by-transaction'
  | 'not-stated';

export type TransactionFate =
  | 'none'
  | 'statement-cancelled'
  | 'statement-keeps-running'
  | 'statement-interrupted'
  | 'rolled-back'
  | 'committed'
  | 'idle-in-transaction'
  | 'outcome-unknown'
  | 'race'
  | 'not-stated';

export interface DeadlineVerdict {
  goroutine: string;
  driver: DriverName;
  firedAtMs: number;
  phase: DeadlinePhase;
  moment: Moment;
  inTransaction: boolean;
  /** `not-modelled`: the reference does not describe this situation; see `notModelledReason`. */
  status: 'modelled' | 'not-modelled';
  notModelledReason?: string;
  /** The first error the program gets because of the deadline. */
  error: ObservedError;
  server: { summary: string; effects: ServerEffect[] };
  connection: { fate: ConnectionFate; summary: string; connectionId?: string };
  transaction: { fate: TransactionFate; summary: string };
  ruleIds: RuleId[];
  /** Every source behind the verdict (the rules' sources, and any the reference names for a gap). */
  sources: SourceLocation[];
}

export interface SimulationResult {
  scenario: Scenario;
  goroutines: GoroutineTimeline[];
  connections: ConnectionTimeline[];
  /** Everything that reached the server, in arrival order. */
  serverEffects: ServerEffect[];
  verdicts: DeadlineVerdict[];
  endMs: number;
}
