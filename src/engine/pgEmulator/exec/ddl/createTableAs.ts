/**
 * CREATE TABLE … AS and SELECT … INTO: a table whose columns are the query's (names and types as
 * parse analysis gives them, nothing else — no constraints, no defaults), created as CREATE TABLE
 * creates one, then filled by INSERT … SELECT with the statement's snapshot. The command tag is
 * `SELECT n` (`CREATE TABLE AS` WITH NO DATA or when IF NOT EXISTS found the table).
 */
import type { StatementOutcome } from '../../api/results';
import type { EngineCore } from '../../core';
import { PgError, unsupported } from '../../errors';
import { quoteIdent } from '../../pglite/host';
import type { CreateStmt, CreateTableAsStmt, InsertStmt, IntoClause, Node, RangeVar } from '../../sql/ast';
import { asNode, makeNode, stringValue, tagOf } from '../../sql/ast';
import { deparse, parseStatements, type ParsedStatement } from '../../sql/parser';
import type { Session, Task } from '../../session/session';
import { transactionSnapshotBeforeLocks } from '../../xact/lifecycle';
import { executeInsert } from '../insert';
import { commandOk } from '../outcome';
import { relationLocks } from '../referencedTables';
import type { WriteRunner } from '../riTriggers';
import { lockTable } from '../tableLocks';
import { describeColumns } from '../typedRows';
import { executeCreateTable } from './createTable';

function refuseUnsupported(stmt: CreateTableAsStmt, into: IntoClause): void {
  if (stmt.objtype === 'OBJECT_MATVIEW') throw unsupported('materialized views (CREATE MATERIALIZED VIEW)');
  if (into.rel?.relpersistence === 't') throw unsupported('temporary tables');
  if (into.rel?.relpersistence === 'u') throw unsupported('unlogged tables');
  if ((into.options ?? []).length > 0) throw unsupported('CREATE TABLE … WITH (storage parameters) AS');
  if (into.accessMethod) throw unsupported('CREATE TABLE … USING (table access methods)');
  if (into.onCommit && into.onCommit !== 'ONCOMMIT_NOOP') throw unsupported('ON COMMIT');
  if (stmt.query && tagOf(stmt.query) !== 'SelectStmt') throw unsupported('CREATE TABLE … AS EXECUTE');
}

function qualified(rangeVar: RangeVar): string {
  return rangeVar.schemaname
    ? `${quoteIdent(rangeVar.schemaname)}.${quoteIdent(rangeVar.relname ?? '')}`
    : quoteIdent(rangeVar.relname ?? '');
}

/** The CREATE TABLE for the query's columns (renamed by the column list, if any). */
function createStatement(
  core: EngineCore,
  session: Session,
  stmt: CreateTableAsStmt,
  into: IntoClause,
): CreateStmt {
  const columns = describeColumns(core, session, deparse(stmt.query as Node));
  const names = (into.colNames ?? []).map((n) => stringValue(n) ?? '');
  if (names.length > columns.length) throw PgError.of('42601', 'too many column names were specified');
  const definitions = columns.map(
    (column, i) =>
      `${quoteIdent(names[i] ?? column.name)} ${column.type === 'unknown' ? 'text' : column.type}`,
  );
  const ifNotExists = stmt.if_not_exists ? 'IF NOT EXISTS ' : '';
  const [parsed] = parseStatements(
    `CREATE TABLE ${ifNotExists}${qualified(into.rel as RangeVar)} (${definitions.join(', ')})`,
  );
  const create = asNode(parsed?.node, 'CreateStmt');
  if (!create) throw new Error('could not build the table of CREATE TABLE … AS');
  return create;
}

export function* executeCreateTableAs(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  stmt: CreateTableAsStmt,
  runWrite: WriteRunner,
): Task<StatementOutcome> {
  const into = stmt.into;
  if (!into?.rel || !stmt.query) throw new Error('CREATE TABLE … AS without a table or a query');
  refuseUnsupported(stmt, into);
  // Parse analysis locks what the query reads before the table is created.
  transactionSnapshotBeforeLocks(core, session);
  for (const { table, rangeVar, mode } of relationLocks(core, session, stmt.query))
    yield* lockTable(core, session, table, mode, { rangeVar });
  const before = new Set(core.catalog.all().map((table) => table.oid));
  yield* executeCreateTable(core, session, createStatement(core, session, stmt, into));
  const created = core.catalog.all().some((table) => !before.has(table.oid));
  // IF NOT EXISTS found the table (createTable said so in a NOTICE): nothing is inserted.
  if (!created || into.skipData) return commandOk('CREATE TABLE AS');
  const insert: InsertStmt = {
    relation: { ...into.rel },
    selectStmt: stmt.query,
    override: 'OVERRIDING_NOT_SET',
  };
  const node = makeNode('InsertStmt', insert);
  const outcome = yield* executeInsert(
    core,
    session,
    { ...statement, node, rewritten: true },
    insert,
    runWrite,
  );
  const inserted = outcome.kind === 'ok' ? (outcome.rowCount ?? 0) : 0;
  return commandOk(`SELECT ${inserted}`);
}

/** SELECT … INTO is CREATE TABLE … AS (the tag is SELECT n). */
export function selectIntoAsCreateTableAs(select: Node): CreateTableAsStmt | null {
  const payload = asNode(select, 'SelectStmt');
  if (!payload?.intoClause) return null;
  const { intoClause, ...query } = payload;
  return { query: makeNode('SelectStmt', query), into: intoClause, objtype: 'OBJECT_TABLE' };
}
