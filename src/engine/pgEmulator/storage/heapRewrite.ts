/**
 * New storage for a table, as PostgreSQL gives it on a table rewrite (ALTER COLUMN TYPE, ADD COLUMN
 * with a volatile default…) and on TRUNCATE: the old row versions are set aside so that a rollback
 * can bring them back exactly; the new versions (a rewrite copies the rows the latest snapshot sees)
 * belong to the rewriting transaction. That is PostgreSQL's MVCC caveat: once it commits, a snapshot
 * taken before sees the table empty.
 */
import type { TableInfo } from '../catalog/catalog';
import type { StorageContext } from './storageContext';
import { quoteIdent } from '../pglite/host';
import { visibilityPredicate, qualifiedHeap } from './heapLayout';
import type { DetachedRelation } from '../tuples/tupleStore';
import { registerVersions } from './versionWrites';
import type { Xid } from '../transam/xidStatus';

/** The old storage of a table, kept until its transaction ends. */
export interface HeapBackup {
  /** Table in `_engine` holding a copy of every old version (hidden columns included). */
  name: string;
  /** The old versions' headers and page state. */
  detached: DetachedRelation | null;
}

export function backupTableName(table: TableInfo, xid: Xid, commandId: number): string {
  return `undo_${table.oid}_${xid}_${commandId}`;
}

/** SQL copying every version of the heap into the backup table. */
export function createBackupSql(table: TableInfo, backup: HeapBackup): string {
  return `CREATE TABLE _engine.${quoteIdent(backup.name)} AS SELECT * FROM ${qualifiedHeap(table)}`;
}

/** SQL copying the versions the context row's snapshot sees, in ctid order, to a temp table. */
export function visibleCopySql(table: TableInfo, temp: string): string {
  return `CREATE TEMP TABLE ${quoteIdent(temp)} AS SELECT h.* FROM ${qualifiedHeap(table)} h CROSS JOIN _engine.ctx s
WHERE ${visibilityPredicate('h', 's')} ORDER BY h.__ctid`;
}

/**
 * SQL copying the rows of `visibleCopySql`'s temp table back into the (altered) heap as new versions
 * of the current command, in their old ctid order, each column's value computed by `value` (a
 * retyped column's USING expression); then dropping the temp table.
 */
export function copyBackSql(
  table: TableInfo,
  temp: string,
  columns: readonly { name: string; value: string }[],
): string[] {
  const names = ['__cmin', ...columns.map((c) => quoteIdent(c.name))];
  const values = ['_engine.current_cid()', ...columns.map((c) => c.value)];
  return [
    `INSERT INTO ${qualifiedHeap(table)} (${names.join(', ')}) OVERRIDING SYSTEM VALUE SELECT ${values.join(', ')} FROM pg_temp.${quoteIdent(temp)} ORDER BY __ctid`,
    `DROP TABLE pg_temp.${quoteIdent(temp)}`,
  ];
}

/** Heap columns a copy can write (generated ones are computed), in heap order. */
function writableHeapColumns(core: StorageContext, table: TableInfo): string[] {
  return core.host
    .rows(
      `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
      [qualifiedHeap(table)],
    )
    .map((row) => row[0] as string);
}

/** Puts the old versions back (the heap's structure must already be the old one). */
export function restoreBackup(core: StorageContext, table: TableInfo, backup: HeapBackup): void {
  const heap = qualifiedHeap(table);
  const columns = writableHeapColumns(core, table).map(quoteIdent).join(', ');
  core.host.script(
    [
      `DELETE FROM ${heap}`,
      `INSERT INTO ${heap} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM _engine.${quoteIdent(backup.name)}`,
      `DROP TABLE _engine.${quoteIdent(backup.name)}`,
    ].join(';\n'),
  );
  if (backup.detached) {
    core.tuples.attachRelation(backup.detached);
    // The heap copy predates the abort: headers rewrite xmax where the updater has aborted since.
    for (const header of backup.detached.headers) core.markHeaderDirty(header);
  }
  // Versions the aborted transaction wrote before the copy was taken are dead, as the abort made
  // every other version of theirs.
  const inserters = core.host.rows(`SELECT DISTINCT __xmin FROM ${heap}`).map((row) => Number(row[0]));
  const aborted = inserters.filter((xid) => core.xids.state(xid) === 'aborted');
  if (aborted.length > 0) {
    core.tuples.removeInsertedBy(new Set(aborted));
    core.host.rows(`DELETE FROM ${heap} WHERE __xmin = ANY($1::bigint[])`, [`{${aborted.join(',')}}`]);
  }
}

export function dropBackup(core: StorageContext, backup: HeapBackup): void {
  core.host.script(`DROP TABLE IF EXISTS _engine.${quoteIdent(backup.name)}`);
}

/**
 * Registers the versions a rewrite inserted (every row of the heap now) as the rewriting
 * transaction's, on fresh pages in insertion order.
 */
export function registerRewrittenVersions(
  core: StorageContext,
  table: TableInfo,
  xid: Xid,
  commandId: number,
): void {
  const columns = table.columns.map((c) => `h.${quoteIdent(c.name)}`);
  const size = columns.length === 0 ? '24' : `pg_column_size(ROW(${columns.join(', ')}))`;
  const rows = core.host.rows(`SELECT h.__tid, ${size} FROM ${qualifiedHeap(table)} h ORDER BY h.__tid`);
  registerVersions(
    core,
    table,
    rows.map((row) => ({ tid: Number(row[0]), size: Number(row[1]) })),
    xid,
    commandId,
  );
}
