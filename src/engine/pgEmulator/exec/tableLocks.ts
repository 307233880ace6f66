/**
 * Table-level locks taken by statements on user tables, and the re-check PostgreSQL does after
 * waiting (the table may have been dropped meanwhile).
 */
import type { TableInfo } from '../catalog/catalog';
import { objectVisibleTo, relationDoesNotExist, resolveRelation } from '../catalog/resolve';
import { resolveView } from './ddl/viewCatalog';
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
 * Locks a write's target table and returns it: after a wait the name may stand for a table
 * created meanwhile (see lockTable); one that is a view now cannot be written.
 */
export function* lockTargetTable(
  core: EngineCore,
  session: Session,
  table: TableInfo,
  mode: LockMode,
  options: { rangeVar: RangeVar; indexes?: boolean },
): Task<TableInfo> {
  const locked = yield* lockTable(core, session, table, mode, options);
  if (locked.oid === table.oid) return table;
  const now = core.catalog.get(locked.oid);
  if (!now) throw PgError.of('42809', `cannot change relation "${locked.name}"`);
  return now;
}

/** What the name resolves to now: a table, a view, or nothing. */
function resolveName(core: EngineCore, session: Session, rangeVar: RangeVar): LockableRelation | null {
  const table = resolveRelation(core, session, rangeVar);
  if (table && table !== 'invisible') return table;
  const view = resolveView(core, session, rangeVar);
  return view && view !== 'invisible' ? view : null;
}

/**
 * Locks a user table (or view) and returns what was locked. With `noWait`, a conflict raises
 * `could not obtain lock on relation`. After a wait, a relation dropped meanwhile is looked up again
 * by the statement's name, as RangeVarGetRelidExtended does: a relation created under that name
 * meanwhile is locked instead (`DROP TABLE t; CREATE TABLE t …` in another transaction: the waiting
 * statement reads the new table), and none raises `relation … does not exist`. A statement's
 * AccessShare, RowShare or RowExclusive lock also locks the table's indexes, as PostgreSQL's planner
 * does (`indexes: false` for a plain INSERT's target and LOCK TABLE, which lock no index).
 */
export function* lockTable(
  core: EngineCore,
  session: Session,
  relation: LockableRelation,
  mode: LockMode,
  options: { noWait?: boolean; rangeVar?: RangeVar; indexes?: boolean } = {},
): Task<LockableRelation> {
  let table = relation;
  for (;;) {
    const result = yield* acquireLock(core, session, relationTag(table), mode, {
      noWait: options.noWait ?? false,
    });
    if (result === 'unavailable') {
      const shown = options.rangeVar?.schemaname
        ? `${options.rangeVar.schemaname}.${table.name}`
        : table.name;
      throw PgError.of('55P03', `could not obtain lock on relation "${shown}"`);
    }
    const current = core.catalog.get(table.oid) ?? core.catalog.views.get(table.oid);
    if (current && objectVisibleTo(core, session, current)) break;
    const renamed = options.rangeVar ? resolveName(core, session, options.rangeVar) : null;
    if (!renamed || renamed.oid === table.oid) {
      throw relationDoesNotExist(
        options.rangeVar ?? ({ relname: table.name, schemaname: undefined, location: -1 } as RangeVar),
      );
    }
    core.locks.release(relationTag(table), session.pid, currentOwner(session), mode);
    table = renamed;
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
  return table;
}
