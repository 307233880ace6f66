/**
 * CREATE TABLE: the heap (hidden header columns first, then the user's columns with their NOT NULL,
 * CHECK, DEFAULT and identity/generated definitions), the user view and the engine view. Primary
 * keys, unique constraints and foreign keys are enforced by the engine, so they are recorded in its
 * catalog instead of being created in PGlite.
 */
import { foreignKeyActions } from './foreignKeyActions';
import type { StatementOutcome } from '../../api/results';
import type { ForeignKey, TableInfo, UniqueKey } from '../../catalog/catalog';
import { creationSchema, relationDoesNotExist, resolveTable } from '../../catalog/resolve';
import type { EngineCore } from '../../core';
import { PgError, unsupported } from '../../errors';
import { LockMode } from '../../locks/lockModes';
import { quoteIdent, quoteLiteral } from '../../pglite/host';
import { HIDDEN_COLUMNS, heapSchemaOf, isReservedColumnName, sysViewName } from '../../storage/heapLayout';
import type { ColumnDef, Constraint, CreateStmt, Node } from '../../sql/ast';
import { asNode, nameList, stringValue } from '../../sql/ast';
import { deparse, parseStatements } from '../../sql/parser';
import { parseExpression } from '../../sql/expressions';
import type { Session, Task } from '../../session/session';
import { ensureXid, requireTransaction } from '../../xact/lifecycle';
import { commandOk } from '../outcome';
import { lockTable } from '../tableLocks';
import { emitNotices } from '../userQuery';
import { relationNameTaken } from './relationNames';
import { schemaExistsFor } from '../../catalog/resolve';
import { ensureSequenceFunctions } from './sequenceFunctions';
import {
  createKeyIndexes,
  createTableViews,
  dropTableStorage,
  loadColumns,
  relationOid,
} from '../../storage/tableStorage';

const SERIAL_TYPES: Record<string, string> = {
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
};

interface PendingForeignKey {
  name: string | undefined;
  columns: string[];
  constraint: Constraint;
}

function keyNames(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => stringValue(n) ?? '');
}

function hiddenColumnDefs(): Node[] {
  const sql = `CREATE TABLE x (${HIDDEN_COLUMNS.map(([name, definition]) => `${name} ${definition}`).join(', ')})`;
  const [parsed] = parseStatements(sql);
  return asNode(parsed?.node, 'CreateStmt')?.tableElts ?? [];
}

function rejectUnsupported(stmt: CreateStmt): void {
  if (stmt.relation?.relpersistence === 't') throw unsupported('temporary tables');
  if (stmt.partspec) throw unsupported('partitioned tables');
  if (stmt.partbound) throw unsupported('table partitions');
  if ((stmt.inhRelations ?? []).length > 0) throw unsupported('table inheritance (INHERITS)');
  if (stmt.ofTypename) throw unsupported('typed tables (OF type)');
  for (const element of stmt.tableElts ?? []) {
    if (asNode(element, 'TableLikeClause')) throw unsupported('CREATE TABLE … (LIKE …)');
    const constraint = asNode(element, 'Constraint');
    if (constraint?.contype === 'CONSTR_EXCLUSION') throw unsupported('exclusion constraints');
    if (constraint && (constraint.deferrable || constraint.initdeferred))
      throw unsupported('deferrable constraints');
  }
}

export function* executeCreateTable(
  core: EngineCore,
  session: Session,
  stmt: CreateStmt,
): Task<StatementOutcome> {
  rejectUnsupported(stmt);
  const rangeVar = stmt.relation;
  if (!rangeVar?.relname) throw new Error('CREATE TABLE without a name');
  const name = rangeVar.relname;
  const schema = rangeVar.schemaname ?? creationSchema(core, session);
  if (!schemaExistsFor(core, session, schema)) {
    throw PgError.of(
      '3F000',
      `schema "${schema}" does not exist`,
      rangeVar.location !== undefined ? { position: rangeVar.location + 1 } : {},
    );
  }
  if (
    core.catalog.findAll(schema, name).some((t) => t.droppedBy === null) ||
    relationNameTaken(core, schema, name)
  ) {
    if (stmt.if_not_exists) {
      emitNotices(core, session, [
        { severity: 'NOTICE', sqlstate: '42P07', message: `relation "${name}" already exists, skipping` },
      ]);
      return commandOk('CREATE TABLE');
    }
    throw PgError.of('42P07', `relation "${name}" already exists`);
  }

  ensureSequenceFunctions(core);
  const heapSchema = heapSchemaOf(schema);
  const uniqueKeys: UniqueKey[] = [];
  const pendingForeignKeys: PendingForeignKey[] = [];
  const sequences: string[] = [];
  const elements: Node[] = [];
  const addUnique = (constraint: Constraint, columns: string[]): void => {
    const primary = constraint.contype === 'CONSTR_PRIMARY';
    if (primary && uniqueKeys.some((k) => k.primary)) {
      throw PgError.of('42P16', `multiple primary keys for table "${name}" are not allowed`);
    }
    const keyName = constraint.conname ?? (primary ? `${name}_pkey` : `${name}_${columns.join('_')}_key`);
    uniqueKeys.push({ name: keyName, columns, primary });
  };

  for (const element of stmt.tableElts ?? []) {
    const column = asNode(element, 'ColumnDef') as ColumnDef | undefined;
    if (column) {
      const columnName = column.colname ?? '';
      if (isReservedColumnName(columnName)) {
        throw unsupported(`column names starting with "__" (they are reserved for the engine's row headers)`);
      }
      const kept: Node[] = [];
      let notNull = false;
      for (const c of column.constraints ?? []) {
        const constraint = asNode(c, 'Constraint') as Constraint;
        switch (constraint.contype) {
          case 'CONSTR_PRIMARY':
            addUnique(constraint, [columnName]);
            notNull = true;
            break;
          case 'CONSTR_UNIQUE':
            addUnique(constraint, [columnName]);
            break;
          case 'CONSTR_FOREIGN':
            pendingForeignKeys.push({ name: constraint.conname, columns: [columnName], constraint });
            break;
          case 'CONSTR_NOTNULL':
            notNull = true;
            kept.push(c);
            break;
          default:
            kept.push(c);
        }
      }
      const typeNames = nameList(column.typeName?.names);
      const serial = typeNames.length === 1 ? SERIAL_TYPES[typeNames[0] as string] : undefined;
      let typeName = column.typeName;
      if (serial) {
        const sequence = `${quoteIdent(schema)}.${quoteIdent(`${name}_${columnName}_seq`)}`;
        sequences.push(sequence);
        typeName = {
          ...column.typeName,
          names: [{ String: { sval: 'pg_catalog' } }, { String: { sval: serial } }],
        };
        kept.push({
          Constraint: {
            contype: 'CONSTR_DEFAULT',
            raw_expr: parseExpression(`_emul.nextval(${quoteLiteral(sequence)}::regclass)`),
          },
        } as Node);
        notNull = true;
      }
      if (notNull && !kept.some((c) => asNode(c, 'Constraint')?.contype === 'CONSTR_NOTNULL')) {
        kept.push({ Constraint: { contype: 'CONSTR_NOTNULL' } } as Node);
      }
      elements.push({ ColumnDef: { ...column, typeName, constraints: kept } } as Node);
      continue;
    }
    const constraint = asNode(element, 'Constraint') as Constraint | undefined;
    if (!constraint) {
      elements.push(element);
      continue;
    }
    if (constraint.contype === 'CONSTR_PRIMARY' || constraint.contype === 'CONSTR_UNIQUE') {
      addUnique(constraint, keyNames(constraint.keys));
    } else if (constraint.contype === 'CONSTR_FOREIGN') {
      pendingForeignKeys.push({
        name: constraint.conname,
        columns: keyNames(constraint.fk_attrs),
        constraint,
      });
    } else {
      elements.push(element);
    }
  }
  // Primary key columns are NOT NULL.
  const primary = uniqueKeys.find((k) => k.primary);
  if (primary) {
    for (let i = 0; i < elements.length; i++) {
      const column = asNode(elements[i], 'ColumnDef');
      if (!column || !primary.columns.includes(column.colname ?? '')) continue;
      const constraints = column.constraints ?? [];
      if (!constraints.some((c) => asNode(c, 'Constraint')?.contype === 'CONSTR_NOTNULL')) {
        elements[i] = {
          ColumnDef: {
            ...column,
            constraints: [...constraints, { Constraint: { contype: 'CONSTR_NOTNULL' } } as Node],
          },
        } as Node;
      }
    }
  }

  // Foreign keys lock the referenced tables (ShareRowExclusiveLock) and must match a key there.
  const foreignKeys: ForeignKey[] = [];
  for (const pending of pendingForeignKeys) {
    const pkRangeVar = pending.constraint.pktable;
    if (!pkRangeVar) throw new Error('foreign key without a referenced table');
    const referenced =
      pkRangeVar.relname === name && (pkRangeVar.schemaname ?? schema) === schema
        ? 'self'
        : resolveTable(core, session, pkRangeVar);
    if (!referenced) throw relationDoesNotExist(pkRangeVar);
    let referencedColumns = keyNames(pending.constraint.pk_attrs);
    const referencedKeys = referenced === 'self' ? uniqueKeys : referenced.uniqueKeys;
    const referencedName = referenced === 'self' ? name : referenced.name;
    if (referencedColumns.length === 0) {
      const pk = referencedKeys.find((k) => k.primary);
      if (!pk) throw PgError.of('42830', `there is no primary key for referenced table "${referencedName}"`);
      referencedColumns = pk.columns;
    }
    if (referencedColumns.length !== pending.columns.length) {
      throw PgError.of('42830', 'number of referencing and referenced columns for foreign key disagree');
    }
    const matches = referencedKeys.some(
      (k) =>
        k.columns.length === referencedColumns.length &&
        k.columns.every((c) => referencedColumns.includes(c)),
    );
    if (!matches) {
      throw PgError.of(
        '42830',
        `there is no unique constraint matching given keys for referenced table "${referencedName}"`,
      );
    }
    if (referenced !== 'self')
      yield* lockTable(core, session, referenced, LockMode.ShareRowExclusive, { rangeVar: pkRangeVar });
    foreignKeys.push({
      name: pending.name ?? `${name}_${pending.columns.join('_')}_fkey`,
      columns: pending.columns,
      referencedTableOid: referenced === 'self' ? -1 : referenced.oid,
      referencedColumns,
      ...foreignKeyActions(pending.constraint),
    });
  }

  const heapStmt: CreateStmt = {
    ...stmt,
    if_not_exists: false,
    // The heap is UNLOGGED: nothing here needs crash recovery, and skipping WAL makes writes much cheaper.
    relation: { ...rangeVar, schemaname: heapSchema, relname: name, relpersistence: 'u' },
    tableElts: [...hiddenColumnDefs(), ...elements],
  };
  const xid = ensureXid(core, session);
  const script = [...sequences.map((s) => `CREATE SEQUENCE ${s}`), deparse({ CreateStmt: heapStmt } as Node)];
  try {
    core.host.script(script.join(';\n'));
  } catch (error) {
    // Undo what the failed script created (PGlite ran it as one implicit transaction, so nothing remains).
    throw stripPosition(error);
  }
  const dropHeap = (): void => {
    core.host.script(
      [
        `DROP TABLE IF EXISTS ${quoteIdent(heapSchema)}.${quoteIdent(name)} CASCADE`,
        ...sequences.map((s) => `DROP SEQUENCE IF EXISTS ${s}`),
      ].join(';\n'),
    );
  };
  const heapOid = relationOid(core, heapSchema, name);
  const table: TableInfo = {
    oid: 0,
    schema,
    name,
    heapSchema,
    sysView: sysViewName(heapOid),
    columns: loadColumns(core, heapSchema, name),
    uniqueKeys,
    foreignKeys,
    createdBy: xid,
    droppedBy: null,
    ownedSequences: sequences,
  };
  for (const key of uniqueKeys) {
    for (const column of key.columns) {
      if (!table.columns.some((c) => c.name === column)) {
        dropHeap();
        throw PgError.of('42703', `column "${column}" named in key does not exist`);
      }
    }
  }
  try {
    createTableViews(core, table);
    createKeyIndexes(core, table);
  } catch (error) {
    core.host.script(`DROP VIEW IF EXISTS ${table.sysView}`);
    if (table.oid !== 0) core.host.script(`DROP VIEW IF EXISTS ${quoteIdent(schema)}.${quoteIdent(name)}`);
    dropHeap();
    throw stripPosition(error);
  }
  for (const key of table.foreignKeys) if (key.referencedTableOid === -1) key.referencedTableOid = table.oid;
  for (const sequence of sequences) {
    core.host.script(`GRANT USAGE, SELECT ON SEQUENCE ${sequence} TO playground_learner`);
  }
  core.catalog.add(table);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  const level = transaction.currentLevel;
  level.undo.push(() => {
    dropTableStorage(core, table);
    if (sequences.length > 0)
      core.host.script(sequences.map((s) => `DROP SEQUENCE IF EXISTS ${s}`).join(';\n'));
    core.catalog.remove(table.oid);
  });
  level.onCommit.push(() => {
    table.createdBy = null;
  });
  // The creator holds AccessExclusiveLock on the new table until commit.
  yield* lockTable(core, session, table, LockMode.AccessExclusive);
  return commandOk('CREATE TABLE');
}

function stripPosition(error: unknown): unknown {
  if (error instanceof PgError && error.pg.position !== undefined) {
    const pg = { ...error.pg };
    delete pg.position;
    return new PgError(pg);
  }
  return error;
}
