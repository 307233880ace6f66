/**
 * The relation locks PostgreSQL takes when a query reads a system view: AccessShareLock on the view
 * itself and on the catalogs (and their indexes) the view joins. pg_stat_activity joins the shared
 * catalogs pg_database and pg_authid, so its readers hold those too — in pg_locks with database 0.
 * The relations are PGlite's own catalog relations, so `relation::regclass` names them.
 */
import type { EmulationContext } from './emulationContext';
import { LockMode } from '../locks/lockModes';
import type { LockTag } from '../locks/lockTag';
import type { SqlHost } from '../pglite/host';
import type { Session } from '../session/session';

/** Relations each emulated view locks, in the order PostgreSQL's planner opens them. */
const LOCKED_RELATIONS: Record<string, readonly string[]> = {
  pg_locks: ['pg_locks'],
  pg_stat_activity: [
    'pg_stat_activity',
    'pg_database',
    'pg_authid',
    'pg_database_datname_index',
    'pg_database_oid_index',
    'pg_authid_rolname_index',
    'pg_authid_oid_index',
  ],
  pg_prepared_statements: ['pg_prepared_statements'],
};

export interface CatalogRelation {
  oid: number;
  name: string;
  /** A shared catalog (pg_locks shows database 0). */
  shared: boolean;
}

const cache = new WeakMap<SqlHost, Map<string, CatalogRelation>>();

/** The catalog relations the emulated views lock, looked up once per PGlite. */
export function catalogRelations(host: SqlHost): Map<string, CatalogRelation> {
  let relations = cache.get(host);
  if (!relations) {
    const names = [...new Set(Object.values(LOCKED_RELATIONS).flat())];
    const rows = host.rows(
      `SELECT c.relname::text, c.oid::int8, c.relisshared FROM pg_catalog.pg_class c
        WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relname = ANY($1::text[])`,
      [`{${names.join(',')}}`],
    );
    relations = new Map(
      rows.map(([name, oid, shared]) => [
        String(name),
        { oid: Number(oid), name: String(name), shared: shared === 't' },
      ]),
    );
    cache.set(host, relations);
  }
  return relations;
}

/** OIDs of shared catalogs among them (pg_locks shows database 0 for these). */
export function sharedRelationOids(host: SqlHost): Set<number> {
  return new Set([...catalogRelations(host).values()].filter((r) => r.shared).map((r) => r.oid));
}

/**
 * Takes, for the session's current (sub)transaction, the AccessShareLocks that reading these views
 * takes. Nothing ever locks a system catalog more strongly in the playground, so they never wait.
 */
export function lockCatalogsFor(core: EmulationContext, session: Session, views: Iterable<string>): void {
  const owner = session.transaction?.currentLevel.owner;
  if (owner === undefined) return;
  const relations = catalogRelations(core.host);
  for (const view of views) {
    for (const name of LOCKED_RELATIONS[view] ?? []) {
      const relation = relations.get(name);
      if (!relation) continue;
      const tag: LockTag = { type: 'relation', relationOid: relation.oid, relationName: relation.name };
      core.locks.acquire(tag, session.pid, owner, LockMode.AccessShare, { noWait: true, now: core.now });
    }
  }
}
