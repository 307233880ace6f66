/**
 * Creating and dropping the physical objects behind a user table: the heap, its views, its indexes,
 * and reading column metadata back from PGlite's catalogs.
 */
import type { ColumnInfo, TableInfo, UniqueKey } from '../catalog/catalog';
import { qualifiedName } from '../catalog/catalog';
import type { StorageContext } from './storageContext';
import { LEARNER_ROLE, quoteIdent } from '../pglite/host';
import { heapIndexName, sysViewSql, userViewSql, qualifiedHeap } from './heapLayout';

/** Columns of a heap table after its hidden ones, as PGlite's catalog describes them. */
export function loadColumns(core: StorageContext, heapSchema: string, name: string): ColumnInfo[] {
  const rows = core.host.rows(
    `SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid, a.attnotnull, a.attgenerated <> '', a.attidentity = 'a'
       FROM pg_attribute a
      WHERE a.attrelid = format('%I.%I', $1::text, $2::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attname NOT LIKE '\\_\\_%'
      ORDER BY a.attnum`,
    [heapSchema, name],
  );
  return rows.map((row) => ({
    name: row[0] as string,
    type: row[1] as string,
    typeOid: Number(row[2]),
    notNull: row[3] === 't',
    generated: row[4] === 't',
    identityAlways: row[5] === 't',
  }));
}

export function relationOid(core: StorageContext, schema: string, name: string): number {
  const [row] = core.host.rows(`SELECT format('%I.%I', $1::text, $2::text)::regclass::oid`, [schema, name]);
  return Number(row?.[0]);
}

function keyIndexSql(table: TableInfo, key: UniqueKey, index: number): string {
  const columns = key.columns.map(quoteIdent).join(', ');
  return `CREATE INDEX ${quoteIdent(heapIndexName(table, `key${index}`))} ON ${qualifiedHeap(table)} (${columns})`;
}

/**
 * (Re)creates the user view (setting `table.oid` to its OID, which is the table's OID for users)
 * and the engine view of a table whose heap exists.
 */
export function createTableViews(core: StorageContext, table: TableInfo): void {
  core.host.script(`${userViewSql(table)};\nGRANT SELECT ON ${qualifiedName(table)} TO ${LEARNER_ROLE}`);
  table.oid = relationOid(core, table.schema, table.name);
  core.host.script(sysViewSql(table));
}

export function createKeyIndexes(core: StorageContext, table: TableInfo): void {
  const statements = [
    `CREATE UNIQUE INDEX ${quoteIdent(heapIndexName(table, 'tid'))} ON ${qualifiedHeap(table)} (__tid)`,
    `CREATE INDEX ${quoteIdent(heapIndexName(table, 'ctid'))} ON ${qualifiedHeap(table)} (__ctid)`,
    ...table.uniqueKeys.map((key, i) => keyIndexSql(table, key, i)),
  ];
  core.host.script(statements.join(';\n'));
}

/** Drops the user view, the engine view and the heap (with its indexes and owned sequences). */
export function dropTableStorage(core: StorageContext, table: TableInfo): void {
  core.host.script(
    [
      `DROP VIEW IF EXISTS ${qualifiedName(table)}`,
      `DROP VIEW IF EXISTS ${table.sysView}`,
      `DROP TABLE IF EXISTS ${qualifiedHeap(table)} CASCADE`,
    ].join(';\n'),
  );
  core.tuples.dropRelation(table.oid);
}
