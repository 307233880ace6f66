/**
 * CREATE [UNIQUE] INDEX. It takes ShareLock on the table. A unique index on plain columns becomes a
 * unique key the engine enforces (like a UNIQUE constraint); every index is also created on the
 * heap in PGlite, so lookups stay fast.
 */
import type { StatementOutcome } from '../../api/results';
import type { UniqueKey } from '../../catalog/catalog';
import { heapIndexName, qualifiedHeap } from '../../storage/heapLayout';
import { relationDoesNotExist, resolveRelation } from '../../catalog/resolve';
import type { EngineCore } from '../../core';
import { PgError, unsupported } from '../../errors';
import { LockMode } from '../../locks/lockModes';
import { quoteIdent } from '../../pglite/host';
import type { IndexStmt } from '../../sql/ast';
import { asNode } from '../../sql/ast';
import type { Session, Task } from '../../session/session';
import { ensureXid, requireTransaction, takeSnapshot } from '../../xact/lifecycle';
import { commandOk } from '../outcome';
import { lockTable } from '../tableLocks';
import { runUserQuery } from '../userQuery';

export function* executeCreateIndex(
  core: EngineCore,
  session: Session,
  stmt: IndexStmt,
): Task<StatementOutcome> {
  if (stmt.concurrent) throw unsupported('CREATE INDEX CONCURRENTLY');
  const rangeVar = stmt.relation;
  if (!rangeVar) throw new Error('CREATE INDEX without a table');
  const table = resolveRelation(core, session, rangeVar);
  if (table === undefined || table === 'invisible') throw relationDoesNotExist(rangeVar);
  const columns = (stmt.indexParams ?? []).map((param) => {
    const elem = asNode(param, 'IndexElem');
    if (!elem?.name) {
      if (stmt.unique) throw unsupported('unique indexes on expressions');
      return null;
    }
    if (!table.columns.some((c) => c.name === elem.name)) {
      throw PgError.of('42703', `column "${elem.name}" does not exist`);
    }
    return elem.name;
  });
  if (stmt.unique && stmt.whereClause) throw unsupported('partial unique indexes');
  const plainColumns = columns.filter((c): c is string => c !== null);
  const name = stmt.idxname ?? `${table.name}_${plainColumns.join('_') || 'expr'}_idx`;
  if (stmt.if_not_exists && table.uniqueKeys.some((k) => k.name === name)) return commandOk('CREATE INDEX');
  yield* lockTable(core, session, table, LockMode.Share, { rangeVar });
  ensureXid(core, session);
  const transaction = requireTransaction(session);
  let key: UniqueKey | null = null;
  if (stmt.unique) {
    key = { name, columns: plainColumns, primary: false };
    // Existing rows must already be unique (as of now).
    const list = plainColumns.map((c) => `t.${quoteIdent(c)}`).join(', ');
    const duplicates = runUserQuery(
      core,
      session,
      `SELECT ${plainColumns.map((c) => `t.${quoteIdent(c)}::text`).join(', ')} FROM ${table.sysView} t
        WHERE ${plainColumns.map((c) => `t.${quoteIdent(c)} IS NOT NULL`).join(' AND ')}
        GROUP BY ${list} HAVING count(*) > 1 LIMIT 1`,
      { snapshot: takeSnapshot(core, session), positionOffset: null, asEngine: true },
    ).rows?.[0];
    if (duplicates) {
      throw PgError.of('23505', `could not create unique index "${name}"`, {
        detail: `Key (${plainColumns.map(quoteIdent).join(', ')})=(${duplicates.map((v) => v ?? 'null').join(', ')}) is duplicated.`,
      });
    }
  }
  const heapIndex = quoteIdent(heapIndexName(table, `x_${name}`));
  const method = stmt.accessMethod && stmt.accessMethod !== 'btree' ? ` USING ${stmt.accessMethod}` : '';
  const elems = (stmt.indexParams ?? []).map((param) => {
    const elem = asNode(param, 'IndexElem');
    return elem?.name ? quoteIdent(elem.name) : null;
  });
  if (elems.every((e) => e !== null)) {
    core.host.script(`CREATE INDEX ${heapIndex} ON ${qualifiedHeap(table)}${method} (${elems.join(', ')})`);
  }
  if (key) table.uniqueKeys.push(key);
  transaction.commandIdUsed = true;
  transaction.currentLevel.undo.push(() => {
    if (key) table.uniqueKeys = table.uniqueKeys.filter((k) => k !== key);
    core.host.script(`DROP INDEX IF EXISTS ${quoteIdent(table.heapSchema)}.${heapIndex}`);
  });
  return commandOk('CREATE INDEX');
}
