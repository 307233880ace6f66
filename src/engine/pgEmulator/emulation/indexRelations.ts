/**
 * Index locks as pg_locks shows them. PostgreSQL's planner opens every index of a table a statement
 * scans with the statement's lock on the table (AccessShare for SELECT, RowShare for FOR UPDATE and
 * foreign-key checks, RowExclusive for UPDATE, DELETE and INSERT … ON CONFLICT; a plain INSERT and
 * LOCK TABLE lock no index), so pg_locks lists `t_pkey` next to `t`.
 *
 * The engine's user tables are views with no indexes, so each index is stood in for by an empty
 * index of the same name on a holder table in PGlite's temporary schema: that schema is searched
 * first, so `relation::regclass` prints the bare name and `'t_pkey'::regclass` finds it, as on a
 * real server. A stand-in is made the first time its index is locked and kept afterwards; it is
 * dropped when a learner's relation takes its name (the key's table is gone), so that it never
 * shadows a learner's relation. A name both a key of one schema and a relation of another use at
 * once cannot be told apart this way: refused with 0A000.
 */
import type { TableInfo } from '../catalog/catalog';
import { unsupported } from '../errors';
import type { EmulationContext } from './emulationContext';
import { LockMode } from '../locks/lockModes';
import type { LockTag } from '../locks/lockTag';
import type { SqlHost } from '../pglite/host';
import { quoteIdent } from '../pglite/host';

const HOLDER = '_playground_index_names';

/** Table lock modes that statements pass on to the table's indexes. */
const INDEX_LOCK_MODES: ReadonlySet<LockMode> = new Set([
  LockMode.AccessShare,
  LockMode.RowShare,
  LockMode.RowExclusive,
]);

/** Stand-in OIDs by index name, per PGlite. */
const standIns = new WeakMap<SqlHost, Map<string, number>>();

/** A text[] literal of the names. */
function textArray(names: readonly string[]): string {
  return `{${names.map((name) => `"${name.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

function sharedNameUnsupported(name: string): Error {
  return unsupported(`an index and another relation both named "${name}" (in different schemas)`);
}

function standInOids(
  host: SqlHost,
  names: readonly string[],
  userSchemas: readonly string[],
): Map<string, number> {
  let known = standIns.get(host);
  if (!known) {
    known = new Map();
    standIns.set(host, known);
  }
  const missing = names.filter((name) => !known.has(name));
  if (missing.length > 0) {
    const [clash] = host.rows(
      `SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname = ANY($1::text[]) AND n.nspname = ANY($2::text[]) LIMIT 1`,
      [textArray(missing), textArray(userSchemas)],
    );
    if (clash) throw sharedNameUnsupported(String(clash[0]));
    host.script(
      [
        `CREATE TEMP TABLE IF NOT EXISTS ${HOLDER} (k int)`,
        ...missing.map((name) => `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON pg_temp.${HOLDER} (k)`),
      ].join(';\n'),
    );
    const rows = host.rows(
      `SELECT c.relname::text, c.oid::int8 FROM pg_catalog.pg_class c
        WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname = ANY($1::text[])`,
      [textArray(missing)],
    );
    for (const [name, oid] of rows) known.set(String(name), Number(oid));
  }
  return known;
}

/**
 * The index locks that go with a statement's lock on a table (none for modes statements do not
 * pass on): one relation tag per index of the table (primary key, unique constraints and indexes).
 */
export function indexLockTags(
  core: EmulationContext,
  table: TableInfo,
  mode: LockMode,
): Extract<LockTag, { type: 'relation' }>[] {
  if (!INDEX_LOCK_MODES.has(mode) || table.uniqueKeys.length === 0) return [];
  const names = table.uniqueKeys.map((key) => key.name);
  const oids = standInOids(core.host, names, [...core.schemas]);
  return names.flatMap((name) => {
    const oid = oids.get(name);
    return oid === undefined ? [] : [{ type: 'relation', relationOid: oid, relationName: name } as const];
  });
}

/**
 * A learner's relation is about to take `name` in `schema`: the index stand-in of that name, left
 * by a key whose table is gone, is dropped (it would shadow the relation: pg_temp is searched
 * first). Locks still held on it show its OID, as PostgreSQL shows a dropped index's.
 */
export function releaseIndexName(core: EmulationContext, schema: string, name: string): void {
  const known = standIns.get(core.host);
  if (!known?.has(name)) return;
  const keyed = core.catalog
    .all()
    .some((t) => t.schema !== schema && t.uniqueKeys.some((k) => k.name === name));
  if (keyed) throw sharedNameUnsupported(name);
  core.host.script(`DROP INDEX IF EXISTS pg_temp.${quoteIdent(name)}`);
  known.delete(name);
}
