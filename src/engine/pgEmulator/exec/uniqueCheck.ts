/**
 * Unique keys (primary keys and UNIQUE constraints) checked like nbtree's _bt_check_unique: another
 * version with the same key that a dirty snapshot sees is a conflict; if its inserter or deleter is
 * still running, wait for it and check again; otherwise 23505.
 */
import type { TableInfo, UniqueKey } from '../catalog/catalog';
import type { EngineCore } from '../core';
import { sameKeyVersions, versionColumns } from '../storage/versionReads';
import { PgError } from '../errors';
import { quoteIdent } from '../pglite/host';
import { xactLockTableWait } from '../rowlocks/xactWait';
import { xidOracle } from '../rowlocks/xidOracle';
import { isLockOnly, updateXid, type XidOracle } from '../tuples/xmax';
import type { Session, Task } from '../session/session';
import { formatItemPointer, type TupleHeader } from '../tuples/tupleStore';
import type { Xid } from '../transam/xidStatus';

/** HeapTupleSatisfiesDirty for uniqueness: visible, and whom to wait for if it is in flux. */
export function dirtyState(
  header: TupleHeader,
  oracle: XidOracle,
): { visible: boolean; waitFor: Xid | null } {
  if (oracle.aborted(header.xmin) && !oracle.isOwn(header.xmin)) return { visible: false, waitFor: null };
  const updater = isLockOnly(header.xmax) ? null : updateXid(header.xmax);
  const deletedBy = updater === null || oracle.aborted(updater) ? null : updater;
  if (oracle.isOwn(header.xmin)) {
    return { visible: deletedBy === null || !oracle.isOwn(deletedBy), waitFor: null };
  }
  if (oracle.inProgress(header.xmin)) return { visible: true, waitFor: header.xmin };
  if (deletedBy === null) return { visible: true, waitFor: null };
  if (oracle.isOwn(deletedBy) || oracle.committed(deletedBy)) return { visible: false, waitFor: null };
  return { visible: true, waitFor: deletedBy };
}

function duplicateKeyError(core: EngineCore, table: TableInfo, key: UniqueKey, tid: number): PgError {
  const columns = key.columns.map(quoteIdent);
  const values = versionColumns(core, table, key.columns, [tid]).get(tid);
  const shown = (values ?? []).map((v) => v ?? 'null').join(', ');
  return PgError.of('23505', `duplicate key value violates unique constraint "${key.name}"`, {
    detail: `Key (${columns.join(', ')})=(${shown}) already exists.`,
  });
}

/**
 * Checks new versions (in order) against every other version of their keys. `ignore` holds versions
 * of the same statement not yet "inserted" from PostgreSQL's point of view (later rows).
 */
export function* checkUniqueKeys(
  core: EngineCore,
  session: Session,
  table: TableInfo,
  tids: readonly number[],
  keys: readonly UniqueKey[] = table.uniqueKeys,
): Task<void> {
  if (keys.length === 0 || tids.length === 0) return;
  const oracle = xidOracle(core, session);
  let candidates = sameKeyVersions(core, table, keys, tids);
  const position = new Map(tids.map((tid, i) => [tid, i]));
  for (let i = 0; i < tids.length; i++) {
    const tid = tids[i] as number;
    if (![...keys.keys()].some((k) => candidates.has(`${tid}:${k}`))) continue;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as UniqueKey;
      for (;;) {
        let waitFor: Xid | null = null;
        let conflict = false;
        for (const other of candidates.get(`${tid}:${k}`) ?? []) {
          if ((position.get(other) ?? -1) > i) continue;
          const header = core.tuples.get(other);
          if (!header) continue;
          const state = dirtyState(header, oracle);
          if (!state.visible) continue;
          if (state.waitFor !== null) {
            waitFor = state.waitFor;
            break;
          }
          conflict = true;
        }
        if (waitFor !== null) {
          const own = core.tuples.get(tid);
          const context = `while inserting index tuple ${own ? formatItemPointer(own.ctid) : '(0,0)'} in relation "${key.name}"`;
          yield* xactLockTableWait(core, session, waitFor, context);
          candidates = sameKeyVersions(core, table, keys, tids);
          continue;
        }
        if (conflict) throw duplicateKeyError(core, table, key, tid);
        break;
      }
    }
  }
}
