/**
 * ALTER TABLE: takes the table lock PostgreSQL takes (the strongest its subcommands need), plans
 * the subcommands, tries the heap change on a scratch copy (PostgreSQL's own errors, and whether it
 * rewrites the table), then changes the heap, rebuilds the views, checks the existing rows and
 * updates the engine's catalog. Everything is undone on ROLLBACK (or ROLLBACK TO SAVEPOINT); a
 * rewrite's old row versions are kept until then.
 */
import type { StatementOutcome } from '../../api/results';
import { qualifiedHeap } from '../../storage/heapLayout';
import { relationDoesNotExist, resolveRelation } from '../../catalog/resolve';
import type { EngineCore } from '../../core';
import { PgError, unsupported } from '../../errors';
import { quoteIdent, quoteLiteral } from '../../pglite/host';
import type { AlterTableCmd, AlterTableStmt, Constraint } from '../../sql/ast';
import { asNode } from '../../sql/ast';
import type { Session, Task } from '../../session/session';
import type { Transaction } from '../../transam/transaction';
import {
  ensureXid,
  requireTransaction,
  takeSnapshot,
  transactionSnapshotBeforeLocks,
} from '../../xact/lifecycle';
import { contextSteps } from '../context';
import { commandOk } from '../outcome';
import { lockTable } from '../tableLocks';
import { emitNotices } from '../userQuery';
import {
  planAddColumn,
  planAlterColumnType,
  planColumnDefault,
  planDropColumn,
  planDropNotNull,
  planSetNotNullCommand,
} from './alterTableColumns';
import { planAddConstraint, planDropConstraint, planValidateConstraint } from './alterTableConstraints';
import { alterTableLockMode, SUPPORTED_SUBCOMMANDS, unsupportedSubcommandName } from './alterTableLockLevel';
import { AlterTablePlan, alterTableSql } from './alterTablePlan';
import { runExistingRowChecks } from './existingRowChecks';
import { heapConstraints } from '../../storage/heapCatalog';
import {
  backupTableName,
  copyBackSql,
  createBackupSql,
  dropBackup,
  registerRewrittenVersions,
  restoreBackup,
  visibleCopySql,
  type HeapBackup,
} from '../../storage/heapRewrite';
import { isVisibleView } from './viewCatalog';
import { dropTableViewsSql, refreshTableViews, type SavedDependents } from './tableViews';

function* planSubcommand(plan: AlterTablePlan, cmd: AlterTableCmd): Task<void> {
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      for (const constraint of planAddColumn(plan, cmd)) yield* planAddConstraint(plan, constraint);
      return;
    case 'AT_DropColumn':
      planDropColumn(plan, cmd);
      return;
    case 'AT_AlterColumnType':
      planAlterColumnType(plan, cmd);
      return;
    case 'AT_ColumnDefault':
      planColumnDefault(plan, cmd);
      return;
    case 'AT_SetNotNull':
      planSetNotNullCommand(plan, cmd);
      return;
    case 'AT_DropNotNull':
      planDropNotNull(plan, cmd);
      return;
    case 'AT_AddConstraint':
      yield* planAddConstraint(plan, asNode(cmd.def, 'Constraint') as Constraint);
      return;
    case 'AT_DropConstraint':
      planDropConstraint(plan, cmd);
      return;
    case 'AT_ValidateConstraint':
      yield* planValidateConstraint(plan, cmd);
      return;
    default:
      throw unsupported(unsupportedSubcommandName(cmd.subtype ?? ''));
  }
}

/** Errors from the heap run without positions (the SQL is the engine's), in ALTER TABLE's words. */
function alterError(error: unknown, tableName: string): unknown {
  if (!(error instanceof PgError)) return error;
  const pg = { ...error.pg };
  delete pg.position;
  const notNull = /^null value in column "(.*)" of relation "(.*)" violates not-null constraint$/.exec(
    pg.message,
  );
  if (pg.sqlstate === '23502' && notNull) {
    pg.message = `column "${notNull[1] ?? ''}" of relation "${tableName}" contains null values`;
    delete pg.detail;
  }
  const check = /^new row for relation "(.*)" violates check constraint "(.*)"$/.exec(pg.message);
  if (pg.sqlstate === '23514' && check) {
    pg.message = `check constraint "${check[2] ?? ''}" of relation "${tableName}" is violated by some row`;
    delete pg.detail;
  }
  return new PgError(pg);
}

function touchesHeap(plan: AlterTablePlan): boolean {
  return plan.heapCommands.length + plan.probeCommands.length + plan.before.length + plan.after.length > 0;
}

/**
 * Runs the heap change on an empty copy of the heap in a transaction that is rolled back: raises
 * PostgreSQL's error for a change it rejects, and says whether PostgreSQL rewrites the table.
 */
function probeRewrite(core: EngineCore, plan: AlterTablePlan): boolean {
  const table = plan.table;
  const copy = `pg_temp.${quoteIdent(table.storedAs ?? table.name)}`;
  const commands = [...plan.heapCommands, ...plan.probeCommands];
  const filenode = `SELECT pg_relation_filenode(${quoteLiteral(copy)}::regclass)`;
  const statements = [
    'BEGIN',
    `CREATE TEMP TABLE ${quoteIdent(table.storedAs ?? table.name)} (LIKE ${qualifiedHeap(table)} INCLUDING ALL)`,
    filenode,
    ...plan.before.filter((step) => step.inProbe).map((step) => step.sql(copy)),
    ...(commands.length > 0 ? [alterTableSql(commands)(copy)] : []),
    ...plan.after.map((step) => step(copy)),
    filenode,
    'ROLLBACK',
  ];
  let results;
  try {
    results = core.host.script(statements.join(';\n'));
  } catch (error) {
    core.host.script('ROLLBACK');
    if (plan.dropCascade && error instanceof PgError && error.pg.sqlstate === '2BP01') {
      throw unsupported('DROP COLUMN … CASCADE of a column other columns are computed from');
    }
    throw alterError(error, table.name);
  }
  const before = results[2]?.rows[0]?.[0];
  const after = results[results.length - 2]?.rows[0]?.[0];
  return before !== after;
}

interface AppliedAlter {
  backup: HeapBackup | null;
  /** Undo functions of the catalog changes applied so far. */
  catalogUndo: (() => void)[];
}

function undoAlter(
  core: EngineCore,
  plan: AlterTablePlan,
  applied: AppliedAlter,
  heapChanged: boolean,
): void {
  const table = plan.table;
  for (const undo of [...applied.catalogUndo].reverse()) undo();
  if (!heapChanged) return;
  const heap = qualifiedHeap(table);
  // Putting columns back (or away) needs the views out of the way; other changes leave them be.
  const columnsChange = plan.addedColumns.size + plan.droppedColumns.size + plan.retyped.size > 0;
  const { sql: dropViews, dependents } = dropTableViewsSql(core, table, columnsChange);
  const statements = [...dropViews];
  if (applied.backup) statements.push(`DELETE FROM ${heap}`);
  statements.push(...[...plan.inverse].reverse().map((step) => step(heap)));
  core.host.script(statements.join(';\n'));
  if (applied.backup) restoreBackup(core, table, applied.backup);
  refreshTableViews(core, table, table.columns, dependents);
}

function commitAlter(core: EngineCore, plan: AlterTablePlan, applied: AppliedAlter): void {
  const heap = qualifiedHeap(plan.table);
  const statements = plan.atCommit.map((step) => step(heap));
  try {
    if (statements.length > 0) core.host.script(statements.join(';\n'));
  } catch {
    // The table was dropped later in the same transaction: nothing left to tidy.
  }
  if (applied.backup) dropBackup(core, applied.backup);
}

/** The heap change (with a rewrite of the visible rows when PostgreSQL rewrites) as one script. */
function changeHeap(
  core: EngineCore,
  session: Session,
  transaction: Transaction,
  plan: AlterTablePlan,
  applied: AppliedAlter,
): SavedDependents | null {
  const table = plan.table;
  const heap = qualifiedHeap(table);
  const retypes = plan.retyped.size > 0;
  const { sql: dropViews, dependents } = dropTableViewsSql(core, table, retypes);
  const statements = [...dropViews];
  const temp = `rewrite_${table.oid}`;
  let backup: HeapBackup | null = null;
  if (plan.rewrites) {
    backup = { name: backupTableName(table, plan.xid, transaction.commandId), detached: null };
    // The context row: the latest snapshot (which rows are copied) and the xid new versions get.
    core.host.pipeline(contextSteps(core, session, takeSnapshot(core, session)));
    statements.push(createBackupSql(table, backup), visibleCopySql(table, temp), `DELETE FROM ${heap}`);
  }
  statements.push(...plan.before.map((step) => step.sql(heap)));
  const alterIndex =
    plan.heapCommands.length > 0 ? statements.push(alterTableSql(plan.heapCommands)(heap)) - 1 : -1;
  statements.push(...plan.after.map((step) => step(heap)));
  if (plan.rewrites) {
    const copied = table.columns.filter((c) => !c.generated && !plan.droppedColumns.has(c.name));
    statements.push(
      ...copyBackSql(
        table,
        temp,
        copied.map((c) => ({ name: c.name, value: plan.retyped.get(c.name) ?? quoteIdent(c.name) })),
      ),
    );
  }
  let results;
  try {
    results = core.host.script(statements.join(';\n'));
  } catch (error) {
    throw alterError(error, table.name);
  }
  // Only the ALTER TABLE's own notices are PostgreSQL's answer; the rest is the engine's bookkeeping.
  plan.notices.push(...(results[alterIndex]?.notices ?? []));
  if (backup) {
    backup.detached = core.tuples.detachRelation(table.oid);
    transaction.writtenTables.add(table.oid);
    applied.backup = backup;
  }
  return dependents;
}

function applyPlan(core: EngineCore, session: Session, plan: AlterTablePlan): void {
  const table = plan.table;
  const transaction = requireTransaction(session);
  const applied: AppliedAlter = { backup: null, catalogUndo: [] };
  const heapChanged = touchesHeap(plan);
  if (heapChanged) {
    plan.rewrites = probeRewrite(core, plan);
    const previousColumns = [...table.columns];
    const existing = new Set(heapConstraints(core, table).map((c) => c.name));
    const dependents = changeHeap(core, session, transaction, plan, applied);
    transaction.currentLevel.undo.push(() => undoAlter(core, plan, applied, true));
    transaction.currentLevel.onCommit.push(() => commitAlter(core, plan, applied));
    const named = heapConstraints(core, table).filter(
      (c) => c.type === 'c' && !existing.has(c.name) && !plan.newConstraintNames.has(c.name),
    );
    plan.unnamedChecks.forEach((holder, i) => {
      holder.name = named[i]?.name ?? null;
    });
    refreshTableViews(core, table, previousColumns, dependents);
    if (plan.rewrites) registerRewrittenVersions(core, table, plan.xid, transaction.commandId);
  } else {
    transaction.currentLevel.undo.push(() => undoAlter(core, plan, applied, false));
  }
  runExistingRowChecks(core, session, table, plan.checks);
  for (const change of plan.catalogChanges) applied.catalogUndo.push(change());
}

export function* executeAlterTable(
  core: EngineCore,
  session: Session,
  stmt: AlterTableStmt,
): Task<StatementOutcome> {
  if (stmt.objtype !== 'OBJECT_TABLE') {
    throw unsupported(
      `ALTER ${(stmt.objtype ?? '').replace('OBJECT_', '').replace('MATVIEW', 'MATERIALIZED VIEW')}`,
    );
  }
  const cmds = stmt.cmds ?? [];
  for (const node of cmds) {
    const subtype = asNode(node, 'AlterTableCmd')?.subtype ?? '';
    if (!SUPPORTED_SUBCOMMANDS[subtype]) throw unsupported(unsupportedSubcommandName(subtype));
  }
  const rangeVar = stmt.relation;
  if (!rangeVar) throw new Error('ALTER TABLE without a table');
  transactionSnapshotBeforeLocks(core, session);
  const found = resolveRelation(core, session, rangeVar);
  if (found === undefined && isVisibleView(core, session, rangeVar)) {
    throw unsupported('ALTER TABLE on a view');
  }
  if (found === undefined || found === 'invisible') {
    if (stmt.missing_ok) {
      emitNotices(core, session, [
        {
          severity: 'NOTICE',
          sqlstate: '00000',
          message: `relation "${rangeVar.relname ?? ''}" does not exist, skipping`,
        },
      ]);
      return commandOk('ALTER TABLE');
    }
    throw relationDoesNotExist(rangeVar);
  }
  yield* lockTable(core, session, found, alterTableLockMode(cmds), { rangeVar });
  const xid = ensureXid(core, session);
  requireTransaction(session).commandIdUsed = true;
  const plan = new AlterTablePlan(core, session, found, xid);
  for (const node of cmds) yield* planSubcommand(plan, asNode(node, 'AlterTableCmd') as AlterTableCmd);
  applyPlan(core, session, plan);
  emitNotices(core, session, plan.notices);
  return commandOk('ALTER TABLE');
}
