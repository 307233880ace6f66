/**
 * pg_locks (pg_lock_status()) from the engine's lock manager: for each process on each lock, one
 * row per held mode (granted, ascending mode), then its awaited mode (not granted, with waitstart);
 * and pg_blocking_pids for every waiting process. Columns are filled per lock type as lockfuncs.c
 * does.
 */
import type { EmulationContext } from './emulationContext';
import { timestampText } from '../time/timestamps';
import type { LockObject, Pid } from '../locks/lockManager';
import { lockModeName, type LockMode } from '../locks/lockModes';
import { DATABASE_OID, type LockTag } from '../locks/lockTag';
import { sharedRelationOids } from './catalogLocks';
import { FAST_PATH_CERTAIN } from './fastPath';
import { unsupported } from '../errors';

/** One pg_locks row, keyed by column name; values as JSON the view's record types read. */
export interface LockStatusRow {
  locktype: string;
  database: number | null;
  relation: number | null;
  page: number | null;
  tuple: number | null;
  virtualxid: string | null;
  transactionid: number | null;
  classid: number | null;
  objid: number | null;
  objsubid: number | null;
  virtualtransaction: string;
  pid: number;
  mode: string;
  granted: boolean;
  fastpath: boolean;
  waitstart: string | null;
}

type TagColumns = Pick<
  LockStatusRow,
  | 'locktype'
  | 'database'
  | 'relation'
  | 'page'
  | 'tuple'
  | 'virtualxid'
  | 'transactionid'
  | 'classid'
  | 'objid'
  | 'objsubid'
>;

const EMPTY: Omit<TagColumns, 'locktype'> = {
  database: null,
  relation: null,
  page: null,
  tuple: null,
  virtualxid: null,
  transactionid: null,
  classid: null,
  objid: null,
  objsubid: null,
};

/**
 * The OID `relation::regclass` names: a table or view keeps its first OID as its lock identity
 * after ALTER TABLE re-created its view in PGlite, under a new OID.
 */
function shownRelationOid(core: EmulationContext, oid: number): number {
  return core.catalog.get(oid)?.viewOid ?? core.catalog.views.get(oid)?.viewOid ?? oid;
}

function tagColumns(core: EmulationContext, tag: LockTag, shared: ReadonlySet<number>): TagColumns {
  switch (tag.type) {
    case 'relation':
      return {
        ...EMPTY,
        locktype: 'relation',
        database: shared.has(tag.relationOid) ? 0 : DATABASE_OID,
        relation: shownRelationOid(core, tag.relationOid),
      };
    case 'tuple':
      return {
        ...EMPTY,
        locktype: 'tuple',
        database: DATABASE_OID,
        relation: shownRelationOid(core, tag.relationOid),
        page: tag.page,
        tuple: tag.offset,
      };
    case 'transactionid':
      return { ...EMPTY, locktype: 'transactionid', transactionid: tag.xid };
    case 'virtualxid':
      return { ...EMPTY, locktype: 'virtualxid', virtualxid: tag.vxid };
    case 'advisory':
      return {
        ...EMPTY,
        locktype: 'advisory',
        database: DATABASE_OID,
        classid: tag.key1,
        objid: tag.key2,
        objsubid: tag.objsubid,
      };
    case 'object':
      return {
        ...EMPTY,
        locktype: 'object',
        database: DATABASE_OID,
        classid: tag.classOid,
        objid: tag.objectOid,
        objsubid: 0,
      };
  }
}

/** The process's current virtual transaction id, `backend/local` (local 0 between transactions). */
export function virtualTransaction(core: EmulationContext, pid: Pid): string {
  const session = core.byPid.get(pid);
  if (!session) return '-1/0';
  return session.transaction?.vxid ?? `${session.backendId}/0`;
}

/** Every pg_locks row, in the lock manager's order. */
export function lockStatusRows(core: EmulationContext): LockStatusRow[] {
  const shared = sharedRelationOids(core.host);
  const rows: LockStatusRow[] = [];
  const add = (
    lock: LockObject,
    pid: Pid,
    mode: LockMode,
    granted: boolean,
    waitStart: number | null,
  ): void => {
    if (core.fastPath.uncertain(pid)) {
      throw unsupported(
        `pg_locks while a session holds weak locks on more than ${FAST_PATH_CERTAIN} relations (session ${core.byPid.get(pid)?.name ?? pid})`,
        'Which of them PostgreSQL keeps on the fast path depends on their OIDs; pg_locks can be read again once that transaction ends.',
      );
    }
    rows.push({
      ...tagColumns(core, lock.tag, shared),
      virtualtransaction: virtualTransaction(core, pid),
      pid,
      mode: lockModeName(mode),
      granted,
      fastpath: granted && core.fastPath.fastPath(pid, lock.tag, mode),
      waitstart: waitStart === null ? null : timestampText(waitStart),
    });
  };
  for (const lock of core.locks.allLocks()) {
    for (const pid of lock.procLocks) {
      if (!core.byPid.has(pid)) continue;
      for (const mode of core.locks.heldModes(lock, pid)) add(lock, pid, mode, true, null);
      const waiter = lock.queue.find((w) => w.pid === pid);
      if (waiter) add(lock, pid, waiter.mode, false, waiter.waitStart);
    }
  }
  return rows;
}

/** pg_blocking_pids of every process that waits on a heavyweight lock (others have none). */
export function blockingPidsByPid(core: EmulationContext): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const pid of core.byPid.keys()) {
    const blockers = core.locks.blockingPids(pid);
    if (blockers.length > 0) out[String(pid)] = blockers;
  }
  return out;
}
