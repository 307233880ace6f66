/**
 * Everything the page shows of the engine, read after every intent: the event log (fetched
 * incrementally), sessions, pg_locks, the virtual clock, tables, and the row versions of the table
 * the person watches. Times are virtual milliseconds since the last reset (`origin` is the engine's
 * clock at that reset).
 */
import type { EngineEvent } from '../../engine/pgEmulator/api/events';
import type { LockRow, RowVersionView, SessionView } from '../../engine/pgEmulator/api/views';
import type { EngineApi } from './engineApi';

export interface TableView {
  name: string;
  columns: string[];
}

export interface EngineSnapshot {
  /** The event log since the last reset, without the engine's helper sessions. */
  events: EngineEvent[];
  /** The sequence number of the last event read (helper sessions' events included). */
  lastSeq: number;
  /** Sessions on screen (the engine's own helper sessions, named with a leading space, are left out). */
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

const isHelperSession = (name: string) => name.startsWith(' ');

const isHelperEvent = (event: EngineEvent) => 'session' in event && isHelperSession(event.session);

/** Reads the engine's state; `previous.events` are kept and only newer events are fetched. */
export async function readSnapshot(
  engine: EngineApi,
  previous: EngineSnapshot,
  watch: RowVersionWatch,
  origin: number,
): Promise<EngineSnapshot> {
  const [newEvents, sessions, locks, now, nextTimerAt, tables] = await Promise.all([
    engine.events(previous.lastSeq),
    engine.sessions(),
    engine.locks(),
    engine.now(),
    engine.nextTimerAt(),
    engine.tables(),
  ]);
  const table = watch && (tables.find((candidate) => candidate.name === watch.table) ?? tables[0]);
  const rowVersions = table ? { table: table.name, versions: await engine.rowVersions(table.name) } : null;
  const shown = newEvents
    .filter((event) => !isHelperEvent(event))
    .map((event) => ({ ...event, time: event.time - origin }));
  return {
    events: shown.length > 0 ? [...previous.events, ...shown] : previous.events,
    lastSeq: newEvents.at(-1)?.seq ?? previous.lastSeq,
    sessions: sessions.filter((session) => !isHelperSession(session.name)),
    locks: locks
      .filter((lock) => !isHelperSession(lock.session))
      .map((lock) => (lock.waitStart === null ? lock : { ...lock, waitStart: lock.waitStart - origin })),
    now: now - origin,
    nextTimerAt: nextTimerAt === null ? null : nextTimerAt - origin,
    tables,
    rowVersions,
  };
}
