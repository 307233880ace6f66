/**
 * Building the engine's own queries from a learner's parse tree: the rows a write or a locking read
 * targets (with their version ids), and the EvalPlanQual re-check of a single newer version.
 */
import type { TableInfo } from '../catalog/catalog';
import { qualifiedHeap } from '../catalog/catalog';
import type { Node, RangeVar, ResTarget } from '../sql/ast';
import { asNode, makeNode, tagOf } from '../sql/ast';
import { parseStatements } from '../sql/parser';
import { systemColumns } from '../storage/heapLayout';
import { quoteIdent } from '../pglite/host';

/** The name a FROM item is referred to by (its alias, else its relation name). */
export function referenceName(rangeVar: RangeVar): string {
  return rangeVar.alias?.aliasname ?? rangeVar.relname ?? '';
}

function aliasNode(name: string): RangeVar['alias'] {
  return { aliasname: name };
}

/** `_sys."t…" AS name`: the table's visible versions with `__pg_tid` and system columns. */
export function sysRange(table: TableInfo, name: string): Node {
  const [schema, relation] = splitSysView(table.sysView);
  return makeNode('RangeVar', {
    schemaname: schema,
    relname: relation,
    inh: true,
    relpersistence: 'p',
    alias: aliasNode(name),
  });
}

function splitSysView(sysView: string): [string, string] {
  const dot = sysView.indexOf('.');
  const unquote = (s: string): string => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);
  return [unquote(sysView.slice(0, dot)), unquote(sysView.slice(dot + 1))];
}

/** A FROM item holding exactly one version of the table (by `__tid`), shaped like the `_sys` view. */
export function singleVersionRange(table: TableInfo, name: string, tid: number): Node {
  const columns = table.columns.map((c) => `h.${quoteIdent(c.name)}`);
  const sql = `SELECT * FROM (SELECT ${[...columns, 'h.__tid AS __pg_tid', systemColumns(table, 'h')].join(', ')} FROM ${qualifiedHeap(table)} h WHERE h.__tid = ${tid}) AS x`;
  const [parsed] = parseStatements(sql);
  const from = asNode(parsed?.node, 'SelectStmt')?.fromClause?.[0];
  const subselect = asNode(from, 'RangeSubselect');
  if (!subselect) throw new Error('could not build a single-version source');
  return makeNode('RangeSubselect', { ...subselect, alias: aliasNode(name) });
}

export function columnRef(...fields: string[]): Node {
  return makeNode('ColumnRef', { fields: fields.map((sval) => ({ String: { sval } }) as Node) });
}

export function resTarget(val: Node, name?: string): Node {
  const target: ResTarget = { val };
  if (name) target.name = name;
  return makeNode('ResTarget', target);
}

/**
 * Expands `*` and `name.*` in a target list for the tables whose FROM items the engine replaced
 * (their sources carry hidden columns); other stars are kept.
 */
export function expandStars(
  targets: readonly Node[],
  fromItems: readonly Node[],
  replaced: ReadonlyMap<string, TableInfo>,
): Node[] {
  const out: Node[] = [];
  for (const target of targets) {
    const res = asNode(target, 'ResTarget');
    const ref = asNode(res?.val, 'ColumnRef');
    const fields = ref?.fields ?? [];
    const last = fields[fields.length - 1];
    if (!res || !ref || !last || tagOf(last) !== 'A_Star') {
      out.push(target);
      continue;
    }
    if (fields.length === 2) {
      const qualifier = asNode(fields[0], 'String')?.sval ?? '';
      const table = replaced.get(qualifier);
      if (!table) out.push(target);
      else for (const column of table.columns) out.push(resTarget(columnRef(qualifier, column.name)));
      continue;
    }
    for (const name of fromItemNames(fromItems)) {
      const table = replaced.get(name);
      if (table) for (const column of table.columns) out.push(resTarget(columnRef(name, column.name)));
      else
        out.push(
          resTarget(
            makeNode('ColumnRef', { fields: [{ String: { sval: name } } as Node, { A_Star: {} } as Node] }),
          ),
        );
    }
  }
  return out;
}

/** Reference names of FROM items, in order, looking through plain joins. */
export function fromItemNames(fromItems: readonly Node[]): string[] {
  const names: string[] = [];
  const visit = (item: Node): void => {
    const rangeVar = asNode(item, 'RangeVar');
    if (rangeVar) return void names.push(referenceName(rangeVar));
    const join = asNode(item, 'JoinExpr');
    if (join) {
      if (join.usingClause?.length || join.isNatural) {
        throw new Error('JOIN … USING / NATURAL JOIN with * in this statement');
      }
      if (join.larg) visit(join.larg);
      if (join.rarg) visit(join.rarg);
      return;
    }
    const alias = asNode(item, 'RangeSubselect')?.alias ?? asNode(item, 'RangeFunction')?.alias;
    if (alias?.aliasname) names.push(alias.aliasname);
  };
  for (const item of fromItems) visit(item);
  return names;
}

/** Top-level RangeVars of a FROM list (including inside plain joins), in order. */
export function baseRangeVars(fromItems: readonly Node[]): RangeVar[] {
  const out: RangeVar[] = [];
  const visit = (item: Node): void => {
    const rangeVar = asNode(item, 'RangeVar');
    if (rangeVar) return void out.push(rangeVar);
    const join = asNode(item, 'JoinExpr');
    if (join?.larg) visit(join.larg);
    if (join?.rarg) visit(join.rarg);
  };
  for (const item of fromItems) visit(item);
  return out;
}
