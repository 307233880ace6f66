/**
 * Keeping a table's views in step with its heap after ALTER TABLE (or its rollback), so that
 * `SELECT *` shows the new column set and cached plans see the change.
 *
 * The user view is replaced in place (CREATE OR REPLACE VIEW keeps its OID) when columns were only
 * added at the end; otherwise PostgreSQL requires dropping it, which gives it a new OID: the table
 * keeps its identity (`TableInfo.oid`, the lock tag) and `viewOid` records the new one. User views
 * built on the table are re-created with it, from their stored definitions. The engine's `_sys` view
 * is always re-created (nothing depends on it).
 */
import type { ColumnInfo, TableInfo } from '../../catalog/catalog';
import { qualifiedName } from '../../catalog/catalog';
import type { EngineCore } from '../../core';
import { PgError } from '../../errors';
import { LEARNER_ROLE, quoteIdent } from '../../pglite/host';
import { sysViewSql, userViewSql } from '../../storage/heapLayout';
import { loadColumns, relationOid } from '../../storage/tableStorage';

interface DependentView {
  oid: number;
  schema: string;
  name: string;
  definition: string;
  depth: number;
}

/** User views that read the relation with this OID, directly or through other views, innermost first. */
export function dependentViews(core: EngineCore, relationOid: number): DependentView[] {
  const rows = core.host.rows(
    `WITH RECURSIVE deps(oid, depth) AS (
       SELECT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
        WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.refobjid = $1::oid AND r.ev_class <> $1::oid
       UNION
       SELECT r.ev_class, deps.depth + 1 FROM deps
         JOIN pg_depend d ON d.refobjid = deps.oid AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
         JOIN pg_rewrite r ON r.oid = d.objid
        WHERE r.ev_class <> deps.oid AND deps.depth < 50)
     SELECT c.oid, n.nspname, c.relname, pg_get_viewdef(c.oid), max(deps.depth)
       FROM deps JOIN pg_class c ON c.oid = deps.oid JOIN pg_namespace n ON n.oid = c.relnamespace
      GROUP BY c.oid, n.nspname, c.relname
      ORDER BY max(deps.depth), c.oid`,
    [String(relationOid)],
  );
  return rows.map((row) => ({
    oid: Number(row[0]),
    schema: row[1] as string,
    name: row[2] as string,
    definition: row[3] as string,
    depth: Number(row[4]),
  }));
}

function currentViewOid(table: TableInfo): number {
  return table.viewOid ?? table.oid;
}

/** Re-creates user views from their definitions (after the relation under them was re-created). */
export function recreateViews(core: EngineCore, views: readonly DependentView[]): void {
  for (const view of views) {
    const name = `${quoteIdent(view.schema)}.${quoteIdent(view.name)}`;
    core.host.script(
      `CREATE VIEW ${name} AS ${view.definition};\nGRANT SELECT ON ${name} TO ${LEARNER_ROLE}`,
    );
    const info = [...core.catalog.views.values()].find(
      (v) => v.schema === view.schema && (v.storedAs ?? v.name) === view.name,
    );
    if (info) info.viewOid = relationOid(core, view.schema, view.name);
  }
}

function sameColumnsAtStart(previous: readonly ColumnInfo[], next: readonly ColumnInfo[]): boolean {
  return previous.every((c, i) => next[i]?.name === c.name && next[i]?.type === c.type);
}

/** The user views over a table's user view, saved before it is dropped so they can be re-created. */
export type SavedDependents = readonly DependentView[];

/**
 * SQL dropping the table's views before its heap changes in ways a view would block (a retyped or
 * dropped heap column): the `_sys` view always, the user view (with the user views over it, which
 * `dependents` saves first) when `userView` is set.
 */
export function dropTableViewsSql(
  core: EngineCore,
  table: TableInfo,
  userView: boolean,
): { sql: string[]; dependents: SavedDependents | null } {
  const sql = [`DROP VIEW IF EXISTS ${table.sysView}`];
  if (!userView) return { sql, dependents: null };
  const dependents = dependentViews(core, currentViewOid(table));
  sql.push(`DROP VIEW ${qualifiedName(table)} CASCADE`);
  return { sql, dependents };
}

function createUserView(core: EngineCore, table: TableInfo, dependents: SavedDependents): void {
  core.host.script(`${userViewSql(table)};\nGRANT SELECT ON ${qualifiedName(table)} TO ${LEARNER_ROLE}`);
  table.viewOid = relationOid(core, table.schema, table.storedAs ?? table.name);
  recreateViews(core, dependents);
}

/**
 * Reloads the table's columns from its heap and brings both views up to date. `previous` is the
 * column list the user view was built for; `dropped` says the user view was dropped beforehand
 * (with the dependents to re-create).
 */
export function refreshTableViews(
  core: EngineCore,
  table: TableInfo,
  previous: readonly ColumnInfo[],
  dropped: SavedDependents | null = null,
): void {
  table.columns = loadColumns(core, table.heapSchema, table.storedAs ?? table.name);
  if (dropped) {
    createUserView(core, table, dropped);
  } else if (!sameColumnsAtStart(previous, table.columns)) {
    const { sql, dependents } = dropTableViewsSql(core, table, true);
    core.host.script(sql.join(';\n'));
    createUserView(core, table, dependents ?? []);
  } else {
    try {
      core.host.script(userViewSql(table));
    } catch (error) {
      if (!(error instanceof PgError)) throw error;
      const { sql, dependents } = dropTableViewsSql(core, table, true);
      core.host.script(sql.join(';\n'));
      createUserView(core, table, dependents ?? []);
    }
  }
  core.host.script(`DROP VIEW IF EXISTS ${table.sysView};\n${sysViewSql(table)}`);
}
