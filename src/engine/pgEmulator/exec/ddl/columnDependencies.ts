/**
 * What depends on a column that ALTER TABLE drops or retypes: foreign keys of other tables that
 * reference it (kept by the engine) and user views that read it (kept by PGlite over the table's
 * view). Without CASCADE a drop fails with PostgreSQL's 2BP01; with CASCADE the dependents go too,
 * with PostgreSQL's notices. A retype of a column a view reads fails (0A000), as in PostgreSQL.
 */
import type { TableInfo } from '../../catalog/catalog';
import type { EngineCore } from '../../core';
import { PgError, unsupported } from '../../errors';
import type { AlterTablePlan } from './alterTablePlan';

/** Names of user views that read the given column of the table's user view. */
function viewsReadingColumn(core: EngineCore, table: TableInfo, column: string): string[] {
  const position = table.columns.findIndex((c) => c.name === column) + 1;
  if (position === 0) return [];
  const viewOid = table.viewOid ?? table.oid;
  const rows = core.host.rows(
    `SELECT DISTINCT c.relname FROM pg_depend d
       JOIN pg_rewrite r ON r.oid = d.objid
       JOIN pg_class c ON c.oid = r.ev_class
      WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
        AND d.refobjid = $1::oid AND d.refobjsubid = $2::int AND r.ev_class <> $1::oid
      ORDER BY c.relname`,
    [String(viewOid), String(position)],
  );
  return rows.map((row) => row[0] as string);
}

/** Reports (or, with CASCADE, removes) what depends on a column about to be dropped or retyped. */
export function columnDependencies(
  plan: AlterTablePlan,
  column: string,
  cascade: boolean,
  action: 'drop' | 'alter type' = 'drop',
): void {
  const { core, table } = plan;
  const views = viewsReadingColumn(core, table, column);
  if (action === 'alter type') {
    const [view] = views;
    if (view !== undefined) {
      throw PgError.of('0A000', 'cannot alter type of a column used by a view or rule', {
        detail: `rule _RETURN on view ${view} depends on column "${column}"`,
      });
    }
    return;
  }
  const foreignKeys = core.catalog
    .referencing(table.oid)
    .filter(
      ({ table: child, key }) =>
        key.referencedColumns.includes(column) && !(child === table && key.columns.includes(column)),
    );
  const lines = [
    ...foreignKeys.map(({ table: child, key }) => `constraint ${key.name} on table ${child.name}`),
    ...views.map((view) => `view ${view}`),
  ];
  if (lines.length === 0) return;
  if (!cascade) {
    throw PgError.of(
      '2BP01',
      `cannot drop column ${column} of table ${table.name} because other objects depend on it`,
      {
        detail: lines.map((line) => `${line} depends on column ${column} of table ${table.name}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      },
    );
  }
  if (views.length > 0)
    throw unsupported('DROP COLUMN … CASCADE of a column that views read (drop the views first)');
  if (lines.length === 1) plan.notice(`drop cascades to ${lines[0]}`);
  else
    plan.notices.push({
      severity: 'NOTICE',
      sqlstate: '00000',
      message: `drop cascades to ${lines.length} other objects`,
      detail: lines.map((line) => `drop cascades to ${line}`).join('\n'),
    });
  for (const { table: child, key } of foreignKeys) {
    plan.catalogChanges.push(() => {
      child.foreignKeys = child.foreignKeys.filter((k) => k !== key);
      return () => {
        if (!child.foreignKeys.includes(key)) child.foreignKeys.push(key);
      };
    });
  }
}
