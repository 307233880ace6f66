/**
 * ALTER TABLE's constraint subcommands: ADD CONSTRAINT (CHECK, NOT NULL, UNIQUE, PRIMARY KEY,
 * FOREIGN KEY, each possibly NOT VALID), DROP CONSTRAINT and VALIDATE CONSTRAINT.
 *
 * CHECK and NOT NULL live on the heap (added NOT VALID there; the engine checks the visible rows).
 * Keys and foreign keys are the engine's, like CREATE TABLE's. A new foreign key locks the
 * referenced table ShareRowExclusiveLock; VALIDATE of a foreign key locks it RowShareLock.
 */
import { foreignKeyActions } from './foreignKeyActions';
import type { ForeignKey, TableInfo, UniqueKey } from '../../catalog/catalog';
import { relationDoesNotExist, resolveTable } from '../../catalog/resolve';
import { PgError, unsupported } from '../../errors';
import { LockMode } from '../../locks/lockModes';
import { quoteIdent } from '../../pglite/host';
import type { AlterTableCmd, Constraint, Node } from '../../sql/ast';
import { makeNode, stringValue } from '../../sql/ast';
import type { Task } from '../../session/session';
import { lockTable } from '../tableLocks';
import { planColumns, planSetNotNull } from './alterTableColumns';
import { alterTableSql, type AlterTablePlan, type CheckName } from './alterTablePlan';
import { heapConstraints } from '../../storage/heapCatalog';

function names(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => stringValue(n) ?? '');
}

/** Names of every constraint of the table (engine keys and foreign keys, heap constraints). */
function constraintNames(plan: AlterTablePlan): Set<string> {
  const table = plan.table;
  return new Set([
    ...table.uniqueKeys.map((k) => k.name),
    ...table.foreignKeys.map((k) => k.name),
    ...heapConstraints(plan.core, table).map((c) => c.name),
    ...plan.newConstraintNames,
  ]);
}

/** ChooseConstraintName / ChooseRelationName: the name, or with a number appended until free. */
function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** Index names used by keys of tables in the same schema (indexes share the relation namespace). */
function indexNamesInSchema(plan: AlterTablePlan): Set<string> {
  const out = new Set<string>(plan.newConstraintNames);
  for (const table of plan.core.catalog.all())
    if (table.schema === plan.table.schema) for (const key of table.uniqueKeys) out.add(key.name);
  return out;
}

function rejectUnsupportedConstraint(constraint: Constraint): void {
  if (constraint.deferrable || constraint.initdeferred) throw unsupported('deferrable constraints');
  if (constraint.contype === 'CONSTR_EXCLUSION') throw unsupported('exclusion constraints');
  if (constraint.indexname) throw unsupported('ADD CONSTRAINT … USING INDEX');
  if ((constraint.including ?? []).length > 0) throw unsupported('INCLUDE columns in keys');
  if (constraint.nulls_not_distinct) throw unsupported('UNIQUE NULLS NOT DISTINCT');
  if (constraint.is_enforced === false) throw unsupported('NOT ENFORCED constraints');
}

function planCheck(plan: AlterTablePlan, constraint: Constraint): void {
  const holder: CheckName = { name: constraint.conname ?? null };
  if (constraint.conname) {
    if (constraintNames(plan).has(constraint.conname)) {
      throw PgError.of(
        '42710',
        `constraint "${constraint.conname}" for relation "${plan.table.name}" already exists`,
      );
    }
    plan.newConstraintNames.add(constraint.conname);
  } else plan.unnamedChecks.push(holder);
  const notValid = makeNode('Constraint', { ...constraint, skip_validation: true, initially_valid: false });
  const addSql = alterTableSql([makeNode('AlterTableCmd', { subtype: 'AT_AddConstraint', def: notValid })]);
  plan.after.push((rel) => addSql(rel));
  plan.inverse.push((rel) => `ALTER TABLE ${rel} DROP CONSTRAINT IF EXISTS ${quoteIdent(holder.name ?? '')}`);
  if (!constraint.skip_validation) plan.checks.push({ kind: 'check', constraint: holder });
}

function planKey(plan: AlterTablePlan, constraint: Constraint): void {
  const table = plan.table;
  const primary = constraint.contype === 'CONSTR_PRIMARY';
  const columns = names(constraint.keys);
  const known = planColumns(plan);
  for (const column of columns) {
    if (!known.has(column)) throw PgError.of('42703', `column "${column}" named in key does not exist`);
  }
  if (primary && (table.uniqueKeys.some((k) => k.primary) || plan.newKeys.some((k) => k.primary))) {
    throw PgError.of('42P16', `multiple primary keys for table "${table.name}" are not allowed`);
  }
  const taken = indexNamesInSchema(plan);
  if (constraint.conname && taken.has(constraint.conname)) {
    throw PgError.of('42P07', `relation "${constraint.conname}" already exists`);
  }
  const name =
    constraint.conname ??
    freeName(primary ? `${table.name}_pkey` : `${table.name}_${columns.join('_')}_key`, taken);
  plan.newConstraintNames.add(name);
  const key: UniqueKey = { name, columns, primary };
  plan.newKeys.push(key);
  if (primary) for (const column of columns) planSetNotNull(plan, column);
  plan.after.push((rel) => `CREATE INDEX ON ${rel} (${columns.map(quoteIdent).join(', ')})`);
  plan.checks.push({ kind: 'unique', key });
  plan.catalogChanges.push(() => {
    table.uniqueKeys.push(key);
    return () => {
      table.uniqueKeys = table.uniqueKeys.filter((k) => k !== key);
    };
  });
}

function* planForeignKey(plan: AlterTablePlan, constraint: Constraint): Task<void> {
  const { core, session, table } = plan;
  if (constraint.fk_matchtype === 'f' || constraint.fk_matchtype === 'p')
    throw unsupported('MATCH FULL / MATCH PARTIAL foreign keys');
  const columns = names(constraint.fk_attrs);
  const known = planColumns(plan);
  for (const column of columns) {
    if (!known.has(column)) {
      throw PgError.of('42703', `column "${column}" referenced in foreign key constraint does not exist`);
    }
  }
  const pkRangeVar = constraint.pktable;
  if (!pkRangeVar) throw new Error('foreign key without a referenced table');
  const self =
    pkRangeVar.relname === table.name &&
    (pkRangeVar.schemaname === undefined || pkRangeVar.schemaname === table.schema);
  const referenced: TableInfo | undefined = self ? table : resolveTable(core, session, pkRangeVar);
  if (!referenced) throw relationDoesNotExist(pkRangeVar);
  if (!self)
    yield* lockTable(core, session, referenced, LockMode.ShareRowExclusive, { rangeVar: pkRangeVar });
  const referencedKeys = self ? [...referenced.uniqueKeys, ...plan.newKeys] : referenced.uniqueKeys;
  let referencedColumns = names(constraint.pk_attrs);
  if (referencedColumns.length === 0) {
    const pk = referencedKeys.find((k) => k.primary);
    if (!pk) throw PgError.of('42830', `there is no primary key for referenced table "${referenced.name}"`);
    referencedColumns = pk.columns;
  } else {
    for (const column of referencedColumns) {
      if (!referenced.columns.some((c) => c.name === column)) {
        throw PgError.of('42703', `column "${column}" referenced in foreign key constraint does not exist`);
      }
    }
  }
  if (referencedColumns.length !== columns.length) {
    throw PgError.of('42830', 'number of referencing and referenced columns for foreign key disagree');
  }
  const matches = referencedKeys.some(
    (k) =>
      k.columns.length === referencedColumns.length && k.columns.every((c) => referencedColumns.includes(c)),
  );
  if (!matches) {
    throw PgError.of(
      '42830',
      `there is no unique constraint matching given keys for referenced table "${referenced.name}"`,
    );
  }
  const taken = constraintNames(plan);
  if (constraint.conname && taken.has(constraint.conname)) {
    throw PgError.of(
      '42710',
      `constraint "${constraint.conname}" for relation "${table.name}" already exists`,
    );
  }
  const name = constraint.conname ?? freeName(`${table.name}_${columns.join('_')}_fkey`, taken);
  plan.newConstraintNames.add(name);
  const key: ForeignKey = {
    name,
    columns,
    referencedTableOid: referenced.oid,
    referencedColumns,
    ...foreignKeyActions(constraint),
  };
  if (constraint.skip_validation) key.notValid = true;
  else plan.checks.push({ kind: 'foreignKey', key });
  plan.catalogChanges.push(() => {
    table.foreignKeys.push(key);
    return () => {
      table.foreignKeys = table.foreignKeys.filter((k) => k !== key);
    };
  });
}

/** ADD CONSTRAINT (or a key written on a new column). */
export function* planAddConstraint(plan: AlterTablePlan, constraint: Constraint): Task<void> {
  rejectUnsupportedConstraint(constraint);
  switch (constraint.contype) {
    case 'CONSTR_CHECK':
      planCheck(plan, constraint);
      return;
    case 'CONSTR_NOTNULL': {
      const [column] = names(constraint.keys);
      if (column === undefined || !planColumns(plan).has(column)) {
        throw PgError.of('42703', `column "${column ?? ''}" of relation "${plan.table.name}" does not exist`);
      }
      planSetNotNull(plan, column, constraint.conname);
      return;
    }
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
      planKey(plan, constraint);
      return;
    case 'CONSTR_FOREIGN':
      yield* planForeignKey(plan, constraint);
      return;
    default:
      throw unsupported(`ALTER TABLE … ADD ${constraint.contype?.replace('CONSTR_', '') ?? ''} constraints`);
  }
}

function dependentsOfKey(plan: AlterTablePlan, key: UniqueKey): { table: TableInfo; key: ForeignKey }[] {
  return plan.core.catalog
    .referencing(plan.table.oid)
    .filter(
      ({ key: fk }) =>
        fk.referencedColumns.length === key.columns.length &&
        fk.referencedColumns.every((c) => key.columns.includes(c)),
    );
}

/** DROP CONSTRAINT: an engine key (with the foreign keys that need it, under CASCADE), an engine foreign key, or a heap CHECK / NOT NULL. */
export function planDropConstraint(plan: AlterTablePlan, cmd: AlterTableCmd): void {
  const name = cmd.name ?? '';
  const table = plan.table;
  const key = table.uniqueKeys.find((k) => k.name === name);
  if (key) {
    const dependents = dependentsOfKey(plan, key);
    const lines = dependents.map(
      ({ table: child, key: fk }) => `constraint ${fk.name} on table ${child.name}`,
    );
    if (dependents.length > 0 && cmd.behavior !== 'DROP_CASCADE') {
      throw PgError.of(
        '2BP01',
        `cannot drop constraint ${name} on table ${table.name} because other objects depend on it`,
        {
          detail: lines.map((line) => `${line} depends on index ${name}`).join('\n'),
          hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
        },
      );
    }
    if (lines.length === 1) plan.notice(`drop cascades to ${lines[0]}`);
    else if (lines.length > 1)
      plan.notices.push({
        severity: 'NOTICE',
        sqlstate: '00000',
        message: `drop cascades to ${lines.length} other objects`,
        detail: lines.map((line) => `drop cascades to ${line}`).join('\n'),
      });
    plan.catalogChanges.push(() => {
      const keys = table.uniqueKeys;
      table.uniqueKeys = keys.filter((k) => k !== key);
      for (const { table: child, key: fk } of dependents)
        child.foreignKeys = child.foreignKeys.filter((k) => k !== fk);
      return () => {
        table.uniqueKeys = keys;
        for (const { table: child, key: fk } of dependents)
          if (!child.foreignKeys.includes(fk)) child.foreignKeys.push(fk);
      };
    });
    return;
  }
  const foreignKey = table.foreignKeys.find((k) => k.name === name);
  if (foreignKey) {
    plan.catalogChanges.push(() => {
      table.foreignKeys = table.foreignKeys.filter((k) => k !== foreignKey);
      return () => {
        if (!table.foreignKeys.includes(foreignKey)) table.foreignKeys.push(foreignKey);
      };
    });
    return;
  }
  const heapConstraint = heapConstraints(plan.core, table).find((c) => c.name === name);
  if (heapConstraint) {
    if (heapConstraint.type === 'n') {
      const [column] = heapConstraint.columns;
      if (column !== undefined && table.uniqueKeys.some((k) => k.primary && k.columns.includes(column))) {
        throw PgError.of('42P16', `column "${column}" is in a primary key`);
      }
    }
    plan.heapCommands.push(makeNode('AlterTableCmd', { ...cmd, behavior: 'DROP_RESTRICT' }));
    const definition = heapConstraint.definition.endsWith(' NOT VALID')
      ? heapConstraint.definition
      : `${heapConstraint.definition} NOT VALID`;
    plan.inverse.push((rel) => `ALTER TABLE ${rel} ADD CONSTRAINT ${quoteIdent(name)} ${definition}`);
    return;
  }
  if (cmd.missing_ok) {
    plan.notice(`constraint "${name}" of relation "${table.name}" does not exist, skipping`);
    return;
  }
  throw PgError.of('42704', `constraint "${name}" of relation "${table.name}" does not exist`);
}

/** VALIDATE CONSTRAINT: checks the visible rows against a foreign key, CHECK or NOT NULL constraint. */
export function* planValidateConstraint(plan: AlterTablePlan, cmd: AlterTableCmd): Task<void> {
  const { core, session, table } = plan;
  const name = cmd.name ?? '';
  const foreignKey = table.foreignKeys.find((k) => k.name === name);
  if (foreignKey) {
    const referenced = core.catalog.get(foreignKey.referencedTableOid);
    if (referenced && referenced !== table) yield* lockTable(core, session, referenced, LockMode.RowShare);
    if (!foreignKey.notValid) return;
    plan.checks.push({ kind: 'foreignKey', key: foreignKey });
    plan.catalogChanges.push(() => {
      delete foreignKey.notValid;
      return () => {
        foreignKey.notValid = true;
      };
    });
    return;
  }
  const heapConstraint = heapConstraints(core, table).find((c) => c.name === name);
  if (heapConstraint) {
    if (heapConstraint.type === 'c') plan.checks.push({ kind: 'check', constraint: { name } });
    else for (const column of heapConstraint.columns) plan.checks.push({ kind: 'notNull', column });
    return;
  }
  if (table.uniqueKeys.some((k) => k.name === name)) {
    throw PgError.of(
      '42809',
      `constraint "${name}" of relation "${table.name}" is not a foreign key, check, or not-null constraint`,
    );
  }
  throw PgError.of('42704', `constraint "${name}" of relation "${table.name}" does not exist`);
}
