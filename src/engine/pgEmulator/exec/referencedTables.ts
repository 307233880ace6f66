/**
 * Which user tables a statement reads, in the order PostgreSQL locks them: the relations it names,
 * in parse-analysis order (user views included), then what the views read (the rewriter's locks).
 */
import type { TableInfo, ViewInfo } from '../catalog/catalog';
import { relationDoesNotExist, resolveRelation } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { LockMode } from '../locks/lockModes';
import type { LockingClause, Node, RangeVar } from '../sql/ast';
import { asNode } from '../sql/ast';
import { relationReferences, walk } from '../sql/walk';
import { baseRangeVars, referenceName } from './queryBuilding';
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

/**
 * The relation references a locking clause covers (they get RowShareLock): for each SELECT with
 * FOR UPDATE / SHARE …, the FROM items it names with OF, or all of them without OF.
 */
export function lockedReferences(root: Node): Set<RangeVar> {
  const out = new Set<RangeVar>();
  walk(root, {
    enter(node, tag) {
      if (tag !== 'SelectStmt') return;
      const select = asNode(node, 'SelectStmt');
      const bases = baseRangeVars(select?.fromClause ?? []);
      for (const clauseNode of select?.lockingClause ?? []) {
        const clause = asNode(clauseNode, 'LockingClause') as LockingClause;
        const named = (clause.lockedRels ?? []).map((n) => asNode(n, 'RangeVar')?.relname);
        for (const base of bases)
          if (named.length === 0 || named.includes(referenceName(base))) out.add(base);
      }
    },
  });
  return out;
}

export interface RelationLock extends TableReference {
  mode: LockMode;
}

/**
 * The table locks parse analysis takes for what a statement reads, in order: each reference's own
 * mode (RowShareLock under a locking clause, AccessShareLock otherwise), each relation and mode
 * once, then the relations the views read. `target` (a write's target, locked on its own) is left
 * out; its other references are not.
 */
export function relationLocks(
  core: EngineCore,
  session: Session,
  node: Node,
  target?: RangeVar,
): RelationLock[] {
  const locked = lockedReferences(node);
  const seen = new Set<string>();
  const out: RelationLock[] = [];
  const views: { view: ViewInfo; rangeVar: RangeVar; mode: LockMode }[] = [];
  const add = (table: TableInfo | ViewInfo, rangeVar: RangeVar, mode: LockMode): boolean => {
    const key = `${table.oid}:${mode}`;
    if (seen.has(key)) return false;
    seen.add(key);
    out.push({ table, rangeVar, mode });
    return true;
  };
  for (const rangeVar of relationReferences(node)) {
    if (rangeVar === target) continue;
    const table = resolveRelation(core, session, rangeVar);
    if (table === 'invisible') throw relationDoesNotExist(rangeVar);
    const view = table ? undefined : resolveView(core, session, rangeVar);
    if (view === 'invisible') throw relationDoesNotExist(rangeVar);
    const found = table ?? view;
    if (!found) continue;
    const mode = locked.has(rangeVar) ? LockMode.RowShare : LockMode.AccessShare;
    if (add(found, rangeVar, mode) && view) views.push({ view, rangeVar, mode });
  }
  for (let i = 0; i < views.length; i++) {
    const { view, rangeVar, mode } = views[i] as (typeof views)[number];
    for (const oid of view.dependsOn) {
      const read = core.catalog.get(oid) ?? core.catalog.views.get(oid);
      if (read && add(read, rangeVar, mode) && !('heapSchema' in read))
        views.push({ view: read, rangeVar, mode });
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
