/**
 * ALTER TABLE's column subcommands, planned against the heap: ADD COLUMN, DROP COLUMN,
 * ALTER COLUMN TYPE, SET/DROP DEFAULT, SET/DROP NOT NULL.
 *
 * A dropped column is parked under a hidden name until the transaction commits (a rollback renames
 * it back with its data); constraints that PostgreSQL would validate against the table's rows are
 * added NOT VALID on the heap, and the engine checks the rows the latest snapshot sees instead of
 * every version the heap holds.
 */
import type { Constraint, AlterTableCmd, ColumnDef, Node } from '../../sql/ast';
import { asNode, makeNode, nameList } from '../../sql/ast';
import { PgError, unsupported } from '../../errors';
import { quoteIdent, quoteLiteral } from '../../pglite/host';
import { isReservedColumnName } from '../../storage/heapLayout';
import { deparseExpression, parseExpression } from '../../sql/expressions';
import { LEARNER_ROLE } from '../../pglite/host';
import type { AlterTablePlan } from './alterTablePlan';
import { columnDefaultSequences, heapColumn, heapConstraints } from '../../storage/heapCatalog';
import { columnDependencies } from './columnDependencies';

const SERIAL_TYPES: Record<string, string> = {
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
};

/** Columns the statement can see so far (added ones included, dropped ones not). */
export function planColumns(plan: AlterTablePlan): Set<string> {
  plan.columnNames ??= new Set(plan.table.columns.map((c) => c.name));
  return plan.columnNames;
}

function columnMissing(plan: AlterTablePlan, name: string): PgError {
  return PgError.of('42703', `column "${name}" of relation "${plan.table.name}" does not exist`);
}

/** PostgreSQL 18's name for a column's NOT NULL constraint. */
function notNullConstraintName(plan: AlterTablePlan, column: string): string {
  return `${plan.table.name}_${column}_not_null`;
}

/** Adds a NOT NULL constraint (NOT VALID on the heap) and the engine's check of the visible rows. */
export function planSetNotNull(plan: AlterTablePlan, column: string, name?: string): void {
  if (plan.notNullColumns.has(column)) return;
  const known = plan.table.columns.find((c) => c.name === column);
  if (known?.notNull) return;
  plan.notNullColumns.add(column);
  const constraintName = name ?? notNullConstraintName(plan, column);
  plan.after.push(
    (rel) =>
      `ALTER TABLE ${rel} ADD CONSTRAINT ${quoteIdent(constraintName)} NOT NULL ${quoteIdent(column)} NOT VALID`,
  );
  plan.inverse.push((rel) => `ALTER TABLE ${rel} ALTER COLUMN ${quoteIdent(column)} DROP NOT NULL`);
  plan.checks.push({ kind: 'notNull', column });
}

/**
 * ADD COLUMN. PRIMARY KEY, UNIQUE and REFERENCES are returned as table constraints for the engine;
 * serial columns get their sequence in the table's schema, as CREATE TABLE makes them.
 */
export function planAddColumn(plan: AlterTablePlan, cmd: AlterTableCmd): Constraint[] {
  const column = asNode(cmd.def, 'ColumnDef') as ColumnDef | undefined;
  const name = column?.colname ?? '';
  if (!column) throw new Error('ADD COLUMN without a column');
  if (isReservedColumnName(name)) {
    throw unsupported(`column names starting with "__" (they are reserved for the engine's row headers)`);
  }
  const columns = planColumns(plan);
  if (columns.has(name)) {
    if (cmd.missing_ok) {
      plan.notice(`column "${name}" of relation "${plan.table.name}" already exists, skipping`);
      return [];
    }
    throw PgError.of('42701', `column "${name}" of relation "${plan.table.name}" already exists`);
  }
  const engineConstraints: Constraint[] = [];
  const kept: Node[] = [];
  let notNull: Constraint | null = null;
  let hasDefault = false;
  for (const node of column.constraints ?? []) {
    const constraint = asNode(node, 'Constraint') as Constraint;
    switch (constraint.contype) {
      case 'CONSTR_PRIMARY':
      case 'CONSTR_UNIQUE':
        engineConstraints.push({ ...constraint, keys: [makeNode('String', { sval: name })] });
        break;
      case 'CONSTR_FOREIGN':
        engineConstraints.push({ ...constraint, fk_attrs: [makeNode('String', { sval: name })] });
        break;
      case 'CONSTR_NOTNULL':
        notNull = constraint;
        break;
      case 'CONSTR_DEFAULT':
      case 'CONSTR_IDENTITY':
      case 'CONSTR_GENERATED':
        hasDefault = true;
        kept.push(node);
        break;
      default:
        if (constraint.deferrable || constraint.initdeferred) throw unsupported('deferrable constraints');
        kept.push(node);
    }
  }
  let typeName = column.typeName;
  const typeNames = nameList(column.typeName?.names);
  const serial = typeNames.length === 1 ? SERIAL_TYPES[typeNames[0] as string] : undefined;
  if (serial) {
    const table = plan.table;
    const sequence = `${quoteIdent(table.schema)}.${quoteIdent(`${table.name}_${name}_seq`)}`;
    plan.before.push({ sql: () => `CREATE SEQUENCE ${sequence}`, inProbe: true });
    plan.after.push(() => `GRANT USAGE, SELECT ON SEQUENCE ${sequence} TO ${LEARNER_ROLE}`);
    plan.inverse.push(() => `DROP SEQUENCE IF EXISTS ${sequence}`);
    plan.catalogChanges.push(() => {
      const owned = table.ownedSequences;
      table.ownedSequences = [...(owned ?? []), sequence];
      return () => {
        table.ownedSequences = owned;
      };
    });
    typeName = {
      ...column.typeName,
      names: [makeNode('String', { sval: 'pg_catalog' }), makeNode('String', { sval: serial })],
    };
    kept.push(
      makeNode('Constraint', {
        contype: 'CONSTR_DEFAULT',
        raw_expr: parseExpression(`_emul.nextval(${quoteLiteral(sequence)}::regclass)`),
      }),
    );
    hasDefault = true;
    notNull ??= { contype: 'CONSTR_NOTNULL' };
  }
  if (!notNull && engineConstraints.some((c) => c.contype === 'CONSTR_PRIMARY'))
    notNull = { contype: 'CONSTR_NOTNULL' };
  if (notNull && hasDefault) {
    // Every existing version gets the default: PostgreSQL's check of the rows cannot fail on NULLs.
    kept.push(makeNode('Constraint', notNull));
  } else if (notNull) {
    // Existing rows would be NULL: the engine checks the visible ones; dead versions do not count.
    const constraintName = notNull.conname ?? notNullConstraintName(plan, name);
    plan.after.push(
      (rel) =>
        `ALTER TABLE ${rel} ADD CONSTRAINT ${quoteIdent(constraintName)} NOT NULL ${quoteIdent(name)} NOT VALID`,
    );
    plan.checks.push({ kind: 'notNull', column: name });
    plan.notNullColumns.add(name);
  }
  plan.heapCommands.push(
    makeNode('AlterTableCmd', {
      ...cmd,
      def: makeNode('ColumnDef', { ...column, typeName, constraints: kept } as ColumnDef),
    }),
  );
  plan.inverse.push((rel) => `ALTER TABLE ${rel} DROP COLUMN IF EXISTS ${quoteIdent(name)} CASCADE`);
  plan.addedColumns.add(name);
  columns.add(name);
  return engineConstraints;
}

/** DROP COLUMN: the column is parked under a hidden name; its constraints go as PostgreSQL's do. */
export function planDropColumn(plan: AlterTablePlan, cmd: AlterTableCmd): void {
  const name = cmd.name ?? '';
  const table = plan.table;
  const columns = planColumns(plan);
  if (!columns.has(name)) {
    if (cmd.missing_ok) {
      plan.notice(`column "${name}" of relation "${table.name}" does not exist, skipping`);
      return;
    }
    throw columnMissing(plan, name);
  }
  const cascade = cmd.behavior === 'DROP_CASCADE';
  columnDependencies(plan, name, cascade);
  // PostgreSQL drops the column's own keys and foreign keys with it.
  const ownKeys = table.uniqueKeys.filter((k) => k.columns.includes(name));
  const ownForeignKeys = table.foreignKeys.filter((k) => k.columns.includes(name));
  if (ownKeys.length > 0 || ownForeignKeys.length > 0) {
    plan.catalogChanges.push(() => {
      const keys = table.uniqueKeys;
      const foreignKeys = table.foreignKeys;
      table.uniqueKeys = keys.filter((k) => !ownKeys.includes(k));
      table.foreignKeys = foreignKeys.filter((k) => !ownForeignKeys.includes(k));
      return () => {
        table.uniqueKeys = keys;
        table.foreignKeys = foreignKeys;
      };
    });
  }
  // The scratch copy drops the column for real (PostgreSQL's dependency errors); the heap parks it.
  plan.probeCommands.push(
    makeNode('AlterTableCmd', { subtype: 'AT_DropColumn', name, behavior: 'DROP_RESTRICT' }),
  );
  if (cascade) plan.dropCascade = true;
  const column = heapColumn(plan.core, table, name);
  const parked = plan.parkedName();
  for (const constraint of heapConstraints(plan.core, table)) {
    if (constraint.type !== 'c' || !constraint.columns.includes(name)) continue;
    plan.before.push({
      sql: (rel) => `ALTER TABLE ${rel} DROP CONSTRAINT ${quoteIdent(constraint.name)}`,
      inProbe: false,
    });
    const definition = constraint.validated ? `${constraint.definition} NOT VALID` : constraint.definition;
    plan.inverse.push(
      (rel) => `ALTER TABLE ${rel} ADD CONSTRAINT ${quoteIdent(constraint.name)} ${definition}`,
    );
  }
  if (column?.notNull && !column.identity) {
    const notNull = heapConstraints(plan.core, table).find((c) => c.type === 'n' && c.columns.includes(name));
    plan.before.push({
      sql: (rel) => `ALTER TABLE ${rel} ALTER COLUMN ${quoteIdent(name)} DROP NOT NULL`,
      inProbe: false,
    });
    const constraintName = notNull?.name ?? notNullConstraintName(plan, name);
    plan.inverse.push(
      (rel) =>
        `ALTER TABLE ${rel} ADD CONSTRAINT ${quoteIdent(constraintName)} NOT NULL ${quoteIdent(name)} NOT VALID`,
    );
  }
  plan.before.push({
    sql: (rel) => `ALTER TABLE ${rel} RENAME COLUMN ${quoteIdent(name)} TO ${quoteIdent(parked)}`,
    inProbe: false,
  });
  plan.inverse.push((rel) => `ALTER TABLE ${rel} RENAME COLUMN ${quoteIdent(parked)} TO ${quoteIdent(name)}`);
  plan.atCommit.push((rel) => `ALTER TABLE ${rel} DROP COLUMN IF EXISTS ${quoteIdent(parked)} CASCADE`);
  // A serial column's sequence goes with it (PostgreSQL's OWNED BY).
  const used = columnDefaultSequences(plan.core, table, name);
  const owned = (table.ownedSequences ?? []).filter((s) => used.includes(s));
  for (const sequence of owned) plan.atCommit.push(() => `DROP SEQUENCE IF EXISTS ${sequence}`);
  if (owned.length > 0) {
    plan.catalogChanges.push(() => {
      const before = table.ownedSequences;
      table.ownedSequences = (before ?? []).filter((s) => !owned.includes(s));
      return () => {
        table.ownedSequences = before;
      };
    });
  }
  plan.droppedColumns.add(name);
  columns.delete(name);
}

/** ALTER COLUMN … TYPE [USING]: on the heap as written; a rewrite computes the new values. */
export function planAlterColumnType(plan: AlterTablePlan, cmd: AlterTableCmd): void {
  const name = cmd.name ?? '';
  const table = plan.table;
  const def = asNode(cmd.def, 'ColumnDef') as ColumnDef | undefined;
  plan.heapCommands.push(makeNode('AlterTableCmd', cmd));
  if (!planColumns(plan).has(name)) return; // the scratch copy reports PostgreSQL's error
  columnDependencies(plan, name, false, 'alter type');
  const old = heapColumn(plan.core, table, name);
  if (!old) return;
  const collation = old.collation ? ` COLLATE ${old.collation}` : '';
  plan.inverse.push(
    (rel) =>
      `ALTER TABLE ${rel} ALTER COLUMN ${quoteIdent(name)} TYPE ${old.type}${collation} USING ${
        plan.rewrites ? 'NULL' : `${quoteIdent(name)}::${old.type}`
      }`,
  );
  plan.retyped.set(name, def?.raw_default ? deparseExpression(def.raw_default) : quoteIdent(name));
  for (const key of table.uniqueKeys)
    if (key.columns.includes(name)) plan.checks.push({ kind: 'unique', key });
}

/** SET DEFAULT / DROP DEFAULT. */
export function planColumnDefault(plan: AlterTablePlan, cmd: AlterTableCmd): void {
  const name = cmd.name ?? '';
  plan.heapCommands.push(makeNode('AlterTableCmd', cmd));
  const old = planColumns(plan).has(name) ? heapColumn(plan.core, plan.table, name) : undefined;
  if (!old) return;
  const restore = old.defaultExpression === null ? 'DROP DEFAULT' : `SET DEFAULT ${old.defaultExpression}`;
  plan.inverse.push((rel) => `ALTER TABLE ${rel} ALTER COLUMN ${quoteIdent(name)} ${restore}`);
}

/** ALTER COLUMN … SET NOT NULL. */
export function planSetNotNullCommand(plan: AlterTablePlan, cmd: AlterTableCmd): void {
  const name = cmd.name ?? '';
  if (!planColumns(plan).has(name)) throw columnMissing(plan, name);
  planSetNotNull(plan, name);
}

/** ALTER COLUMN … DROP NOT NULL (not on a primary key column). */
export function planDropNotNull(plan: AlterTablePlan, cmd: AlterTableCmd): void {
  const name = cmd.name ?? '';
  const table = plan.table;
  if (!planColumns(plan).has(name)) throw columnMissing(plan, name);
  if (table.uniqueKeys.some((k) => k.primary && k.columns.includes(name))) {
    throw PgError.of('42P16', `column "${name}" is in a primary key`);
  }
  const column = heapColumn(plan.core, table, name);
  if (!column?.notNull) return;
  plan.heapCommands.push(makeNode('AlterTableCmd', cmd));
  const constraint = heapConstraints(plan.core, table).find(
    (c) => c.type === 'n' && c.columns.includes(name),
  );
  const constraintName = constraint?.name ?? notNullConstraintName(plan, name);
  plan.inverse.push(
    (rel) =>
      `ALTER TABLE ${rel} ADD CONSTRAINT ${quoteIdent(constraintName)} NOT NULL ${quoteIdent(name)} NOT VALID`,
  );
}
