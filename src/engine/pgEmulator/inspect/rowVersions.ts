/**
 * The row-version inspector: every physical version of a table's rows, its header, its values,
 * which sessions' snapshots see it now, and which sessions hold a row lock on it.
 */
import type { RowVersionView } from '../api/views';
import type { TableInfo } from '../catalog/catalog';
import type { EngineCore } from '../core';
import { versionColumns } from '../storage/versionReads';
import { rowLockClause } from '../tuples/rowLockModes';
import { visibleInSnapshot } from '../rowlocks/snapshotVisibility';
import { xidOracle } from '../rowlocks/xidOracle';
import { displayXmax, isUpdateStatus, lockModeOfStatus, members } from '../tuples/xmax';
import type { Session } from '../session/session';
import { formatItemPointer } from '../tuples/tupleStore';
import { computeSnapshot } from '../xact/lifecycle';
import type { Snapshot } from '../transam/snapshot';

/** The snapshot a session's next statement would see (or its transaction snapshot, once taken). */
function currentSnapshot(core: EngineCore, session: Session): Snapshot {
  return session.transaction?.snapshot ?? computeSnapshot(core, session);
}

function sessionOfXid(core: EngineCore, xid: number): Session | undefined {
  for (const session of core.sessions.values()) if (session.transaction?.xids.includes(xid)) return session;
  return undefined;
}

export function rowVersions(core: EngineCore, table: TableInfo): RowVersionView[] {
  const headers = core.tuples.versionsOf(table.oid);
  if (headers.length === 0) return [];
  const values = versionColumns(
    core,
    table,
    table.columns.map((c) => c.name),
    headers.map((h) => h.tid),
  );
  const sessions = [...core.sessions.values()].filter((s) => !s.terminated);
  return headers.map((header) => {
    const visibleTo = sessions
      .filter((session) =>
        visibleInSnapshot(
          header,
          currentSnapshot(core, session),
          xidOracle(core, session),
          session.transaction?.commandId,
        ),
      )
      .map((s) => s.name);
    const lockedBy: RowVersionView['lockedBy'] = [];
    for (const member of members(header.xmax)) {
      if (isUpdateStatus(member.status) || core.xids.state(member.xid) !== 'in progress') continue;
      const holder = sessionOfXid(core, member.xid);
      if (holder)
        lockedBy.push({ session: holder.name, mode: rowLockClause(lockModeOfStatus(member.status)) });
    }
    return {
      ctid: formatItemPointer(header.ctid),
      xmin: header.xmin,
      xmax: displayXmax(header.xmax),
      values: values.get(header.tid) ?? [],
      visibleTo,
      lockedBy,
    };
  });
}
