/**
 * WITH on INSERT, UPDATE and DELETE: the engine builds its own queries from such a statement's
 * parts (the rows to modify, the new versions, RETURNING), so the statement's CTEs are inlined as
 * subqueries where they are read. This is what PostgreSQL itself does with a CTE that is read
 * once, is not RECURSIVE and does not write (subquery_planner's inline_cte); a CTE read more than
 * once is evaluated once by PostgreSQL, which gives the same rows as inlining unless it calls
 * functions (random(), nextval() …): that case, RECURSIVE, and writes in WITH fail with 0A000.
 */
import { unsupported } from '../errors';
import type { CommonTableExpr, Node, RangeVar } from '../sql/ast';
import { asNode, makeNode, tagOf } from '../sql/ast';
import { walk } from '../sql/walk';

/** Statements that write: in a WITH list they make a data-modifying CTE. */
export const WRITING_STATEMENTS: ReadonlySet<string> = new Set([
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
]);

type Ctes = ReadonlyMap<string, CommonTableExpr>;

function isNode(value: unknown): value is Node {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && /^[A-Z]/.test(keys[0] as string);
}

/** The CTE as a subquery in FROM, under the name (and column names) the reference gives it. */
function asSubquery(rangeVar: RangeVar, name: string, cte: CommonTableExpr): Node {
  const colnames = rangeVar.alias?.colnames ?? cte.aliascolnames;
  return makeNode('RangeSubselect', {
    subquery: cte.ctequery,
    alias: { aliasname: rangeVar.alias?.aliasname ?? name, ...(colnames ? { colnames } : {}) },
  });
}

/** Replaces references to `ctes` under `value`; an inner WITH hides the names it defines again. */
function inline(value: unknown, ctes: Ctes): unknown {
  if (Array.isArray(value)) return value.map((item) => inline(item, ctes));
  if (typeof value !== 'object' || value === null) return value;
  if (isNode(value)) {
    const tag = tagOf(value);
    const rangeVar = asNode(value, 'RangeVar');
    const cte = rangeVar && !rangeVar.schemaname ? ctes.get(rangeVar.relname ?? '') : undefined;
    if (rangeVar && cte) return asSubquery(rangeVar, rangeVar.relname ?? '', cte);
    const payload = (value as unknown as Record<string, Record<string, unknown>>)[tag] ?? {};
    const inner = (payload['withClause'] as { ctes?: Node[] } | undefined)?.ctes ?? [];
    let visible = ctes;
    if (inner.length > 0) {
      const hidden = new Map(ctes);
      for (const node of inner) hidden.delete(asNode(node, 'CommonTableExpr')?.ctename ?? '');
      visible = hidden;
    }
    return { [tag]: inline(payload, visible) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = inline(child, ctes);
  return out;
}

function references(root: Node, name: string): number {
  let count = 0;
  walk(root, {
    enter(node, tag) {
      const rangeVar = tag === 'RangeVar' ? asNode(node, 'RangeVar') : undefined;
      if (rangeVar && !rangeVar.schemaname && rangeVar.relname === name) count++;
    },
  });
  return count;
}

function callsFunctions(node: Node | undefined): boolean {
  let calls = false;
  if (node)
    walk(node, {
      enter(_node, tag) {
        if (tag === 'FuncCall') calls = true;
      },
    });
  return calls;
}

/**
 * The INSERT, UPDATE or DELETE with its WITH list inlined (the statement itself when it has none).
 * The target relation is never a CTE: it keeps its name.
 */
export function inlineCtes(statement: Node): Node {
  const tag = tagOf(statement);
  const payload = (statement as unknown as Record<string, Record<string, unknown>>)[tag] ?? {};
  const withClause = payload['withClause'] as { ctes?: Node[]; recursive?: boolean } | undefined;
  if (!withClause) return statement;
  if (withClause.recursive) throw unsupported(`WITH RECURSIVE on ${tag.replace(/Stmt$/, '').toUpperCase()}`);
  const { withClause: _with, relation, ...rest } = payload;
  const body = makeNode('SelectStmt', rest as never);
  const entries = (withClause.ctes ?? []).flatMap((node) => {
    const cte = asNode(node, 'CommonTableExpr');
    return cte?.ctequery ? [{ name: cte.ctename ?? '', cte, query: cte.ctequery }] : [];
  });
  // How often each CTE's query would run once inlined: read by the body, or by later CTEs.
  const runs = new Map<string, number>();
  for (let i = entries.length - 1; i >= 0; i--) {
    const { name, query } = entries[i] as (typeof entries)[number];
    if (WRITING_STATEMENTS.has(tagOf(query))) {
      throw unsupported('data-modifying statements in WITH on INSERT, UPDATE or DELETE');
    }
    const later = entries.slice(i + 1);
    const count =
      references(body, name) +
      later.reduce((sum, e) => sum + references(e.query, name) * (runs.get(e.name) ?? 0), 0);
    if (count > 1 && (asNode(query, 'SelectStmt')?.lockingClause ?? []).length > 0) {
      throw unsupported(
        `a CTE with a locking clause (FOR UPDATE …) read more than once by INSERT, UPDATE or DELETE ("${name}")`,
      );
    }
    if (count > 1 && callsFunctions(query)) {
      throw unsupported(
        `a CTE that calls functions and is read more than once by INSERT, UPDATE or DELETE ("${name}")`,
      );
    }
    runs.set(name, count);
  }
  const ctes = new Map<string, CommonTableExpr>();
  for (const { name, cte, query } of entries) {
    // A CTE may read the CTEs before it.
    ctes.set(name, { ...cte, ctequery: inline(query, new Map(ctes)) as Node });
  }
  const inlined = inline(rest, ctes) as Record<string, unknown>;
  return { [tag]: { ...(relation === undefined ? {} : { relation }), ...inlined } } as unknown as Node;
}
