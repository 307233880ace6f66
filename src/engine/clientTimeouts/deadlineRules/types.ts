/** The vocabulary of the deadline rules: the situation they judge and the resolution they give. */
import type { DriverName } from '../drivers';
import type { GoError } from '../goErrors';
import type { DeadlinePhase, Moment } from '../phases';
import type { RuleId } from '../rules';
import type { PgxContextWatcher } from '../scenario';
import type { SourceLocation } from '../sources';
import type { ConnectionFate, TransactionFate } from '../timeline';

export interface DeadlineSituation {
  driver: DriverName;
  phase: DeadlinePhase;
  moment: Moment;
  inTransaction: boolean;
  /** The Go call in progress, or (idle / commit before-call) the next call the program makes. */
  call?: string;
  /** The statement in flight (query phase) or being read (rows, scan). */
  statement?: { sql: string; isWrite: boolean };
  /** acquire: waiting for a pooled connection, or dialing a new one. */
  acquire?: 'waiting' | 'dialing';
  /** query: the statement waits for a row lock on the server when the deadline fires. */
  blockedOnLock?: boolean;
  /** rows: the program is inside rows.Next() waiting for data (not working on a row). */
  programInNext?: boolean;
  pgxContextWatcher: PgxContextWatcher;
}

/** What the driver itself does when the ctx ends (the simulation times each of these). */
export type DriverReaction =
  /** pgx default handler: socket deadline now, the read fails, asyncClose: CancelRequest, then Terminate. */
  | 'pgconn-async-close'
  /** pgx opt-in CancelRequestContextWatcherHandler: CancelRequest; the server's 57014 comes back. */
  | 'pgconn-cancel-request'
  /** lib/pq watchCancel: CancelRequest on a new connection, the call returns when the server answers. */
  | 'pq-cancel-request'
  /** go-sql-driver/mysql: close the TCP socket. */
  | 'mysql-close-socket'
  /** mattn/go-sqlite3: sqlite3_interrupt. */
  | 'sqlite-interrupt'
  | 'none';

export type ErrorPlan =
  | { kind: 'error'; error: GoError; surfacedBy: string; when: ErrorTiming }
  | { kind: 'none'; note: string }
  | { kind: 'not-stated'; note: string };

export type ErrorTiming =
  /** The call in progress returns it when the driver gives up (see DriverReaction). */
  | 'driver-returns'
  /** rows.Next() returns false once the rows are closed; rows.Err() returns it. */
  | 'rows-closed'
  /** rows.Scan returns it (once the rows are closed). */
  | 'scan-call'
  /** tx.Commit returns it when called. */
  | 'commit-call'
  /** The program's next call returns it at once. */
  | 'next-call'
  /** pgxpool: after the rows already buffered are returned, rows.Next() is false, rows.Err() returns it. */
  | 'buffered-rows-exhausted';

export interface ModelledResolution {
  status: 'modelled';
  driverReaction: DriverReaction;
  /** database/sql's own watchers: Rows.awaitDone closes the rows, Tx.awaitDone rolls back. */
  databaseSql: { closesRows: boolean; rollsBackTransaction: boolean };
  error: ErrorPlan;
  server: string;
  connection: { fate: ConnectionFate; summary: string };
  transaction: { fate: TransactionFate; summary: string };
  /** Does the program go on after the deadline (a call that did not fail)? */
  programContinues: boolean;
  ruleIds: RuleId[];
}

export interface NotModelledResolution {
  status: 'not-modelled';
  reason: string;
  ruleIds: RuleId[];
  /** Sources the reference names for the situation even though it states no behaviour. */
  sources: SourceLocation[];
}

export type DeadlineResolution = ModelledResolution | NotModelledResolution;
