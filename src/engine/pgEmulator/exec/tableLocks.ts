/**
 * Table-level locks taken by statements on user tables, and the re-check PostgreSQL does after
 * waiting (the table may have been dropped meanwhile).
 */
import type { TableInfo } from '../catalog/catalog';
import { objectVisibleTo, relationDoesNotExist } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { PgError } from '../errors';
import type { LockMode } from '../locks/lockModes';
import type { LockTag } from '../locks/lockTag';
import type { RangeVar } from '../sql/ast';
import type { Session, Task } from '../session/session';
import { indexLockTags } from '../emulation/indexRelations';
import { acquireLock, currentOwner } from '../waits/lockWait';

/** What the engine locks as a relation: a user table or a user view (by its identity OID). */
export type LockableRelation = Pick<TableInfo, 'oid' | 'name' | 'createdBy' | 'droppedBy'>;

export function relationTag(table: LockableRelation): LockTag {
  return { type: 'relation', relationOid: table.oid, relationName: table.name };
}

/**
 * Locks a user table. With `noWait`, a conflict raises `could not obtain lock on relation`.
 * After a wait, a table dropped meanwhile raises `relation … does not exist`. A statement's
 * AccessShare, RowShare or RowExclusive lock also locks the table's indexes, as PostgreSQL's planner
 * does (`indexes: false` for a plain INSERT's target and LOCK TABLE, which lock no index).
 */
export function* lockTable(
  core: EngineCore,
  session: Session,
  table: LockableRelation,
  mode: LockMode,
  options: { noWait?: boolean; rangeVar?: RangeVar; indexes?: boolean } = {},
): Task<void> {
  const result = yield* acquireLock(core, session, relationTag(table), mode, {
    noWait: options.noWait ?? false,
  });
  if (result === 'unavailable') {
    const shown = options.rangeVar?.schemaname ? `${options.rangeVar.schemaname}.${table.name}` : table.name;
    throw PgError.of('55P03', `could not obtain lock on relation "${shown}"`);
  }
  const current = core.catalog.get(table.oid) ?? core.catalog.views.get(table.oid);
  if (!current || !objectVisibleTo(core, session, current)) {
    throw relationDoesNotExist(
      options.rangeVar ?? ({ relname: table.name, schemaname: undefined, location: -1 } as RangeVar),
    );
  }
  const indexed = options.indexes === false ? undefined : core.catalog.get(table.oid);
  // Only DDL on the table locks its indexes more strongly, and it holds a conflicting table lock.
  for (const tag of indexed ? indexLockTags(core, indexed, mode) : []) {
    const index = core.locks.acquire(tag, session.pid, currentOwner(session), mode, {
      noWait: true,
      now: core.now,
    });
    if (index.status !== 'granted') throw new Error(`index lock on ${tag.relationName} not granted`);
  }
}
