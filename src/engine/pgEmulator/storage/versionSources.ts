/**
 * Row sources over a heap, as FROM items of the engine's queries: a table's visible versions with
 * their tuple ids and system columns (its `_sys` view), and exactly one version by tuple id.
 */
import type { TableInfo } from '../catalog/catalog';
import { quoteIdent } from '../pglite/host';
import type { Node, RangeVar } from '../sql/ast';
import { asNode, makeNode } from '../sql/ast';
import { parseStatements } from '../sql/parser';
import { qualifiedHeap, systemColumns } from './heapLayout';

function aliasNode(name: string): RangeVar['alias'] {
  return { aliasname: name };
}

function splitSysView(sysView: string): [string, string] {
  const dot = sysView.indexOf('.');
  const unquote = (s: string): string => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);
  return [unquote(sysView.slice(0, dot)), unquote(sysView.slice(dot + 1))];
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

/**
 * A FROM item holding the given versions of the table (by `__tid`), shaped like the `_sys` view with
 * one more column, `__pg_ord`: each version's position in `tids` (order by it to keep that order).
 */
export function versionListRange(table: TableInfo, name: string, tids: readonly number[]): Node {
  const columns = table.columns.map((c) => `h.${quoteIdent(c.name)}`);
  const list = `'{${tids.join(',')}}'::bigint[]`;
  const sql = `SELECT * FROM (SELECT ${[...columns, 'h.__tid AS __pg_tid', systemColumns(table, 'h'), 'o.n AS __pg_ord'].join(', ')} FROM unnest(${list}) WITH ORDINALITY AS o(tid, n) JOIN ${qualifiedHeap(table)} h ON h.__tid = o.tid) AS x`;
  const [parsed] = parseStatements(sql);
  const from = asNode(parsed?.node, 'SelectStmt')?.fromClause?.[0];
  const subselect = asNode(from, 'RangeSubselect');
  if (!subselect) throw new Error('could not build a version-list source');
  return makeNode('RangeSubselect', { ...subselect, alias: aliasNode(name) });
}
