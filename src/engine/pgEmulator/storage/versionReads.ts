/**
 * Reading row versions from a heap by tuple id, whatever any snapshot sees: column values as text,
 * the other versions that share a unique key, and which pairs of old and new versions differ in
 * given columns.
 */
import type { TableInfo, UniqueKey } from '../catalog/catalog';
import { quoteIdent } from '../pglite/host';
import { qualifiedHeap } from './heapLayout';
import type { StorageContext } from './storageContext';

function tidArray(tids: readonly number[]): string {
  return `{${tids.join(',')}}`;
}

/** The listed columns (as text) of each version, by tuple id. */
export function versionColumns(
  core: StorageContext,
  table: TableInfo,
  columns: readonly string[],
  tids: readonly number[],
): Map<number, (string | null)[]> {
  const list = columns.map((c) => `, ${quoteIdent(c)}::text`).join('');
  const rows = core.host.rows(
    `SELECT __tid${list} FROM ${qualifiedHeap(table)} WHERE __tid = ANY($1::bigint[])`,
    [tidArray(tids)],
  );
  return new Map(rows.map((row) => [Number(row[0]), row.slice(1)]));
}

function keyEquality(key: UniqueKey, left: string, right: string): string {
  return key.columns.map((c) => `${left}.${quoteIdent(c)} = ${right}.${quoteIdent(c)}`).join(' AND ');
}

/**
 * The other versions with the same value of each key as each of `tids`: keyed `"<tid>:<key index>"`,
 * in the heap's order.
 */
export function sameKeyVersions(
  core: StorageContext,
  table: TableInfo,
  keys: readonly UniqueKey[],
  tids: readonly number[],
): Map<string, number[]> {
  const heap = qualifiedHeap(table);
  const parts = keys.map(
    (key, i) =>
      `SELECT n.__tid, ${i}, h.__tid FROM ${heap} n JOIN ${heap} h ON ${keyEquality(key, 'h', 'n')} AND h.__tid <> n.__tid WHERE n.__tid = ANY($1::bigint[])`,
  );
  const out = new Map<string, number[]>();
  if (parts.length === 0 || tids.length === 0) return out;
  for (const [tid, keyIndex, other] of core.host.rows(parts.join(' UNION ALL '), [tidArray(tids)])) {
    const k = `${tid}:${keyIndex}`;
    const list = out.get(k) ?? [];
    list.push(Number(other));
    out.set(k, list);
  }
  return out;
}

/** The pairs whose listed columns differ between the old and the new version, in the given order. */
export function changedVersionPairs<P extends { oldTid: number; newTid: number }>(
  core: StorageContext,
  table: TableInfo,
  columns: readonly string[],
  pairs: readonly P[],
): P[] {
  if (pairs.length === 0 || columns.length === 0) return [];
  const heap = qualifiedHeap(table);
  const compare = columns.map((c) => `o.${quoteIdent(c)} IS DISTINCT FROM n.${quoteIdent(c)}`).join(' OR ');
  const rows = core.host.rows(
    `SELECT p.o FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS p(o, n, i)
       JOIN ${heap} o ON o.__tid = p.o JOIN ${heap} n ON n.__tid = p.n WHERE ${compare} ORDER BY p.i`,
    [tidArray(pairs.map((p) => p.oldTid)), tidArray(pairs.map((p) => p.newTid))],
  );
  const changed = new Set(rows.map((r) => Number(r[0])));
  return pairs.filter((p) => changed.has(p.oldTid));
}
