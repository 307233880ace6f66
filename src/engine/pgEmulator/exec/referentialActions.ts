/**
 * ON DELETE / ON UPDATE CASCADE, SET NULL and SET DEFAULT: for a referenced row deleted or re-keyed,
 * the statement ri_triggers.c runs on the referencing table — `DELETE FROM ONLY child WHERE $1 = fk`,
 * `UPDATE ONLY child SET fk = $1 WHERE $2 = fk`, `… SET fk = NULL`, `… SET fk = DEFAULT` — through
 * the engine's own DELETE and UPDATE, so it takes row locks, waits and re-checks like any write.
 * It reads with the latest snapshot; under REPEATABLE READ a row it changes must also be visible to
 * the transaction's snapshot, else 40001 (ri_PerformCheck's crosscheck). An error inside names the
 * statement PostgreSQL runs in its CONTEXT. SET DEFAULT then checks the key as NO ACTION does.
 */
import type { ForeignKey, ForeignKeyAction, TableInfo } from '../catalog/catalog';
import type { EngineCore } from '../core';
import { PgError } from '../errors';
import { quoteIdent } from '../pglite/host';
import { parseStatements, type ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import type { Snapshot } from '../transam/snapshot';
import { requireTransaction, takeSnapshot } from '../xact/lifecycle';
import { checkNotReferenced, commandCounterIncrement, quoted } from './foreignKeys';
import type { ModifyOptions } from './modifyTarget';
import { typedLiteral } from './typedRows';

type Values = readonly (string | null)[];

function typesOf(table: TableInfo, columns: readonly string[]): string[] {
  return columns.map((name) => table.columns.find((c) => c.name === name)?.type ?? 'text');
}

/** PostgreSQL's text of the action's query (shown in CONTEXT), and the engine's runnable form. */
function actionStatement(
  parent: TableInfo,
  child: TableInfo,
  key: ForeignKey,
  action: Exclude<ForeignKeyAction, 'no action' | 'restrict'>,
  isDelete: boolean,
  oldValues: Values,
  newValues: Values | null,
): { text: string; sql: string } {
  const types = typesOf(parent, key.referencedColumns);
  const relation = `ONLY ${quoted(child.schema)}.${quoted(child.name)}`;
  const runnable = `${quoteIdent(child.schema)}.${quoteIdent(child.name)}`;
  const cascadeUpdate = action === 'cascade' && !isDelete;
  const offset = cascadeUpdate ? key.columns.length : 0;
  const qual = key.columns
    .map(
      (column, i) =>
        `${i === 0 ? 'WHERE' : 'AND'} $${offset + i + 1} OPERATOR(pg_catalog.=) ${quoted(column)}`,
    )
    .join(' ');
  const runnableQual = key.columns
    .map(
      (column, i) =>
        `${i === 0 ? 'WHERE' : 'AND'} ${typedLiteral(oldValues[i], types[i] ?? 'text')} OPERATOR(pg_catalog.=) ${quoteIdent(column)}`,
    )
    .join(' ');
  if (action === 'cascade' && isDelete) {
    return { text: `DELETE FROM ${relation} ${qual}`, sql: `DELETE FROM ${runnable} ${runnableQual}` };
  }
  const value = (i: number): { text: string; sql: string } => {
    if (action === 'set null') return { text: 'NULL', sql: 'NULL' };
    if (action === 'set default') return { text: 'DEFAULT', sql: 'DEFAULT' };
    return { text: `$${i + 1}`, sql: typedLiteral(newValues?.[i], types[i] ?? 'text') };
  };
  const sets = key.columns.map((column, i) => ({ column, ...value(i) }));
  return {
    text: `UPDATE ${relation} SET ${sets.map((s) => `${quoted(s.column)} = ${s.text}`).join(', ')} ${qual}`,
    sql: `UPDATE ${runnable} SET ${sets.map((s) => `${quoteIdent(s.column)} = ${s.sql}`).join(', ')} ${runnableQual}`,
  };
}

/** Runs the referential action of `key` for one referenced row of `parent` that was deleted or re-keyed. */
export function* runReferentialAction(
  core: EngineCore,
  session: Session,
  parent: TableInfo,
  child: TableInfo,
  key: ForeignKey,
  action: Exclude<ForeignKeyAction, 'no action' | 'restrict'>,
  oldValues: Values,
  newValues: Values | null,
  runWrite: (statement: ParsedStatement, options: ModifyOptions) => Task<void>,
): Task<void> {
  const isDelete = newValues === null;
  const { text, sql } = actionStatement(parent, child, key, action, isDelete, oldValues, newValues);
  const [parsed] = parseStatements(sql);
  if (!parsed) throw new Error('could not build a referential action');
  const statement: ParsedStatement = { ...parsed, text, offset: 0, rewritten: true };
  commandCounterIncrement(session);
  const transaction = requireTransaction(session);
  const options: ModifyOptions = {
    snapshot: takeSnapshot(core, session),
    crosscheck: transaction.usesTransactionSnapshot() ? (transaction.snapshot as Snapshot) : null,
  };
  try {
    yield* runWrite(statement, options);
  } catch (error) {
    throw error instanceof PgError ? error.withContext(`SQL statement "${text}"`) : error;
  }
  commandCounterIncrement(session);
  // A row set to the default might still reference the old key (ri_setdefault → ri_restrict).
  if (action === 'set default')
    yield* checkNotReferenced(core, session, parent, child, key, oldValues, 'no action');
}
