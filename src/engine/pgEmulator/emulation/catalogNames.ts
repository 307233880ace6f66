/**
 * Which of PostgreSQL's system views and server-state functions the engine answers itself, and how
 * a learner's reference to one is pointed at its `_emul` stand-in (see emulation/catalogSql.ts).
 */
import type { JoinExpr, Node, RangeVar } from '../sql/ast';
import { asNode, makeNode } from '../sql/ast';

/** System views the engine fills from its own state before a statement that reads them. */
export const EMULATED_RELATIONS = new Set(['pg_locks', 'pg_stat_activity', 'pg_prepared_statements']);

/** Functions answered from the engine's lock manager. */
export const LOCK_STATUS_FUNCTIONS = new Set(['pg_blocking_pids', 'pg_isolation_test_session_is_blocked']);

/** Everything a statement may call or read that needs the engine's state written first. */
export const CATALOG_STATE_NAMES = new Set([...EMULATED_RELATIONS, ...LOCK_STATUS_FUNCTIONS]);

/** Does the statement (by the names it uses) need the engine's catalog state written before it runs? */
export function needsCatalogState(calls: ReadonlySet<string> | undefined): boolean {
  if (!calls) return false;
  for (const name of calls) if (CATALOG_STATE_NAMES.has(name)) return true;
  return false;
}

/**
 * The emulated system view a RangeVar names (`pg_locks` or `pg_catalog.pg_locks`), or null. An
 * unqualified name that a CTE of the statement defines is the CTE, not the view.
 */
export function emulatedRelationName(rangeVar: RangeVar, cteNames: ReadonlySet<string>): string | null {
  const name = rangeVar.relname ?? '';
  if (!EMULATED_RELATIONS.has(name)) return null;
  if (rangeVar.catalogname) return null;
  if (rangeVar.schemaname === undefined || rangeVar.schemaname === '') {
    return cteNames.has(name) ? null : name;
  }
  return rangeVar.schemaname === 'pg_catalog' ? name : null;
}

/** `_emul.<name> AS <alias or name>`: the stand-in, still referred to by the name the learner used. */
export function emulatedRelationRange(rangeVar: RangeVar, name: string): Node {
  const replacement: RangeVar = {
    schemaname: '_emul',
    relname: name,
    inh: true,
    relpersistence: 'p',
    alias: rangeVar.alias ?? { aliasname: name },
  };
  if (rangeVar.location !== undefined) replacement.location = rangeVar.location;
  return makeNode('RangeVar', replacement);
}

function cteNames(root: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(root)) {
    for (const item of root) cteNames(item, out);
  } else if (typeof root === 'object' && root !== null) {
    const cte = asNode(root as Node, 'CommonTableExpr');
    if (cte?.ctename) out.add(cte.ctename);
    for (const child of Object.values(root)) cteNames(child, out);
  }
  return out;
}

/**
 * Points the statement's FROM items (and UPDATE … FROM / DELETE … USING items) that name an emulated
 * system view at its stand-in; other references to the names (a LOCK or INSERT target) are left
 * for the executor to refuse. Returns the new tree and the views it reads.
 */
export function replaceEmulatedRelations(root: Node): { node: Node; names: Set<string> } {
  const ctes = cteNames(root, new Set());
  const names = new Set<string>();
  const fromItem = (item: unknown): unknown => {
    const rangeVar = asNode(item as Node, 'RangeVar');
    if (rangeVar) {
      const name = emulatedRelationName(rangeVar, ctes);
      if (!name) return item;
      names.add(name);
      return emulatedRelationRange(rangeVar, name);
    }
    const join = asNode(item as Node, 'JoinExpr');
    if (join) {
      return makeNode('JoinExpr', {
        ...(visit(join) as JoinExpr),
        larg: fromItem(join.larg) as Node,
        rarg: fromItem(join.rarg) as Node,
      });
    }
    return visit(item);
  };
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] =
        (key === 'fromClause' || key === 'usingClause') && Array.isArray(child)
          ? child.map(fromItem)
          : visit(child);
    }
    return out;
  };
  const node = visit(root) as Node;
  return { node: names.size > 0 ? node : root, names };
}
