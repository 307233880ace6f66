/**
 * Everything the page shows of the engine, read after every intent: the event log (fetched
 * incrementally), sessions, pg_locks, the virtual clock, tables, and the row versions of the table
 * the person watches. Times are virtual milliseconds since the last reset (`origin` is the engine's
 * clock at that reset).
 */
import type { EngineEvent, LockRow, RowVersionView, SessionView, TableView } from '../../engine/pgEmulator';
import type { EngineApi } from './engineApi';

export interface EngineSnapshot {
  /** The event log since the last reset, without the engine's helper sessions. */
  events: EngineEvent[];
  /** The sequence number of the last event read (helper sessions' events included). */
  lastSeq: number;
  /** Sessions on screen (the engine's own helper sessions are left out). */
  sessions: SessionView[];
  locks: LockRow[];
  now: number;
  nextTimerAt: number | null;
  tables: TableView[];
  /** Row versions of the watched table, while someone watches. */
  rowVersions: { table: string; versions: RowVersionView[] } | null;
}

export const emptySnapshot: EngineSnapshot = {
  events: [],
  lastSeq: 0,
  sessions: [],
  locks: [],
  now: 0,
  nextTimerAt: null,
  tables: [],
  rowVersions: null,
};

/** Which table's row versions to read: null while nobody looks; `table: null` for the first table. */
export type RowVersionWatch = { table: string | null } | null;

/** Reads the engine's state in one call; `previous.events` are kept and only newer events are fetched. */
export async function readSnapshot(
  engine: EngineApi,
  previous: EngineSnapshot,
  watch: RowVersionWatch,
  origin: number,
): Promise<EngineSnapshot> {
  const state = await engine.state({ afterSeq: previous.lastSeq, rowVersions: watch });
  const shown = state.events.map((event) => ({ ...event, time: event.time - origin }));
  return {
    events: shown.length > 0 ? [...previous.events, ...shown] : previous.events,
    lastSeq: state.lastSeq,
    sessions: state.sessions,
    locks: state.locks.map((lock) =>
      lock.waitStart === null ? lock : { ...lock, waitStart: lock.waitStart - origin },
    ),
    now: state.now - origin,
    nextTimerAt: state.nextTimerAt === null ? null : state.nextTimerAt - origin,
    tables: state.tables,
    rowVersions: state.rowVersions,
  };
}
