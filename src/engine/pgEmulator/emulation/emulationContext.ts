/**
 * What the emulated catalogs (pg_locks, pg_stat_activity, pg_prepared_statements…) need of the
 * engine: PGlite, the sessions, the lock manager and its fast-path bookkeeping, the catalog, the
 * event log and the clock.
 */
import type { Catalog } from '../catalog/catalog';
import type { EventLog } from '../events/eventLog';
import type { LockManager, Pid } from '../locks/lockManager';
import type { SqlHost } from '../pglite/host';
import type { Session } from '../session/session';
import type { XidStatus } from '../transam/xidStatus';
import type { FastPathTracker } from './fastPath';

export interface EmulationContext {
  readonly host: SqlHost;
  readonly now: number;
  readonly options: { readonly startTime: number };
  readonly sessions: ReadonlyMap<string, Session>;
  readonly byPid: ReadonlyMap<Pid, Session>;
  readonly locks: LockManager;
  readonly fastPath: FastPathTracker;
  readonly catalog: Catalog;
  /** User schemas that exist. */
  readonly schemas: ReadonlySet<string>;
  readonly events: EventLog;
  readonly xids: XidStatus;
}
