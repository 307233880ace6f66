/**
 * Read-only views of engine state for clients (UI inspectors, tests, the scenario runner).
 */
import type { EngineEvent, LockModeName, LockTagView, TransactionStatus, WaitInfo } from './events';

/** PostgreSQL runs READ UNCOMMITTED as READ COMMITTED; SERIALIZABLE currently runs as REPEATABLE READ (no SSI yet). */
export type IsolationLevelName = 'read uncommitted' | 'read committed' | 'repeatable read' | 'serializable';

export interface SnapshotView {
  xmin: number;
  xmax: number;
  xip: number[];
}

export interface SessionView {
  name: string;
  /** A helper session (the engine's setup, a tool's checks), not one a person opened. */
  helper: boolean;
  /** Emulated backend pid (pg_backend_pid()). */
  pid: number;
  status: TransactionStatus;
  /** Isolation level of the current transaction, or the session default when idle. */
  isolation: IsolationLevelName;
  /** A submission is in progress (running or waiting). */
  busy: boolean;
  /** What the current statement waits for, if it waits. */
  waiting: WaitInfo | null;
  /** The text of the statement now running or waiting. */
  currentStatement: string | null;
  xid: number | null;
  vxid: string | null;
  /** The snapshot the session's next (REPEATABLE READ) or current statement uses. */
  snapshot: SnapshotView | null;
}

/** One row of the emulated pg_locks. */
export interface LockRow {
  session: string;
  pid: number;
  lock: LockTagView;
  mode: LockModeName;
  granted: boolean;
  /** Virtual milliseconds at which the wait began, for ungranted rows. */
  waitStart: number | null;
}

/** One physical version of a row in a user table, with its header and who can see it. */
export interface RowVersionView {
  ctid: string;
  xmin: number;
  xmax: number | null;
  /** The user columns, in PostgreSQL's text format. */
  values: (string | null)[];
  /** Sessions whose current snapshot sees this version. */
  visibleTo: string[];
  /** Sessions holding a row lock on this version, with the lock strength. */
  lockedBy: { session: string; mode: 'FOR KEY SHARE' | 'FOR SHARE' | 'FOR NO KEY UPDATE' | 'FOR UPDATE' }[];
}

/** A user table and its columns (schema-qualified outside `public`). */
export interface TableView {
  name: string;
  columns: string[];
}

/** What `Engine.state` reads, in one call. */
export interface EngineStateRequest {
  /** Events after this sequence number are returned. */
  afterSeq: number;
  /** The table whose row versions to read (`table: null`: the first table), or null for none. */
  rowVersions: { table: string | null } | null;
}

/** The engine's state as a page shows it; helper sessions and their events and locks left out. */
export interface EngineState {
  /** Events after the requested sequence number, without helper sessions' events. */
  events: EngineEvent[];
  /** The sequence number of the last event (helper sessions' events included). */
  lastSeq: number;
  sessions: SessionView[];
  locks: LockRow[];
  /** Virtual time, ms since the epoch. */
  now: number;
  nextTimerAt: number | null;
  tables: TableView[];
  rowVersions: { table: string; versions: RowVersionView[] } | null;
}
