/**
 * Resolving a relation name to a user table as the session sees it: through its search_path, and
 * hiding tables another session created but has not committed (PostgreSQL's catalog snapshots do).
 */
import type { CatalogContext } from './catalogContext';
import { PgError } from '../errors';
import type { RangeVar } from '../sql/ast';
import type { Session } from '../session/session';
import type { Xid } from '../transam/xidStatus';
import type { TableInfo } from './catalog';

/** The schemas the session's search_path names, in order (`$user` is the `postgres` role). */
export function searchPathSchemas(session: Session): string[] {
  const raw = session.settings.get('search_path') ?? '"$user", public';
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) =>
      part.startsWith('"') && part.endsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase(),
    )
    .map((part) => (part === '$user' ? 'postgres' : part));
}

/** The schema a CREATE without a schema name goes to: the first existing schema on the path. */
export function creationSchema(core: CatalogContext, session: Session): string {
  for (const schema of searchPathSchemas(session)) if (core.schemas.has(schema)) return schema;
  throw PgError.of('3F000', 'no schema has been selected to create in');
}

/** Something DDL creates and drops transactionally: a table, a view, a sequence, a schema. */
export interface CatalogObject {
  createdBy: Xid | null;
  droppedBy: Xid | null;
}

/** Is this object visible to the session (created by a committed transaction, or by its own)? */
export function objectVisibleTo(core: CatalogContext, session: Session, object: CatalogObject): boolean {
  const own = new Set(session.transaction?.ownXids() ?? []);
  if (
    object.createdBy !== null &&
    !own.has(object.createdBy) &&
    core.xids.state(object.createdBy) !== 'committed'
  ) {
    return false;
  }
  if (object.droppedBy !== null && own.has(object.droppedBy)) return false;
  return true;
}

/** Is this table visible to the session (created by a committed transaction, or by its own)? */
export function tableVisibleTo(core: CatalogContext, session: Session, table: TableInfo): boolean {
  return objectVisibleTo(core, session, table);
}

/** The user table a RangeVar names for this session, or undefined (not a user table, or not visible). */
export function resolveTable(
  core: CatalogContext,
  session: Session,
  rangeVar: RangeVar,
): TableInfo | undefined {
  const found = resolveRelation(core, session, rangeVar);
  return found && found !== 'invisible' ? found : undefined;
}

/**
 * Like resolveTable, but says 'invisible' when the name is a user table this session must not see
 * (created by another session's open transaction, or dropped by its own): PostgreSQL would say the
 * relation does not exist, while PGlite would still find it.
 */
export function resolveRelation(
  core: CatalogContext,
  session: Session,
  rangeVar: RangeVar,
): TableInfo | 'invisible' | undefined {
  const name = rangeVar.relname ?? '';
  const schemas = rangeVar.schemaname ? [rangeVar.schemaname] : searchPathSchemas(session);
  let hidden = false;
  for (const schema of schemas) {
    for (const table of core.catalog.findAll(schema, name)) {
      if (tableVisibleTo(core, session, table)) return table;
      hidden = true;
    }
    if (hidden) break;
  }
  return hidden ? 'invisible' : undefined;
}

/** PostgreSQL's 42P01 error for a relation name, with the position of the name in the statement. */
export function relationDoesNotExist(rangeVar: RangeVar): PgError {
  const shown = rangeVar.schemaname ? `${rangeVar.schemaname}.${rangeVar.relname}` : (rangeVar.relname ?? '');
  const extra =
    rangeVar.location !== undefined && rangeVar.location >= 0 ? { position: rangeVar.location + 1 } : {};
  return PgError.of('42P01', `relation "${shown}" does not exist`, extra);
}

/** Does the schema exist for this session (committed, or created by its own transaction, and not dropped by it)? */
export function schemaExistsFor(core: CatalogContext, session: Session, name: string): boolean {
  if (!core.schemas.has(name)) return false;
  const pending = core.catalog.pendingSchemas.get(name);
  return pending === undefined || objectVisibleTo(core, session, pending);
}
