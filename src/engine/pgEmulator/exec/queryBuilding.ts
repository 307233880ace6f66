/**
 * Reading a learner's FROM list and target list to build the engine's own queries: reference names,
 * `*` expanded over replaced tables, the plain relations of a FROM list.
 */
import type { TableInfo } from '../catalog/catalog';
import type { Node, RangeVar } from '../sql/ast';
import { asNode, columnRef, makeNode, resTarget, tagOf } from '../sql/ast';

/** The name a FROM item is referred to by (its alias, else its relation name). */
export function referenceName(rangeVar: RangeVar): string {
  return rangeVar.alias?.aliasname ?? rangeVar.relname ?? '';
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
