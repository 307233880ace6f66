/**
 * Foreign-key checks, as ri_triggers.c runs them (riTriggers.ts decides when):
 * - a new or changed referencing row locks its referenced row FOR KEY SHARE (waiting if needed);
 *   none found is 23503;
 * - a deleted or re-keyed referenced row looks for referencing rows (FOR KEY SHARE) with the latest
 *   snapshot; one found is 23503 (NO ACTION) or 23001 (RESTRICT).
 */
import type { ForeignKey, TableInfo } from '../catalog/catalog';
import type { EngineCore } from '../core';
import { versionColumns } from '../storage/versionReads';
import { PgError } from '../errors';
import { LockMode } from '../locks/lockModes';
import { quoteIdent } from '../pglite/host';
import type { SelectStmt } from '../sql/ast';
import { asNode } from '../sql/ast';
import { parseStatements } from '../sql/parser';
import type { Session, Task } from '../session/session';
import type { Snapshot } from '../transam/snapshot';
import { requireTransaction, takeSnapshot } from '../xact/lifecycle';
import { runLockingQuery } from './lockingQuery';
import { lockTable } from './tableLocks';

/** An identifier quoted as ri_triggers.c quotes it (always). */
export function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The query text PostgreSQL's RI triggers run (shown in CONTEXT when an error happens inside it). */
function riQueryText(target: TableInfo, columns: readonly string[], parameterOnLeft: boolean): string {
  const quals = columns.map((column, i) =>
    parameterOnLeft
      ? `$${i + 1} OPERATOR(pg_catalog.=) ${quoted(column)}`
      : `${quoted(column)} OPERATOR(pg_catalog.=) $${i + 1}`,
  );
  return `SELECT 1 FROM ONLY ${quoted(target.schema)}.${quoted(target.name)} x WHERE ${quals.join(' AND ')} FOR KEY SHARE OF x`;
}

/** The same query in a form the engine can run: typed parameters, the table by its user name. */
function runnableRiQuery(
  target: TableInfo,
  columns: readonly string[],
  types: readonly string[],
): SelectStmt {
  const quals = columns.map((column, i) => `x.${quoteIdent(column)} = $${i + 1}::${types[i]}`);
  const sql = `SELECT 1 FROM ${quoteIdent(target.schema)}.${quoteIdent(target.name)} x WHERE ${quals.join(' AND ')} FOR KEY SHARE OF x`;
  const [parsed] = parseStatements(sql);
  const select = asNode(parsed?.node, 'SelectStmt');
  if (!select) throw new Error('could not build the foreign key query');
  return select;
}

/** CommandCounterIncrement before running RI queries: the statement's own changes become visible. */
export function commandCounterIncrement(session: Session): void {
  const transaction = requireTransaction(session);
  if (transaction.commandIdUsed) {
    transaction.commandId++;
    transaction.commandIdUsed = false;
  }
}

function columnTypes(table: TableInfo, columns: readonly string[]): string[] {
  return columns.map((name) => table.columns.find((c) => c.name === name)?.type ?? 'text');
}

function describeKey(columns: readonly string[], values: readonly (string | null)[]): string {
  return `(${columns.map(quoteIdent).join(', ')})=(${values.map((v) => v ?? 'null').join(', ')})`;
}

/** Runs one RI lookup; returns whether a row was found (and locked). */
function* riLookup(
  core: EngineCore,
  session: Session,
  target: TableInfo,
  columns: readonly string[],
  types: readonly string[],
  values: readonly (string | null)[],
  snapshot: Snapshot,
  parameterOnLeft: boolean,
): Task<boolean> {
  yield* lockTable(core, session, target, LockMode.RowShare);
  const result = yield* runLockingQuery(core, session, runnableRiQuery(target, columns, types), {
    snapshot,
    params: values,
    context: `SQL statement "${riQueryText(target, columns, parameterOnLeft)}"`,
  });
  return result.rows.length > 0;
}

/** The referencing side (RI_FKey_check): a new or re-keyed row of `table` needs its referenced row. */
export function* checkReferencedRow(
  core: EngineCore,
  session: Session,
  table: TableInfo,
  key: ForeignKey,
  tid: number,
): Task<void> {
  const values = versionColumns(core, table, key.columns, [tid]).get(tid) ?? [];
  if (values.length === 0 || values.some((v) => v === null)) return;
  const referenced = core.catalog.get(key.referencedTableOid);
  if (!referenced) return;
  const transaction = requireTransaction(session);
  const snapshot = transaction.usesTransactionSnapshot()
    ? (transaction.snapshot as Snapshot)
    : takeSnapshot(core, session);
  const found = yield* riLookup(
    core,
    session,
    referenced,
    key.referencedColumns,
    columnTypes(table, key.columns),
    values,
    snapshot,
    false,
  );
  if (!found) {
    throw PgError.of(
      '23503',
      `insert or update on table "${table.name}" violates foreign key constraint "${key.name}"`,
      { detail: `Key ${describeKey(key.columns, values)} is not present in table "${referenced.name}".` },
    );
  }
}

/**
 * The referenced side for NO ACTION and RESTRICT (ri_restrict): the old key of a deleted or
 * re-keyed row of `table` must not be referenced any more; NO ACTION first looks for another row
 * that now provides the key.
 */
export function* checkNotReferenced(
  core: EngineCore,
  session: Session,
  table: TableInfo,
  child: TableInfo,
  key: ForeignKey,
  values: readonly (string | null)[],
  action: 'no action' | 'restrict',
): Task<void> {
  const types = columnTypes(table, key.referencedColumns);
  if (action === 'no action') {
    const stillProvided = yield* riLookup(
      core,
      session,
      table,
      key.referencedColumns,
      types,
      values,
      takeSnapshot(core, session),
      false,
    );
    if (stillProvided) return;
  }
  const referenced = yield* riLookup(
    core,
    session,
    child,
    key.columns,
    types,
    values,
    takeSnapshot(core, session),
    true,
  );
  if (!referenced) return;
  if (action === 'restrict') {
    throw PgError.of(
      '23001',
      `update or delete on table "${table.name}" violates RESTRICT setting of foreign key constraint "${key.name}" on table "${child.name}"`,
      {
        detail: `Key ${describeKey(key.referencedColumns, values)} is referenced from table "${child.name}".`,
      },
    );
  }
  throw PgError.of(
    '23503',
    `update or delete on table "${table.name}" violates foreign key constraint "${key.name}" on table "${child.name}"`,
    {
      detail: `Key ${describeKey(key.referencedColumns, values)} is still referenced from table "${child.name}".`,
    },
  );
}
