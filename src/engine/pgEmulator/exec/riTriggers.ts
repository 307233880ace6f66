/**
 * The foreign-key triggers PostgreSQL queues for each row a statement changes and fires when the
 * statement ends (AfterTriggerEndQuery), in its order: for each changed row, first the triggers of
 * the constraints that reference its table (NO ACTION / RESTRICT checks, or the CASCADE, SET NULL,
 * SET DEFAULT actions), then those of its own foreign keys (the referenced row must exist).
 *
 * A referenced-side trigger fires only when the old key had no NULL and, for an update, changed
 * (RI_FKey_pk_upd_check_required); a referencing-side one for an insert, or an update that changed
 * the key or of a row its own transaction inserted (RI_FKey_fk_upd_check_required), when the new
 * key has no NULL.
 */
import type { TableInfo } from '../catalog/catalog';
import type { EngineCore } from '../core';
import type { ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import { versionColumns } from '../storage/versionReads';
import { requireTransaction } from '../xact/lifecycle';
import { checkNotReferenced, checkReferencedRow, commandCounterIncrement } from './foreignKeys';
import type { ModifyOptions } from './modifyTarget';
import { runReferentialAction } from './referentialActions';

/** A row the statement inserted (old null), updated (both) or deleted (new null). */
export interface RowChange {
  oldTid: number | null;
  newTid: number | null;
}

/** Runs an engine-built UPDATE or DELETE (a referential action) with its own snapshots. */
export type WriteRunner = (statement: ParsedStatement, options: ModifyOptions) => Task<void>;

function sameValues(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** Fires the foreign-key triggers of `changes` to `table`, row by row. */
export function* fireForeignKeyTriggers(
  core: EngineCore,
  session: Session,
  table: TableInfo,
  changes: readonly RowChange[],
  runWrite: WriteRunner,
): Task<void> {
  const referencing = core.catalog.referencing(table.oid);
  if (changes.length === 0 || (referencing.length === 0 && table.foreignKeys.length === 0)) return;
  commandCounterIncrement(session);
  const own = new Set(requireTransaction(session).ownXids());
  for (const { oldTid, newTid } of changes) {
    if (oldTid !== null) {
      for (const { table: child, key } of referencing) {
        const oldValues = versionColumns(core, table, key.referencedColumns, [oldTid]).get(oldTid) ?? [];
        if (oldValues.length === 0 || oldValues.some((v) => v === null)) continue;
        let newValues: (string | null)[] | null = null;
        if (newTid !== null) {
          newValues = versionColumns(core, table, key.referencedColumns, [newTid]).get(newTid) ?? [];
          if (sameValues(oldValues, newValues)) continue;
        }
        const action = newTid === null ? key.onDelete : key.onUpdate;
        if (action === 'no action' || action === 'restrict') {
          yield* checkNotReferenced(core, session, table, child, key, oldValues, action);
        } else {
          yield* runReferentialAction(
            core,
            session,
            table,
            child,
            key,
            action,
            oldValues,
            newValues,
            runWrite,
          );
        }
      }
    }
    if (newTid === null) continue;
    for (const key of table.foreignKeys) {
      if (oldTid !== null && !own.has(core.tuples.get(oldTid)?.xmin ?? -1)) {
        const before = versionColumns(core, table, key.columns, [oldTid]).get(oldTid) ?? [];
        const after = versionColumns(core, table, key.columns, [newTid]).get(newTid) ?? [];
        if (sameValues(before, after)) continue;
      }
      yield* checkReferencedRow(core, session, table, key, newTid);
    }
  }
}
