/**
 * Replacing a query's table references by the engine's row sources (the `_sys` views, which add
 * `__pg_tid` and the system columns, or one row version) while keeping what the learner sees:
 * every FROM item keeps the name it is referred to by, and `*` / `name.*` expand to exactly the
 * user's columns, in PostgreSQL's order. Query shapes whose meaning would change with the extra
 * columns (NATURAL JOIN, an aliased join, `*` over JOIN … USING or an unaliased subquery,
 * whole-row references) are refused with 0A000.
 */
import type { TableInfo } from '../catalog/catalog';
import { unsupported } from '../errors';
import type {
  ColumnRef,
  CommonTableExpr,
  JoinExpr,
  Node,
  RangeFunction,
  RangeSubselect,
  RangeVar,
  SelectStmt,
} from '../sql/ast';
import { asNode, makeNode, tagOf, columnRef, resTarget } from '../sql/ast';
import { referenceName } from './queryBuilding';

/** The row source that replaces a table reference (a FROM item named like the reference). */
export interface ReplacedSource {
  table: TableInfo;
  source: Node;
}

/**
 * Decides, for a RangeVar in a FROM clause (the original object of the tree), whether to replace
 * it. `cteNames` are the CTE names in scope (an unqualified RangeVar naming one is the CTE).
 */
export type SourcePicker = (rangeVar: RangeVar, cteNames: ReadonlySet<string>) => ReplacedSource | null;

/** What `*` at one query level expands to, item by item. */
type StarItem =
  | { kind: 'table'; name: string; table: TableInfo }
  | { kind: 'other'; name: string }
  /** A FROM item `*` cannot be expanded over by name; `what` says why. */
  | { kind: 'opaque'; what: string };

interface Level {
  items: StarItem[];
  replaced: Map<string, TableInfo>;
}

const SYSTEM_COLUMN_NAMES = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid']);

function fieldNames(ref: ColumnRef): (string | null)[] {
  return (ref.fields ?? []).map((f) => asNode(f, 'String')?.sval ?? null);
}

function isStar(ref: ColumnRef): boolean {
  const fields = ref.fields ?? [];
  const last = fields[fields.length - 1];
  return last !== undefined && tagOf(last) === 'A_Star';
}

type Visible = ReadonlyMap<string, TableInfo>;

class Replacer {
  replacedAny = false;
  /** schema.relation of replaced references written without an alias (for `schema.rel.col`). */
  readonly qualified = new Set<string>();

  constructor(
    private readonly pick: SourcePicker,
    /** How the refusals name the query, e.g. `in a query that reads system columns`. */
    private readonly purpose: string,
  ) {}

  /**
   * Rewrites one query level. `outer` holds the replaced tables visible from enclosing levels (for
   * correlated references).
   */
  select(select: SelectStmt, cteScope: ReadonlySet<string>, outer: Visible): SelectStmt {
    let scope = cteScope;
    const out: SelectStmt = { ...select };
    if (select.withClause) {
      const ctes = select.withClause.ctes ?? [];
      scope = new Set([
        ...cteScope,
        ...ctes.map((c) => asNode(c, 'CommonTableExpr')?.ctename ?? '').filter((n) => n !== ''),
      ]);
      out.withClause = {
        ...select.withClause,
        ctes: ctes.map((c) => {
          const cte = asNode(c, 'CommonTableExpr') as CommonTableExpr;
          return makeNode('CommonTableExpr', {
            ...cte,
            ctequery: this.any(cte.ctequery, scope, outer) as Node,
          });
        }),
      };
    }
    if (select.op && select.op !== 'SETOP_NONE') {
      if (select.larg) out.larg = this.select(select.larg, scope, outer);
      if (select.rarg) out.rarg = this.select(select.rarg, scope, outer);
      for (const key of ['sortClause', 'limitCount', 'limitOffset'] as const) {
        if (select[key] !== undefined)
          (out as Record<string, unknown>)[key] = this.any(select[key], scope, outer);
      }
      return out;
    }
    const level: Level = { items: [], replaced: new Map() };
    if (select.fromClause) {
      out.fromClause = select.fromClause.map((item) => this.fromItem(item, scope, outer, level, true));
    }
    // Names this level defines hide the same names of enclosing levels.
    const visible = new Map(outer);
    for (const item of level.items) if (item.kind !== 'opaque') visible.delete(item.name);
    for (const [name, table] of level.replaced) visible.set(name, table);
    for (const key of EXPRESSION_KEYS) {
      if (select[key] !== undefined)
        (out as Record<string, unknown>)[key] = this.any(select[key], scope, visible);
    }
    if (level.replaced.size > 0 && out.targetList) {
      out.targetList = expandStars(out.targetList, level, this.purpose);
    }
    if (visible.size > 0) for (const key of EXPRESSION_KEYS) checkReferences(out[key], visible, this.purpose);
    return out;
  }

  private fromItem(item: Node, scope: ReadonlySet<string>, outer: Visible, level: Level, top: boolean): Node {
    const rangeVar = asNode(item, 'RangeVar');
    if (rangeVar) {
      const name = referenceName(rangeVar);
      const replacement = this.pick(rangeVar, scope);
      if (!replacement) {
        if (top) level.items.push({ kind: 'other', name });
        return item;
      }
      this.replacedAny = true;
      level.replaced.set(name, replacement.table);
      if (!rangeVar.alias && rangeVar.schemaname) this.qualified.add(`${rangeVar.schemaname}.${name}`);
      if (top) level.items.push({ kind: 'table', name, table: replacement.table });
      return replacement.source;
    }
    const join = asNode(item, 'JoinExpr');
    if (join) return this.join(join, scope, outer, level, top);
    const subselect = asNode(item, 'RangeSubselect');
    if (subselect) {
      if (top) {
        level.items.push(
          subselect.alias?.aliasname
            ? { kind: 'other', name: subselect.alias.aliasname }
            : { kind: 'opaque', what: 'a subquery in FROM without an alias' },
        );
      }
      return makeNode('RangeSubselect', this.any(subselect, scope, outer) as RangeSubselect);
    }
    const fn = asNode(item, 'RangeFunction');
    if (top) level.items.push(fn ? functionItem(fn) : { kind: 'opaque', what: `${tagOf(item)} in FROM` });
    return this.any(item, scope, outer) as Node;
  }

  private join(join: JoinExpr, scope: ReadonlySet<string>, outer: Visible, level: Level, top: boolean): Node {
    const inner: Level = { items: [], replaced: new Map() };
    const larg = join.larg ? this.fromItem(join.larg, scope, outer, inner, true) : undefined;
    const rarg = join.rarg ? this.fromItem(join.rarg, scope, outer, inner, true) : undefined;
    for (const [name, table] of inner.replaced) level.replaced.set(name, table);
    if (inner.replaced.size > 0 && join.isNatural) {
      throw unsupported(`NATURAL JOIN ${this.purpose} (name the join columns with USING or ON)`);
    }
    if (inner.replaced.size > 0 && join.alias?.aliasname) {
      // Its columns (j.*, j) would include the sources' hidden ones.
      throw unsupported(`an aliased JOIN ("${join.alias.aliasname}") ${this.purpose}`);
    }
    if (top) {
      if (join.alias?.aliasname) {
        level.items.push({ kind: 'other', name: join.alias.aliasname });
      } else if ((join.usingClause ?? []).length > 0 || join.isNatural) {
        level.items.push({ kind: 'opaque', what: 'JOIN … USING' });
      } else {
        level.items.push(...inner.items);
      }
    }
    const out: JoinExpr = { ...join };
    if (larg) out.larg = larg;
    if (rarg) out.rarg = rarg;
    if (join.quals) out.quals = this.any(join.quals, scope, outer) as Node;
    return makeNode('JoinExpr', out);
  }

  /** Any other part of the tree: subqueries inside it are rewritten with the same scope. */
  any(value: unknown, scope: ReadonlySet<string>, visible: Visible): unknown {
    if (Array.isArray(value)) return value.map((v) => this.any(v, scope, visible));
    if (typeof value !== 'object' || value === null) return value;
    const select = asNode(value as Node, 'SelectStmt');
    if (select) return makeNode('SelectStmt', this.select(select, scope, visible));
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = this.any(child, scope, visible);
    return out;
  }

  /** `schema.table.column` of a replaced table written without an alias: the source is named `table`. */
  unqualify(root: Node): Node {
    if (this.qualified.size === 0) return root;
    const visit = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(visit);
      if (typeof value !== 'object' || value === null) return value;
      const ref = asNode(value as Node, 'ColumnRef');
      if (ref) {
        const names = fieldNames(ref);
        if (names.length >= 3 && this.qualified.has(`${names[0]}.${names[1]}`)) {
          return makeNode('ColumnRef', { ...ref, fields: (ref.fields ?? []).slice(1) });
        }
        return value;
      }
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) out[key] = visit(child);
      return out;
    };
    return visit(root) as Node;
  }
}

/** The parts of a query level that hold expressions of that level. */
const EXPRESSION_KEYS = [
  'distinctClause',
  'targetList',
  'whereClause',
  'groupClause',
  'havingClause',
  'windowClause',
  'valuesLists',
  'sortClause',
  'limitOffset',
  'limitCount',
] as const;

/**
 * Whole-row references to a replaced table (`t`, or `t.*` inside an expression) would carry the
 * source's hidden columns: refused. Does not look into subqueries (they are checked at their level).
 */
function checkReferences(value: unknown, visible: Visible, purpose: string): void {
  if (Array.isArray(value)) {
    for (const item of value) checkReferences(item, visible, purpose);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (asNode(value as Node, 'SelectStmt')) return;
  const ref = asNode(value as Node, 'ColumnRef');
  if (ref) {
    const names = fieldNames(ref);
    const [first] = names;
    if (!first || !visible.has(first)) return;
    if (names.length === 2 && isStar(ref)) {
      throw unsupported(`"${first}.*" inside an expression ${purpose}`);
    }
    const isColumn = [...visible.values()].some((t) => t.columns.some((c) => c.name === first));
    if (names.length === 1 && !isColumn && !SYSTEM_COLUMN_NAMES.has(first)) {
      throw unsupported(`whole-row references ("${first}") ${purpose}`);
    }
    return;
  }
  for (const child of Object.values(value)) checkReferences(child, visible, purpose);
}

function functionItem(fn: RangeFunction): StarItem {
  if (fn.alias?.aliasname) return { kind: 'other', name: fn.alias.aliasname };
  const lists = fn.functions ?? [];
  const call = asNode(asNode(lists[0], 'List')?.items?.[0], 'FuncCall');
  const names = (call?.funcname ?? []).map((n) => asNode(n, 'String')?.sval ?? '');
  const name = names[names.length - 1];
  if (lists.length !== 1 || !name) return { kind: 'opaque', what: 'ROWS FROM without an alias' };
  return { kind: 'other', name };
}

function starOver(name: string): Node {
  return resTarget(
    makeNode('ColumnRef', { fields: [{ String: { sval: name } } as Node, { A_Star: {} } as Node] }),
  );
}

/** Expands the target list's `*` and `name.*` over this level's replaced tables. */
function expandStars(targets: readonly Node[], level: Level, purpose: string): Node[] {
  const out: Node[] = [];
  for (const target of targets) {
    const res = asNode(target, 'ResTarget');
    const ref = asNode(res?.val, 'ColumnRef');
    if (!res || !ref || !isStar(ref)) {
      out.push(target);
      continue;
    }
    const names = fieldNames(ref);
    if (names.length === 2) {
      const table = names[0] ? level.replaced.get(names[0]) : undefined;
      if (!table || !names[0]) out.push(target);
      else for (const column of table.columns) out.push(resTarget(columnRef(names[0], column.name)));
      continue;
    }
    for (const item of level.items) {
      if (item.kind === 'opaque') throw unsupported(`SELECT * over ${item.what} ${purpose}`);
      if (item.kind === 'other') out.push(starOver(item.name));
      else for (const column of item.table.columns) out.push(resTarget(columnRef(item.name, column.name)));
    }
  }
  return out;
}

/**
 * Rewrites a SELECT (or a statement containing SELECTs): FROM items `pick` chooses are replaced,
 * stars expanded at every level where something was replaced. Returns the original tree when
 * nothing was replaced.
 */
export function replaceTableSources(root: Node, pick: SourcePicker, purpose: string): Node {
  const replacer = new Replacer(pick, purpose);
  const rewritten = replacer.any(root, new Set(), new Map()) as Node;
  if (!replacer.replacedAny) return root;
  return replacer.unqualify(rewritten);
}
