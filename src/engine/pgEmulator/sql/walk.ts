/**
 * Generic traversal of PostgreSQL parse trees, with CTE-name scoping.
 */
import { asNode, tagOf, type Node, type RangeVar } from './ast';

export interface Visitor {
  /** Called for every node; return false to skip its children. */
  enter?(node: Node, tag: string, scope: ReadonlySet<string>): boolean | void;
}

function isNode(value: unknown): value is Node {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && /^[A-Z]/.test(keys[0] as string);
}

function cteNames(withClause: unknown): string[] {
  const ctes = (withClause as { ctes?: Node[] } | undefined)?.ctes ?? [];
  return ctes.map((c) => asNode(c, 'CommonTableExpr')?.ctename ?? '').filter((n) => n !== '');
}

/** Visits every node under `root`; `scope` holds the CTE names visible at each node. */
export function walk(root: Node, visitor: Visitor, scope: ReadonlySet<string> = new Set()): void {
  const visitValue = (value: unknown, currentScope: ReadonlySet<string>): void => {
    if (Array.isArray(value)) {
      for (const item of value) visitValue(item, currentScope);
    } else if (isNode(value)) {
      visitNode(value, currentScope);
    } else if (typeof value === 'object' && value !== null) {
      for (const child of Object.values(value)) visitValue(child, currentScope);
    }
  };
  const visitNode = (node: Node, currentScope: ReadonlySet<string>): void => {
    const tag = tagOf(node);
    if (visitor.enter?.(node, tag, currentScope) === false) return;
    const payload = (node as Record<string, unknown>)[tag] as Record<string, unknown>;
    let inner = currentScope;
    const names = cteNames(payload?.['withClause']);
    if (names.length > 0) inner = new Set([...currentScope, ...names]);
    visitValue(payload, inner);
  };
  visitNode(root, scope);
}

/** Every RangeVar under `root` that does not name a CTE in scope. */
export function relationReferences(root: Node): RangeVar[] {
  const out: RangeVar[] = [];
  walk(root, {
    enter(node, tag, scope) {
      if (tag !== 'RangeVar') return;
      const rangeVar = asNode(node, 'RangeVar') as RangeVar;
      if (!rangeVar.schemaname && scope.has(rangeVar.relname ?? '')) return;
      out.push(rangeVar);
    },
  });
  return out;
}
