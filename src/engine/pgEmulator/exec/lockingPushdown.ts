/**
 * Could PostgreSQL's planner push a condition of a query level into one of its FROM items (a
 * derived table, or a CTE it inlines)? It pushes a restriction — a conjunct of WHERE or of a join's
 * ON that refers to that item and no other — and what equalities imply: `s.id = t.id AND t.id = 3`
 * gives `s.id = 3`. A locking sub-select reached by such a condition locks only the rows that pass
 * it, so the engine cannot settle it by running it on its own.
 */
import type { ColumnRef, Node } from '../sql/ast';
import { asNode, tagOf } from '../sql/ast';
import { walk } from '../sql/walk';

/** A SelectStmt, UpdateStmt or DeleteStmt: a level with FROM items and a WHERE clause. */
export type PushdownLevel = Node;

/** Which FROM item each name of the level belongs to: the source, another item, or unknown. */
export interface LevelColumns {
  /** Columns of the source (the locking sub-select). */
  source: ReadonlySet<string>;
  /** Columns of the level's other FROM items, by item name. */
  others: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Items that are not plain tables (derived tables, functions): the planner may pull them up and
   * find their columns constant, so an equality with one of their columns counts as a constant.
   */
  opaque: ReadonlySet<string>;
}

function conjuncts(node: Node | undefined): Node[] {
  if (!node) return [];
  const bool = asNode(node, 'BoolExpr');
  if (bool?.boolop === 'AND_EXPR') return (bool.args ?? []).flatMap((arg) => conjuncts(arg));
  return [node];
}

function joinQuals(items: readonly Node[]): Node[] {
  const out: Node[] = [];
  const visit = (item: Node): void => {
    const join = asNode(item, 'JoinExpr');
    if (!join) return;
    out.push(...conjuncts(join.quals));
    if (join.larg) visit(join.larg);
    if (join.rarg) visit(join.rarg);
  };
  for (const item of items) visit(item);
  return out;
}

function hasSubLink(node: Node): boolean {
  let found = false;
  walk(node, {
    enter(_child, tag) {
      if (tag === 'SubLink') found = true;
      return !found;
    },
  });
  return found;
}

/** The item a column reference belongs to: the source name, another item's name, or null if unknown. */
function ownerOf(ref: ColumnRef, sourceName: string, columns: LevelColumns): string | null {
  const fields = (ref.fields ?? []).map((f) => asNode(f, 'String')?.sval ?? null);
  if (fields.length >= 2) return fields[fields.length - 2] ?? null;
  const name = fields[0];
  if (name === null || name === undefined) return null;
  const owners = [...columns.others].filter(([, set]) => set.has(name)).map(([item]) => item);
  if (columns.source.has(name)) owners.push(sourceName);
  return owners.length === 1 ? (owners[0] as string) : null;
}

function columnRefs(node: Node): ColumnRef[] {
  const out: ColumnRef[] = [];
  walk(node, {
    enter(child, tag) {
      if (tag === 'ColumnRef') out.push(asNode(child, 'ColumnRef') as ColumnRef);
    },
  });
  return out;
}

function key(ref: ColumnRef, owner: string): string {
  const fields = (ref.fields ?? []).map((f) => asNode(f, 'String')?.sval ?? '*');
  return `${owner}.${fields[fields.length - 1] ?? ''}`;
}

/** True when a condition of `level` could be pushed into its FROM item `sourceName`. */
export function pushdownReaches(level: PushdownLevel, sourceName: string, columns: LevelColumns): boolean {
  const payload = (level as unknown as Record<string, Record<string, unknown>>)[tagOf(level)] ?? {};
  const items = [
    ...((payload['fromClause'] as Node[] | undefined) ?? []),
    ...((payload['usingClause'] as Node[] | undefined) ?? []),
  ];
  const quals = [...conjuncts(payload['whereClause'] as Node | undefined), ...joinQuals(items)].filter(
    (qual) => !hasSubLink(qual),
  );
  // Union-find over columns that equalities join; a class with a constant pins every column in it.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  const seen = new Set<string>();
  const union = (a: string, b: string): void => {
    seen.add(a).add(b);
    parent.set(find(a), find(b));
  };
  const CONSTANT = '#constant';
  for (const qual of quals) {
    const refs = columnRefs(qual);
    if (refs.length === 0) continue;
    const owners = refs.map((ref) => ownerOf(ref, sourceName, columns));
    // Unknown owners: the condition may be the source's alone.
    if (owners.every((owner) => owner === sourceName || owner === null) && owners.includes(sourceName))
      return true;
    if (owners.every((owner) => owner === null)) return true;
    const expr = asNode(qual, 'A_Expr');
    const isEquality = expr?.kind === 'AEXPR_OP' && asNode(expr.name?.[0], 'String')?.sval === '=';
    if (!isEquality || !expr?.lexpr || !expr.rexpr) continue;
    const side = (node: Node): string | null => {
      const ref = asNode(node, 'ColumnRef');
      if (ref) {
        const owner = ownerOf(ref, sourceName, columns);
        if (owner !== null && columns.opaque.has(owner)) return CONSTANT;
        return owner === null ? null : key(ref, owner);
      }
      return columnRefs(node).length === 0 ? CONSTANT : null;
    };
    const left = side(expr.lexpr);
    const right = side(expr.rexpr);
    if (left !== null && right !== null) union(left, right);
  }
  const pinned = find(CONSTANT);
  for (const column of seen) {
    if (column.startsWith(`${sourceName}.`) && find(column) === pinned) return true;
  }
  return false;
}
