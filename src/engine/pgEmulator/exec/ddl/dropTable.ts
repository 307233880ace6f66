/**
 * DROP TABLE: takes AccessExclusiveLock, hides the table from its own session at once, and removes
 * its storage when the transaction commits (a rollback brings it back). Foreign keys referencing it
 * block the drop unless CASCADE.
 */
import type { PgMessage, StatementOutcome } from '../../api/results';
import type { TableInfo, ViewInfo } from '../../catalog/catalog';
import { qualifiedName } from '../../catalog/catalog';
import { qualifiedHeap } from '../../storage/heapLayout';
import { quoteIdent } from '../../pglite/host';
import { objectVisibleTo, resolveTable } from '../../catalog/resolve';
import type { EngineCore } from '../../core';
import { PgError } from '../../errors';
import { LockMode } from '../../locks/lockModes';
import type { DropStmt, RangeVar } from '../../sql/ast';
import { asNode, nameList } from '../../sql/ast';
import type { Session, Task } from '../../session/session';
import { ensureXid, requireTransaction } from '../../xact/lifecycle';
import { commandOk } from '../outcome';
import { lockTable } from '../tableLocks';
import { emitNotices } from '../userQuery';
import { resolveView } from './viewCatalog';
import { describeViewForDrop, dropViewsNow, viewsOverTable } from './views';
import { dropTableStorage } from '../../storage/tableStorage';

/** Renames the view and heap (keeping their OIDs) so the table's name is free until the drop commits. */
function parkStorage(core: EngineCore, table: TableInfo, storedAs: string | undefined): void {
  const target = quoteIdent(storedAs ?? table.name);
  core.host.script(
    `ALTER VIEW ${qualifiedName(table)} RENAME TO ${target};\nALTER TABLE ${qualifiedHeap(table)} RENAME TO ${target}`,
  );
  table.storedAs = storedAs;
}

function rangeVarOf(names: string[]): RangeVar {
  return names.length === 2 ? { schemaname: names[0], relname: names[1] } : { relname: names[0] };
}

/** DROP TABLE (the statement's objects are tables; see dropStatement.ts for the other kinds). */
export function* executeDropTables(
  core: EngineCore,
  session: Session,
  stmt: DropStmt,
  options: { quiet?: boolean } = {},
): Task<StatementOutcome> {
  const notices: PgMessage[] = [];
  const tables: { table: TableInfo; rangeVar: RangeVar }[] = [];
  for (const object of stmt.objects ?? []) {
    const names = nameList(asNode(object, 'List')?.items);
    const rangeVar = rangeVarOf(names);
    const table = resolveTable(core, session, rangeVar);
    if (!table) {
      const shown = names.join('.');
      const view = resolveView(core, session, rangeVar);
      if (view !== undefined && view !== 'invisible') {
        throw PgError.of('42809', `"${shown}" is not a table`, { hint: 'Use DROP VIEW to remove a view.' });
      }
      if (stmt.missing_ok) {
        notices.push({
          severity: 'NOTICE',
          sqlstate: '00000',
          message: `table "${shown}" does not exist, skipping`,
        });
        continue;
      }
      throw PgError.of('42P01', `table "${shown}" does not exist`);
    }
    tables.push({ table, rangeVar });
  }
  const dropping = new Set(tables.map((t) => t.table.oid));
  const cascadedViews: ViewInfo[] = [];
  const cascades: string[] = [];
  for (const { table } of tables) {
    const dependents: string[] = [];
    // A table this transaction has dropped already no longer depends on anything.
    for (const { table: child, key } of core.catalog.referencing(table.oid)) {
      if (!dropping.has(child.oid) && objectVisibleTo(core, session, child))
        dependents.push(`constraint ${key.name} on table ${child.name}`);
    }
    for (const view of viewsOverTable(core, session, table)) {
      if (cascadedViews.includes(view)) continue;
      dependents.push(describeViewForDrop(view, session));
      cascadedViews.push(view);
    }
    if (dependents.length > 0 && stmt.behavior !== 'DROP_CASCADE') {
      throw PgError.of('2BP01', `cannot drop table ${table.name} because other objects depend on it`, {
        detail: dependents.map((d) => `${d} depends on table ${table.name}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    cascades.push(...dependents);
  }
  if (cascades.length === 1) {
    notices.push({ severity: 'NOTICE', sqlstate: '00000', message: `drop cascades to ${cascades[0] ?? ''}` });
  } else if (cascades.length > 1) {
    notices.push({
      severity: 'NOTICE',
      sqlstate: '00000',
      message: `drop cascades to ${cascades.length} other objects`,
      detail: cascades.map((d) => `drop cascades to ${d}`).join('\n'),
    });
  }
  for (const { table, rangeVar } of tables)
    yield* lockTable(core, session, table, LockMode.AccessExclusive, { rangeVar });
  for (const view of cascadedViews) yield* lockTable(core, session, view, LockMode.AccessExclusive);
  // Views over the tables go first: their storage must be gone before the tables' at commit.
  if (cascadedViews.length > 0) dropViewsNow(core, session, [...cascadedViews].reverse());
  const xid = ensureXid(core, session);
  const transaction = requireTransaction(session);
  const level = transaction.currentLevel;
  for (const { table } of tables) {
    const cascaded = core.catalog
      .referencing(table.oid)
      .filter(({ table: child }) => !dropping.has(child.oid) && objectVisibleTo(core, session, child));
    for (const { table: child, key } of cascaded)
      child.foreignKeys = child.foreignKeys.filter((k) => k !== key);
    table.droppedBy = xid;
    parkStorage(core, table, `${table.name}$dropped${table.oid}`);
    level.undo.push(() => {
      parkStorage(core, table, undefined);
      table.droppedBy = null;
      for (const { table: child, key } of cascaded) child.foreignKeys.push(key);
    });
    level.onCommit.push(() => {
      dropTableStorage(core, table);
      const owned = table.ownedSequences ?? [];
      if (owned.length > 0) core.host.script(owned.map((s) => `DROP SEQUENCE IF EXISTS ${s}`).join(';\n'));
      core.catalog.remove(table.oid);
    });
  }
  transaction.commandIdUsed = true;
  if (!options.quiet) emitNotices(core, session, notices);
  return commandOk('DROP TABLE');
}
