/**
 * Which user tables a statement reads, in the order PostgreSQL locks them: the relations it names,
 * in parse-analysis order (user views included), then what the views read (the rewriter's locks).
 */
import type { TableInfo, ViewInfo } from '../catalog/catalog';
import { relationDoesNotExist, resolveRelation } from '../catalog/resolve';
import type { EngineCore } from '../core';
import type { Node, RangeVar } from '../sql/ast';
import { relationReferences } from '../sql/walk';
import { resolveView } from './ddl/viewCatalog';
import type { Session } from '../session/session';

export interface TableReference {
  table: TableInfo | ViewInfo;
  rangeVar: RangeVar;
}

/** User tables referenced anywhere under `node` (outside CTE names), first occurrence first. */
export function referencedTables(core: EngineCore, session: Session, node: Node): TableReference[] {
  const seen = new Set<number>();
  const out: TableReference[] = [];
  const views: { view: ViewInfo; rangeVar: RangeVar }[] = [];
  for (const rangeVar of relationReferences(node)) {
    const table = resolveRelation(core, session, rangeVar);
    if (table === 'invisible') throw relationDoesNotExist(rangeVar);
    const view = table ? undefined : resolveView(core, session, rangeVar);
    if (view === 'invisible') throw relationDoesNotExist(rangeVar);
    const found = table ?? view;
    if (!found || seen.has(found.oid)) continue;
    seen.add(found.oid);
    out.push({ table: found, rangeVar });
    if (view) views.push({ view, rangeVar });
  }
  // The rewriter expands each view and locks what its query reads.
  for (let i = 0; i < views.length; i++) {
    const { view, rangeVar } = views[i] as { view: ViewInfo; rangeVar: RangeVar };
    for (const oid of view.dependsOn) {
      const read = core.catalog.get(oid) ?? core.catalog.views.get(oid);
      if (!read || seen.has(oid)) continue;
      seen.add(oid);
      out.push({ table: read, rangeVar });
      if (!('heapSchema' in read)) views.push({ view: read, rangeVar });
    }
  }
  return out;
}

/** Names of PostgreSQL's internal schemas of the playground that learners' SQL may not name. */
const INTERNAL_NAME = /(^|[^a-z0-9_$])"?_(heap_[a-z0-9_$]*|engine|sys|emul)"?(?=$|[^a-z0-9_$])/i;

/** Refuses SQL that names the engine's internal schemas (hidden heaps, context, emulation). */
export function mentionsInternals(sql: string): boolean {
  return INTERNAL_NAME.test(sql);
}
