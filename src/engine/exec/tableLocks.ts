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
import { acquireLock } from './lockWait';

/** What the engine locks as a relation: a user table or a user view (by its identity OID). */
export type LockableRelation = Pick<TableInfo, 'oid' | 'name' | 'createdBy' | 'droppedBy'>;

export function relationTag(table: LockableRelation): LockTag {
  return { type: 'relation', relationOid: table.oid, relationName: table.name };
}

/**
 * Locks a user table. With `noWait`, a conflict raises `could not obtain lock on relation`.
 * After a wait, a table dropped meanwhile raises `relation … does not exist`.
 */
export function* lockTable(
  core: EngineCore,
  session: Session,
  table: LockableRelation,
  mode: LockMode,
  options: { noWait?: boolean; rangeVar?: RangeVar } = {},
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
}
