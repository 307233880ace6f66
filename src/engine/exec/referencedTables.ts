/**
 * Which user tables a statement reads, in the order PostgreSQL's parse analysis locks them.
 */
import type { TableInfo } from '../catalog/catalog';
import { relationDoesNotExist, resolveRelation } from '../catalog/resolve';
import type { EngineCore } from '../core';
import type { Node, RangeVar } from '../sql/ast';
import { relationReferences } from '../sql/walk';
import type { Session } from '../session/session';

export interface TableReference {
  table: TableInfo;
  rangeVar: RangeVar;
}

/** User tables referenced anywhere under `node` (outside CTE names), first occurrence first. */
export function referencedTables(core: EngineCore, session: Session, node: Node): TableReference[] {
  const seen = new Set<number>();
  const out: TableReference[] = [];
  for (const rangeVar of relationReferences(node)) {
    const table = resolveRelation(core, session, rangeVar);
    if (table === 'invisible') throw relationDoesNotExist(rangeVar);
    if (!table || seen.has(table.oid)) continue;
    seen.add(table.oid);
    out.push({ table, rangeVar });
  }
  return out;
}

/** Names of PostgreSQL's internal schemas of the playground that learners' SQL may not name. */
const INTERNAL_NAME = /(^|[^a-z0-9_$])"?_(heap_[a-z0-9_$]*|engine|sys|emul)"?(?=$|[^a-z0-9_$])/i;

/** Refuses SQL that names the engine's internal schemas (hidden heaps, context, emulation). */
export function mentionsInternals(sql: string): boolean {
  return INTERNAL_NAME.test(sql);
}
