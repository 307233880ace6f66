/**
 * Checking the rows a table has when ALTER TABLE adds a constraint (PostgreSQL's phase 3 scan, the
 * unique index build, RI_Initial_Check): only the versions the latest snapshot sees count, not the
 * dead versions the heap still holds. Errors are PostgreSQL's.
 */
import type { ForeignKey, TableInfo, UniqueKey } from '../../catalog/catalog';
import type { EngineCore } from '../../core';
import { PgError } from '../../errors';
import { quoteIdent } from '../../pglite/host';
import type { Session } from '../../session/session';
import { requireTransaction, takeSnapshot } from '../../xact/lifecycle';
import { runUserQuery } from '../userQuery';
import type { ExistingRowCheck } from './alterTablePlan';
import { checkExpression } from '../../storage/heapCatalog';

/** CommandCounterIncrement: what this statement changed so far becomes visible to the checks. */
export function commandCounterIncrement(session: Session): void {
  const transaction = requireTransaction(session);
  if (transaction.commandIdUsed) {
    transaction.commandId++;
    transaction.commandIdUsed = false;
  }
}

/** The rows of a query over the latest snapshot (ALTER TABLE holds a lock that keeps writers out). */
function latestRows(core: EngineCore, session: Session, sql: string): (string | null)[][] {
  const snapshot = takeSnapshot(core, session);
  return runUserQuery(core, session, sql, { snapshot, positionOffset: null, asEngine: true }).rows ?? [];
}

function describeKey(columns: readonly string[], values: readonly (string | null)[]): string {
  return `(${columns.map(quoteIdent).join(', ')})=(${values.map((v) => v ?? 'null').join(', ')})`;
}

/** `column "c" of relation "t" contains null values` when a visible row has a NULL there. */
function checkNoNulls(core: EngineCore, session: Session, table: TableInfo, column: string): void {
  const rows = latestRows(
    core,
    session,
    `SELECT 1 FROM ${table.sysView} t WHERE t.${quoteIdent(column)} IS NULL LIMIT 1`,
  );
  if (rows.length > 0) {
    throw PgError.of('23502', `column "${column}" of relation "${table.name}" contains null values`);
  }
}

function checkConstraintHolds(core: EngineCore, session: Session, table: TableInfo, name: string): void {
  const expression = checkExpression(core, table, name);
  if (expression === undefined) return;
  const rows = latestRows(
    core,
    session,
    `SELECT 1 FROM ${table.sysView} t WHERE NOT (${expression}) LIMIT 1`,
  );
  if (rows.length > 0) {
    throw PgError.of(
      '23514',
      `check constraint "${name}" of relation "${table.name}" is violated by some row`,
    );
  }
}

/** The unique index build: two visible rows with the same non-null key. */
function checkUniqueKey(core: EngineCore, session: Session, table: TableInfo, key: UniqueKey): void {
  const columns = key.columns.map((c) => `t.${quoteIdent(c)}`);
  const rows = latestRows(
    core,
    session,
    `SELECT ${columns.map((c) => `${c}::text`).join(', ')} FROM ${table.sysView} t
      WHERE ${columns.map((c) => `${c} IS NOT NULL`).join(' AND ')}
      GROUP BY ${columns.join(', ')} HAVING count(*) > 1 LIMIT 1`,
  );
  const duplicate = rows[0];
  if (duplicate) {
    throw PgError.of('23505', `could not create unique index "${key.name}"`, {
      detail: `Key ${describeKey(key.columns, duplicate)} is duplicated.`,
    });
  }
}

/** RI_Initial_Check: a visible referencing row whose key is not in the referenced table. */
function checkForeignKey(core: EngineCore, session: Session, table: TableInfo, key: ForeignKey): void {
  const referenced = core.catalog.get(key.referencedTableOid);
  if (!referenced) return;
  const join = key.columns
    .map((c, i) => `pk.${quoteIdent(key.referencedColumns[i] as string)} = fk.${quoteIdent(c)}`)
    .join(' AND ');
  const rows = latestRows(
    core,
    session,
    `SELECT ${key.columns.map((c) => `fk.${quoteIdent(c)}::text`).join(', ')}
       FROM ${table.sysView} fk LEFT JOIN ${referenced.sysView} pk ON ${join}
      WHERE pk.__pg_tid IS NULL AND ${key.columns.map((c) => `fk.${quoteIdent(c)} IS NOT NULL`).join(' AND ')}
      LIMIT 1`,
  );
  const missing = rows[0];
  if (missing) {
    throw PgError.of(
      '23503',
      `insert or update on table "${table.name}" violates foreign key constraint "${key.name}"`,
      {
        detail: `Key ${describeKey(key.columns, missing)} is not present in table "${referenced.name}".`,
      },
    );
  }
}

/**
 * Runs the checks in PostgreSQL's order: unique index builds (phase 2), then NOT NULL and CHECK
 * (phase 3's scan), then foreign keys (after the scan).
 */
export function runExistingRowChecks(
  core: EngineCore,
  session: Session,
  table: TableInfo,
  checks: readonly ExistingRowCheck[],
): void {
  if (checks.length === 0) return;
  commandCounterIncrement(session);
  for (const check of checks) if (check.kind === 'unique') checkUniqueKey(core, session, table, check.key);
  for (const check of checks) {
    if (check.kind === 'notNull') checkNoNulls(core, session, table, check.column);
    if (check.kind === 'check' && check.constraint.name !== null)
      checkConstraintHolds(core, session, table, check.constraint.name);
  }
  for (const check of checks)
    if (check.kind === 'foreignKey') checkForeignKey(core, session, table, check.key);
}
