/**
 * Locking clauses below the top of a statement: a sub-select's FOR UPDATE / SHARE … [NOWAIT |
 * SKIP LOCKED] in a write's WHERE (the job-queue pattern `WHERE id = (SELECT … LIMIT 1 FOR UPDATE
 * SKIP LOCKED)`), in `IN (…)`, `EXISTS (…)`, `ARRAY(…)`, in a derived table, a CTE, or the query of
 * an INSERT.
 *
 * In PostgreSQL the sub-select's LockRows node locks each row as the sub-plan returns it. The engine
 * runs each such sub-select first, as a locking query on the statement's snapshot (its own nested
 * locking sub-selects before it), and puts the rows it returned in its place — a typed constant, a
 * typed VALUES list — so the rest of the statement reads exactly the rows that were locked, and an
 * EvalPlanQual re-check of the outer statement sees the same values (PostgreSQL does not run an
 * InitPlan again either).
 *
 * That is faithful where PostgreSQL reads a known amount of the sub-select: a scalar sub-select
 * reads up to two rows (the second one is the 21000 error), EXISTS one, IN / ANY and ARRAY all of
 * them, and a derived table or CTE all of them when it is read by the statement's top level without
 * a LIMIT and without a condition the planner could push into it. Elsewhere which rows get locked
 * depends on PostgreSQL's plan: those statements fail with 0A000, as do correlated locking
 * sub-selects (they run once per outer row).
 */
import type { EngineCore } from '../core';
import { PgError, unsupported } from '../errors';
import type {
  CommonTableExpr,
  Node,
  RangeSubselect,
  RangeVar,
  SelectStmt,
  SubLink,
  WithClause,
} from '../sql/ast';
import { asNode, makeNode, tagOf } from '../sql/ast';
import { parseExpression } from '../sql/expressions';
import { deparse } from '../sql/parser';
import { relationReferences, walk } from '../sql/walk';
import type { Session, Task } from '../session/session';
import type { Snapshot } from '../transam/snapshot';
import { pushdownReaches, type PushdownLevel } from './lockingPushdown';
import { runLockingQuery } from './lockingQuery';
import { fromItemNames } from './queryBuilding';
import { describeColumns, typedLiteral, typedRowsQuery, type TypedRows } from './typedRows';
import { resolveRelation } from '../catalog/resolve';

export interface SettleOptions {
  snapshot: Snapshot;
  params?: readonly (string | null)[];
}

function isNode(value: unknown): value is Node {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && /^[A-Z]/.test(keys[0] as string);
}

function hasLockingClause(node: Node | undefined): boolean {
  return (asNode(node, 'SelectStmt')?.lockingClause ?? []).length > 0;
}

/** Does any SelectStmt below `root` (root excluded) carry a locking clause? */
export function hasLockingSubselects(root: Node): boolean {
  let found = false;
  walk(root, {
    enter(node, tag) {
      if (found) return false;
      if (node !== root && tag === 'SelectStmt' && hasLockingClause(node)) found = true;
    },
  });
  return found;
}

function ctesReferenced(select: Node, visible: readonly Node[]): Node[] {
  const names = new Set(relationReferences(select).flatMap((r) => (r.schemaname ? [] : [r.relname ?? ''])));
  return visible.filter((cte) => names.has(asNode(cte, 'CommonTableExpr')?.ctename ?? ''));
}

/** The names a query level's FROM items are known by (for the correlation check). */
function levelNames(level: Node | undefined): Set<string> {
  const payload = level
    ? ((level as unknown as Record<string, Record<string, unknown>>)[tagOf(level)] ?? {})
    : {};
  const items = [
    ...((payload['fromClause'] as Node[] | undefined) ?? []),
    ...((payload['usingClause'] as Node[] | undefined) ?? []),
  ];
  const names = new Set(fromItemNames(items));
  const relation = payload['relation'] as RangeVar | undefined;
  if (relation) names.add(relation.alias?.aliasname ?? relation.relname ?? '');
  return names;
}

/** The result columns of a query, from parse analysis (no rows are read or locked). */
function outputColumns(core: EngineCore, session: Session, query: Node, ctes: readonly Node[]): string[] {
  const select = asNode(query, 'SelectStmt');
  if (!select) return [];
  const attached = ctesReferenced(query, ctes);
  const plain: SelectStmt = { ...select };
  delete plain.lockingClause;
  if (attached.length > 0)
    plain.withClause = {
      ...(plain.withClause ?? {}),
      ctes: [...attached, ...(plain.withClause?.ctes ?? [])],
    };
  return describeColumns(core, session, deparse(makeNode('SelectStmt', plain))).map((column) => column.name);
}

/** The columns of each FROM item of a level (and of a write's target), by the name it is known by. */
function levelItemColumns(
  core: EngineCore,
  session: Session,
  level: Node | undefined,
  except?: string,
): Map<string, Set<string>> {
  return levelItems(core, session, level, except).others;
}

/** A level's FROM items: their columns, and which are not plain tables. */
function levelItems(
  core: EngineCore,
  session: Session,
  level: Node | undefined,
  except?: string,
): { others: Map<string, Set<string>>; opaque: Set<string> } {
  const out = new Map<string, Set<string>>();
  const opaque = new Set<string>();
  if (!level) return { others: out, opaque };
  const payload = (level as unknown as Record<string, Record<string, unknown>>)[tagOf(level)] ?? {};
  const add = (rangeVar: RangeVar): void => {
    const name = rangeVar.alias?.aliasname ?? rangeVar.relname ?? '';
    if (name === except) return;
    const table = resolveRelation(core, session, rangeVar);
    if (table && table !== 'invisible') out.set(name, new Set(table.columns.map((c) => c.name)));
    else opaque.add(name);
  };
  const relation = payload['relation'] as RangeVar | undefined;
  if (relation) add(relation);
  const visit = (item: Node): void => {
    const rangeVar = asNode(item, 'RangeVar');
    if (rangeVar) return add(rangeVar);
    const join = asNode(item, 'JoinExpr');
    if (join?.larg) visit(join.larg);
    if (join?.rarg) visit(join.rarg);
    const functionAlias = asNode(item, 'RangeFunction')?.alias?.aliasname;
    if (functionAlias) opaque.add(functionAlias);
    const sub = asNode(item, 'RangeSubselect');
    const name = sub?.alias?.aliasname;
    if (name && name !== except) opaque.add(name);
    if (sub?.subquery && name && name !== except)
      out.set(
        name,
        new Set(
          sub.alias?.colnames
            ? sub.alias.colnames.map((c) => asNode(c, 'String')?.sval ?? '')
            : outputColumns(core, session, sub.subquery, []),
        ),
      );
  };
  for (const item of [
    ...((payload['fromClause'] as Node[] | undefined) ?? []),
    ...((payload['usingClause'] as Node[] | undefined) ?? []),
  ])
    visit(item);
  return { others: out, opaque };
}

class Settler {
  constructor(
    private readonly core: EngineCore,
    private readonly session: Session,
    private readonly options: SettleOptions,
  ) {}

  /** Runs one locking sub-select (standalone, with the CTEs it reads) and returns its rows. */
  private *run(select: Node, scope: Scope, maxRows: number | null): Task<TypedRows> {
    const inner = (yield* this.children(select, {
      ...scope,
      top: null,
      outer: [...scope.outer, scope.level],
    })) as Node;
    const attached = ctesReferenced(inner, scope.ctes);
    const payload = asNode(inner, 'SelectStmt') as SelectStmt;
    const standalone: SelectStmt =
      attached.length === 0
        ? payload
        : {
            ...payload,
            withClause: {
              ...(payload.withClause ?? {}),
              ctes: [...attached, ...(payload.withClause?.ctes ?? [])],
            },
          };
    let result;
    try {
      result = yield* runLockingQuery(this.core, this.session, standalone, {
        snapshot: this.options.snapshot,
        params: this.options.params ?? [],
        maxRows: maxRows ?? undefined,
        withTypes: true,
      });
    } catch (error) {
      throw this.correlatedOr(error, scope);
    }
    const types = result.types ?? [];
    return {
      columns: result.fields.map((field, i) => ({ name: field.name, type: types[i] ?? 'text' })),
      rows: result.rows,
    };
  }

  /** A sub-select that names the outer query's FROM items is correlated: refused; other errors stand. */
  private correlatedOr(error: unknown, scope: Scope): unknown {
    if (!(error instanceof PgError)) return error;
    const { sqlstate, message } = error.pg;
    const levels = [...scope.outer, scope.level];
    const missingItem = /^missing FROM-clause entry for table "([^"]+)"/.exec(message)?.[1];
    const missingColumn = /^column "([^"]+)" does not exist/.exec(message)?.[1];
    const correlated =
      (sqlstate === '42P01' &&
        missingItem !== undefined &&
        levels.some((l) => levelNames(l).has(missingItem))) ||
      (sqlstate === '42703' &&
        missingColumn !== undefined &&
        levels.some((l) =>
          [...levelItemColumns(this.core, this.session, l).values()].some((c) => c.has(missingColumn)),
        ));
    if (!correlated) return error;
    return unsupported(
      'a locking sub-select (FOR UPDATE …) that refers to the outer query (a correlated sub-select runs once per outer row)',
    );
  }

  /** The column name PostgreSQL gives a sub-query in a target list (FigureColname), or null for ?column?. */
  private columnName(link: SubLink, scope: Scope): string | null {
    if (link.subLinkType === 'EXISTS_SUBLINK') return 'exists';
    if (link.subLinkType === 'ARRAY_SUBLINK') return 'array';
    if (link.subLinkType !== 'EXPR_SUBLINK') return null;
    const [first] = outputColumns(this.core, this.session, link.subselect as Node, scope.ctes);
    return first ?? '?column?';
  }

  /** The settled form of a SubLink whose sub-select locks rows. */
  private *sublink(node: Node, scope: Scope): Task<Node> {
    const link = asNode(node, 'SubLink') as SubLink;
    const select = link.subselect as Node;
    switch (link.subLinkType) {
      case 'EXPR_SUBLINK': {
        const settled = yield* this.run(select, scope, 2);
        if (settled.columns.length !== 1) throw PgError.of('42601', 'subquery must return only one column');
        if (settled.rows.length > 1)
          throw PgError.of('21000', 'more than one row returned by a subquery used as an expression');
        const column = settled.columns[0] as { type: string };
        return parseExpression(typedLiteral(settled.rows[0]?.[0] ?? null, column.type));
      }
      case 'EXISTS_SUBLINK': {
        const settled = yield* this.run(select, scope, 1);
        return parseExpression(settled.rows.length > 0 ? 'true' : 'false');
      }
      case 'ANY_SUBLINK':
      case 'ARRAY_SUBLINK': {
        const settled = yield* this.run(select, scope, null);
        const testexpr = link.testexpr ? ((yield* this.value(link.testexpr, scope)) as Node) : undefined;
        return makeNode('SubLink', {
          ...link,
          ...(testexpr ? { testexpr } : {}),
          subselect: typedRowsQuery(settled),
        });
      }
      default:
        throw unsupported(
          `a locking sub-select (FOR UPDATE …) in this kind of sub-query (${link.subLinkType ?? ''})`,
        );
    }
  }

  /**
   * A locking derived table or CTE read by `level` (named `name` there): faithful only when PostgreSQL
   * reads all of it — the statement's top level, no LIMIT, no condition it could push into it.
   */
  private *source(select: Node, name: string, scope: Scope): Task<Node> {
    const what = `a locking sub-select (FOR UPDATE …) in FROM or WITH ("${name}")`;
    if (scope.top === null || scope.level !== scope.top)
      throw unsupported(
        `${what} below the statement's top level (which of its rows PostgreSQL locks depends on its plan)`,
      );
    const level = asNode(scope.level, 'SelectStmt');
    if (level && (level.limitCount || level.limitOffset))
      throw unsupported(
        `${what} read by a query with LIMIT or OFFSET (PostgreSQL locks only the rows the LIMIT reads)`,
      );
    const own = asNode(select, 'SelectStmt') as SelectStmt;
    if (
      !own.limitCount &&
      !own.limitOffset &&
      pushdownReaches(scope.level as PushdownLevel, name, {
        source: new Set(outputColumns(this.core, this.session, select, scope.ctes)),
        ...levelItems(this.core, this.session, scope.level, name),
      })
    ) {
      throw unsupported(
        `${what} filtered by a condition PostgreSQL pushes into it (it then locks only the rows that match; put the condition inside the sub-select)`,
      );
    }
    return typedRowsQuery(yield* this.run(select, scope, null));
  }

  /** Settles every locking sub-select under `value` (not `value` itself). */
  *children(value: Node, scope: Scope): Task<unknown> {
    const tag = tagOf(value);
    const payload = (value as unknown as Record<string, Record<string, unknown>>)[tag] ?? {};
    let levelScope = scope;
    const isLevel =
      tag === 'SelectStmt' ||
      tag === 'UpdateStmt' ||
      tag === 'DeleteStmt' ||
      tag === 'InsertStmt' ||
      tag === 'MergeStmt';
    if (isLevel) levelScope = { ...scope, level: value, top: scope.top === undefined ? value : scope.top };
    const out: Record<string, unknown> = { ...payload };
    // WITH first (PostgreSQL analyses it first); a locking CTE becomes its rows.
    const withClause = payload['withClause'] as WithClause | undefined;
    if (withClause?.ctes) {
      const ctes: Node[] = [];
      for (const cteNode of withClause.ctes) {
        const cte = asNode(cteNode, 'CommonTableExpr') as CommonTableExpr;
        let query = cte.ctequery;
        const cteScope: Scope = { ...levelScope, ctes: [...levelScope.ctes, ...ctes] };
        if (query && hasLockingClause(query)) {
          if (withClause.recursive)
            throw unsupported('a locking sub-select (FOR UPDATE …) in WITH RECURSIVE');
          query = yield* this.source(query, cte.ctename ?? '', cteScope);
        } else if (query) query = (yield* this.value(query, { ...cteScope, top: null })) as Node;
        const settled = makeNode('CommonTableExpr', { ...cte, ...(query ? { ctequery: query } : {}) });
        ctes.push(settled);
      }
      out['withClause'] = { ...withClause, ctes };
      levelScope = { ...levelScope, ctes: [...levelScope.ctes, ...ctes.filter((c) => !hasWrite(c))] };
    }
    for (const key of ['fromClause', 'usingClause']) {
      const items = payload[key] as Node[] | undefined;
      if (!items) continue;
      const settled: Node[] = [];
      for (const item of items) settled.push((yield* this.fromItem(item, levelScope)) as Node);
      out[key] = settled;
    }
    if (tag === 'InsertStmt' && payload['selectStmt']) {
      const source = payload['selectStmt'] as Node;
      // INSERT reads every row of its query: the query itself may lock.
      out['selectStmt'] = hasLockingClause(source)
        ? typedRowsQuery(yield* this.run(source, levelScope, null))
        : yield* this.value(source, { ...levelScope, top: null });
    }
    for (const [key, child] of Object.entries(payload)) {
      if (
        key === 'withClause' ||
        key === 'fromClause' ||
        key === 'usingClause' ||
        (tag === 'InsertStmt' && key === 'selectStmt')
      )
        continue;
      out[key] = yield* this.value(child, levelScope);
    }
    return { [tag]: out };
  }

  private *fromItem(item: Node, scope: Scope): Task<Node> {
    const sub = asNode(item, 'RangeSubselect');
    if (sub?.subquery && hasLockingClause(sub.subquery)) {
      const name = sub.alias?.aliasname ?? '';
      const rows = yield* this.source(sub.subquery, name, scope);
      const settled: RangeSubselect = { ...sub, subquery: rows };
      return makeNode('RangeSubselect', settled);
    }
    const join = asNode(item, 'JoinExpr');
    if (join) {
      const larg = join.larg ? yield* this.fromItem(join.larg, scope) : undefined;
      const rarg = join.rarg ? yield* this.fromItem(join.rarg, scope) : undefined;
      const quals = join.quals ? ((yield* this.value(join.quals, scope)) as Node) : undefined;
      return makeNode('JoinExpr', {
        ...join,
        ...(larg ? { larg } : {}),
        ...(rarg ? { rarg } : {}),
        ...(quals ? { quals } : {}),
      });
    }
    return (yield* this.value(item, scope)) as Node;
  }

  *value(value: unknown, scope: Scope): Task<unknown> {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) out.push(yield* this.value(item, scope));
      return out;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (isNode(value)) {
      const tag = tagOf(value);
      if (tag === 'SubLink' && hasLockingClause(asNode(value, 'SubLink')?.subselect))
        return yield* this.sublink(value, scope);
      const target = asNode(value, 'ResTarget');
      const link = asNode(target?.val, 'SubLink');
      if (target && link && !target.name && hasLockingClause(link.subselect)) {
        // The column keeps the name PostgreSQL gives the sub-query (FigureColname), not its constant's.
        const name = this.columnName(link, scope);
        const val = (yield* this.sublink(target.val as Node, scope)) as Node;
        return makeNode('ResTarget', { ...target, val, ...(name === null ? {} : { name }) });
      }
      if (tag === 'SelectStmt') {
        const select = asNode(value, 'SelectStmt') as SelectStmt;
        if (select.op && select.op !== 'SETOP_NONE' && hasLockingSubselects(value))
          throw unsupported('a locking sub-select (FOR UPDATE …) in UNION, INTERSECT or EXCEPT');
      }
      return yield* this.children(value, scope);
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = yield* this.value(child, scope);
    return out;
  }
}

function hasWrite(cte: Node): boolean {
  const query = asNode(cte, 'CommonTableExpr')?.ctequery;
  return query !== undefined && tagOf(query) !== 'SelectStmt';
}

interface Scope {
  /** The query level being read (a SelectStmt or a write). */
  level: Node | undefined;
  /** The statement's top level, null inside a sub-query, undefined before the root. */
  top: Node | null | undefined;
  /** Levels enclosing `level` (for the correlation check). */
  outer: (Node | undefined)[];
  /** SELECT CTEs visible here (attached to a sub-select run on its own). */
  ctes: Node[];
}

/**
 * The statement with every locking sub-select below its top replaced by the rows it locked (the
 * statement itself when it has none). The root's own locking clause stays (lockingSelect.ts).
 */
export function* settleLockingSubselects(
  core: EngineCore,
  session: Session,
  root: Node,
  options: SettleOptions,
): Task<Node> {
  if (!hasLockingSubselects(root)) return root;
  const settler = new Settler(core, session, options);
  return (yield* settler.children(root, { level: undefined, top: undefined, outer: [], ctes: [] })) as Node;
}
