/**
 * The relation namespace of a schema: tables, views, sequences and indexes share it, as in
 * pg_class. The engine's keys are indexes PostgreSQL would have, so their names count too.
 */
import type { EngineCore } from '../../core';
import { releaseIndexName } from '../../emulation/indexRelations';

/**
 * Is `name` used by a relation of `schema` (a table, view, sequence, or a key's index)? A free name
 * is about to be taken: pg_locks' stand-in index of that name is let go (emulation/indexRelations).
 */
export function relationNameTaken(core: EngineCore, schema: string, name: string): boolean {
  for (const table of core.catalog.all()) {
    if (table.schema !== schema) continue;
    if ((table.storedAs ?? table.name) === name) return true;
    if (table.uniqueKeys.some((k) => k.name === name)) return true;
  }
  const [row] = core.host.rows(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, name],
  );
  if (row !== undefined) return true;
  releaseIndexName(core, schema, name);
  return false;
}
