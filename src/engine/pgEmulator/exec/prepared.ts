/**
 * PREPARE, EXECUTE and DEALLOCATE, and the same for statements prepared at protocol level.
 *
 * PREPARE parse-analyses the statement (so a missing table or column fails there) and fixes its
 * result columns. EXECUTE analyses it again — against the tables and search_path as they are now,
 * like PostgreSQL's plan cache after an invalidation — and fails with 0A000 "cached plan must not
 * change result type" when the result columns differ; otherwise it runs the statement with the
 * parameters substituted as typed constants.
 */
import type { StatementOutcome } from '../api/results';
import { resolveRelation } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { PgError } from '../errors';
import type { DeallocateStmt, ExecuteStmt, Node, PrepareStmt, RangeVar, TypeName } from '../sql/ast';
import { asNode, makeNode, tagOf } from '../sql/ast';
import { deparseExpression, parseExpression } from '../sql/expressions';
import { deparse, type ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import type { DescribedField } from '../session/preparedStatement';
import { takeSnapshot, transactionSnapshotBeforeLocks } from '../xact/lifecycle';
import { activationSteps } from './context';
import { commandOk } from './outcome';
import { expandStars } from './queryBuilding';
import { rewriteStatement } from './rewrite';
import { referencesSystemColumns, withSystemColumns } from './systemColumns';
import { runUserQuery } from './userQuery';
import { relationLocks } from './referencedTables';
import { lockTable } from './tableLocks';
import { LockMode } from '../locks/lockModes';

export interface Analysis {
  parameterTypes: string[];
  fields: DescribedField[] | null;
}

/** The statement as PGlite can parse-analyse it: engine functions routed, writes aimed at the heap. */
function describableForm(core: EngineCore, session: Session, node: Node): Node {
  const rewritten = rewriteStatement({ node, text: '', offset: 0 })?.node ?? node;
  const tag = tagOf(rewritten);
  const payload = (rewritten as unknown as Record<string, Record<string, unknown>>)[tag] as Record<
    string,
    unknown
  >;
  if (tag === 'SelectStmt') {
    const select = { ...payload };
    delete select['lockingClause'];
    const described = { SelectStmt: select } as Node;
    return referencesSystemColumns(described) ? withSystemColumns(core, session, described) : described;
  }
  if (tag === 'InsertStmt' || tag === 'UpdateStmt' || tag === 'DeleteStmt') {
    const relation = payload['relation'] as RangeVar;
    const table = resolveRelation(core, session, relation);
    if (!table || table === 'invisible') return rewritten;
    const alias = relation.alias?.aliasname ?? table.storedAs ?? table.name;
    const returning = (payload['returningClause'] as { exprs?: Node[] } | undefined)?.exprs;
    const copy: Record<string, unknown> = {
      ...payload,
      relation: { ...relation, schemaname: table.heapSchema, relname: table.storedAs ?? table.name },
    };
    if (returning) {
      copy['returningClause'] = {
        exprs: expandStars(returning, [makeNode('RangeVar', { relname: alias })], new Map([[alias, table]])),
      };
    }
    return { [tag]: copy } as unknown as Node;
  }
  if (tag === 'MergeStmt') return describableMerge(core, session, rewritten);
  return rewritten;
}

/** MERGE aimed at the heap: an INSERT without a column list names the user's leading columns. */
function describableMerge(core: EngineCore, session: Session, node: Node): Node {
  const merge = asNode(node, 'MergeStmt') ?? {};
  const relation = merge.relation;
  const table = relation ? resolveRelation(core, session, relation) : undefined;
  if (!relation || !table || table === 'invisible') return node;
  const alias = relation.alias?.aliasname ?? table.storedAs ?? table.name;
  const clauses = (merge.mergeWhenClauses ?? []).map((clause) => {
    const when = asNode(clause, 'MergeWhenClause') ?? {};
    if (when.commandType !== 'CMD_INSERT' || (when.targetList ?? []).length > 0) return clause;
    const values = when.values ?? [];
    const targetList = table.columns
      .slice(0, values.length)
      .map((c) => makeNode('ResTarget', { name: c.name }));
    return makeNode('MergeWhenClause', { ...when, targetList });
  });
  const copy = {
    ...merge,
    relation: { ...relation, schemaname: table.heapSchema, relname: table.storedAs ?? table.name },
    mergeWhenClauses: clauses,
  };
  const returning = merge.returningClause?.exprs;
  if (returning && merge.sourceRelation) {
    copy.returningClause = {
      exprs: expandStars(
        returning,
        [merge.sourceRelation, makeNode('RangeVar', { relname: alias })],
        new Map([[alias, table]]),
      ),
    };
  }
  return makeNode('MergeStmt', copy);
}

function resolveTypeOids(core: EngineCore, typeNames: readonly string[]): number[] {
  if (typeNames.length === 0) return [];
  const row =
    core.host.rows(
      `SELECT ${typeNames.map((t) => `'${t.replace(/'/g, "''")}'::regtype::oid`).join(', ')}`,
    )[0] ?? [];
  return row.map((oid) => Number(oid));
}

/** Parse analysis of a statement for this session (its search_path, its visible tables). */
export function analyse(
  core: EngineCore,
  session: Session,
  node: Node,
  declaredTypes: readonly string[],
): Analysis {
  core.host.pipeline(activationSteps(core, session));
  const described = core.host.wire.describe(
    deparse(describableForm(core, session, node)),
    resolveTypeOids(core, declaredTypes),
  );
  if (described.error) {
    const error = { ...described.error };
    delete error.position;
    throw new PgError(error);
  }
  const names =
    described.parameterTypes.length === 0
      ? []
      : (
          core.host.rows(
            `SELECT ${described.parameterTypes.map((oid) => `format_type(${oid}, NULL)`).join(', ')}`,
          )[0] ?? []
        ).map(String);
  return { parameterTypes: names, fields: described.fields };
}

function sameResultType(a: DescribedField[] | null, b: DescribedField[] | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.length === b.length &&
    a.every(
      (f, i) => f.name === b[i]?.name && f.typeOid === b[i]?.typeOid && f.typeModifier === b[i]?.typeModifier,
    )
  );
}

function typeNameText(node: Node): string {
  return deparseExpression(
    makeNode('TypeCast', { arg: makeNode('A_Const', { isnull: true }), typeName: asNode(node, 'TypeName') }),
  ).replace(/^NULL::/i, '');
}

/** Adds a prepared statement to the session (PREPARE, or a protocol-level Parse). */
export function prepareStatement(
  core: EngineCore,
  session: Session,
  name: string,
  text: string,
  node: Node,
  declaredTypes: readonly string[],
  fromSql: boolean,
): void {
  // SQL PREPARE and protocol Parse share one namespace; only the unnamed statement can be replaced.
  if (name !== '' && session.prepared.has(name))
    throw PgError.of('42P05', `prepared statement "${name}" already exists`);
  const analysis = analyse(core, session, node, declaredTypes);
  session.prepared.set(name, {
    name,
    text,
    node,
    parameterTypes: analysis.parameterTypes,
    resultFields: analysis.fields,
    preparedAt: core.now,
    fromSql,
    genericPlans: 0,
    customPlans: 0,
  });
}

export function executePrepare(
  core: EngineCore,
  session: Session,
  stmt: PrepareStmt,
  text: string,
): StatementOutcome {
  const name = stmt.name ?? '';
  const query = stmt.query;
  if (!query) throw new Error('PREPARE without a statement');
  const body = text.replace(/^\s*PREPARE\s+[\s\S]*?\bAS\b\s*/i, '');
  prepareStatement(core, session, name, body, query, (stmt.argtypes ?? []).map(typeNameText), true);
  return commandOk('PREPARE');
}

/** Replaces $n with typed constants. */
function substituteParameters(
  node: Node,
  values: readonly (string | null)[],
  types: readonly string[],
): Node {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== 'object' || value === null) return value;
    const param = asNode(value as Node, 'ParamRef');
    if (param) {
      const index = (param.number ?? 0) - 1;
      const text = values[index];
      const literal =
        text === null || text === undefined
          ? makeNode('A_Const', { isnull: true })
          : makeNode('A_Const', { sval: { sval: text } });
      return makeNode('TypeCast', { arg: literal, typeName: typeNameOf(types[index] ?? 'unknown') });
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = visit(child);
    return out;
  };
  return visit(node) as Node;
}

/** A TypeName node for a type as format_type prints it. */
function typeNameOf(type: string): TypeName | undefined {
  return asNode(parseExpression(`NULL::${type}`), 'TypeCast')?.typeName;
}

/**
 * The statement to run for an EXECUTE: analysed again (0A000 if its result type changed), with
 * the parameters substituted. `run` executes it like any statement.
 */
export function* executePrepared(
  core: EngineCore,
  session: Session,
  name: string,
  values: readonly (string | null)[],
  run: (statement: ParsedStatement) => Task<StatementOutcome>,
): Task<StatementOutcome> {
  const prepared = session.prepared.get(name);
  if (!prepared) throw PgError.of('26000', `prepared statement "${name}" does not exist`);
  if (values.length !== prepared.parameterTypes.length) {
    throw PgError.of('42601', `wrong number of parameters for prepared statement "${name}"`, {
      detail: `Expected ${prepared.parameterTypes.length} parameters but got ${values.length}.`,
    });
  }
  // RevalidateCachedQuery locks what the plan reads first: a table another transaction is altering
  // is waited for, and the statement is checked against the table as that transaction left it.
  transactionSnapshotBeforeLocks(core, session);
  yield* lockPlanRelations(core, session, prepared.node);
  const now = analyse(core, session, prepared.node, prepared.parameterTypes);
  if (!sameResultType(prepared.resultFields, now.fields)) {
    throw PgError.of('0A000', 'cached plan must not change result type');
  }
  if (prepared.parameterTypes.length === 0 || prepared.customPlans >= 5) prepared.genericPlans++;
  else prepared.customPlans++;
  const node = substituteParameters(prepared.node, values, prepared.parameterTypes);
  return yield* run({ node, text: deparse(node), offset: 0, rewritten: true });
}

/** The locks a plan holds on the relations it uses: a write's target ROW EXCLUSIVE, the rest as read. */
function* lockPlanRelations(core: EngineCore, session: Session, node: Node): Task<void> {
  const payload = (node as unknown as Record<string, { relation?: RangeVar }>)[tagOf(node)];
  const target = tagOf(node) === 'SelectStmt' ? undefined : payload?.relation;
  const table = target ? resolveRelation(core, session, target) : undefined;
  if (target && table && table !== 'invisible')
    yield* lockTable(core, session, table, LockMode.RowExclusive, { rangeVar: target });
  for (const { table: read, rangeVar, mode } of relationLocks(core, session, node, target))
    yield* lockTable(core, session, read, mode, { rangeVar });
}

/** EXECUTE name (args): the arguments are evaluated first, then the prepared statement runs. */
export function* executeExecute(
  core: EngineCore,
  session: Session,
  stmt: ExecuteStmt,
  run: (statement: ParsedStatement) => Task<StatementOutcome>,
): Task<StatementOutcome> {
  const name = stmt.name ?? '';
  const prepared = session.prepared.get(name);
  if (!prepared) throw PgError.of('26000', `prepared statement "${name}" does not exist`);
  const args = stmt.params ?? [];
  // A wrong number of arguments is reported by executePrepared, before anything is evaluated.
  const evaluate = args.length > 0 && args.length === prepared.parameterTypes.length;
  const values = evaluate
    ? evaluateArguments(core, session, args, prepared.parameterTypes)
    : args.map(() => null);
  return yield* executePrepared(core, session, name, values, run);
}

/** EXECUTE's arguments, evaluated (with a snapshot, like any expression) and cast to the parameter types. */
function evaluateArguments(
  core: EngineCore,
  session: Session,
  args: readonly Node[],
  types: readonly string[],
): (string | null)[] {
  transactionSnapshotBeforeLocks(core, session);
  const casts = args.map((arg, i) => `(${deparseExpression(arg)})::${types[i]}::text`);
  const outcome = runUserQuery(core, session, `SELECT ${casts.join(', ')}`, {
    snapshot: takeSnapshot(core, session),
    positionOffset: null,
  });
  return outcome.rows?.[0] ?? [];
}

export function executeDeallocate(session: Session, stmt: DeallocateStmt): StatementOutcome {
  if (stmt.isall) {
    session.prepared.clear();
    return commandOk('DEALLOCATE ALL');
  }
  const name = stmt.name ?? '';
  if (!session.prepared.delete(name))
    throw PgError.of('26000', `prepared statement "${name}" does not exist`);
  return commandOk('DEALLOCATE');
}
