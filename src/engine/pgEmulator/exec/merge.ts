/**
 * MERGE: the source is joined to the target on the statement's snapshot; for each joined row the
 * first WHEN clause whose condition holds acts. MATCHED actions (UPDATE, DELETE, DO NOTHING) go
 * through heap_update / heap_delete like UPDATE and DELETE; a row this command already changed is
 * 21000. Under READ COMMITTED a concurrently updated target row is locked at its newest version and
 * the join condition and WHEN clauses are evaluated again on it with the same source row
 * (EvalPlanQual); if it no longer matches, or was deleted, the NOT MATCHED clauses run (PostgreSQL
 * 17+). Under REPEATABLE READ that is 40001. INSERT goes through the ordinary unique-key check.
 * The source row is kept as typed values so that re-checks and actions see exactly that row; rows
 * are taken in the source's order. RETURNING (with merge_action()) is evaluated on the version each
 * action left (the old one for DELETE) and the source row.
 */
import type { ResultField, StatementOutcome } from '../api/results';
import { resolveRelation } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { PgError, serializationFailure, unsupported } from '../errors';
import { quoteIdent } from '../pglite/host';
import { lockRowVersion } from '../rowlocks/lockTuple';
import { heapDeleteDecision, heapUpdateDecision, type ModifyDecision } from '../rowlocks/modifyTuple';
import { RowLockMode } from '../tuples/rowLockModes';
import type { InsertStmt, MergeStmt, MergeWhenClause, Node, ResTarget, SelectStmt } from '../sql/ast';
import { asNode, makeNode, tagOf, columnRef, resTarget } from '../sql/ast';
import { parseExpression } from '../sql/expressions';
import { deparse, parseStatements, type ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import type { TupleHeader } from '../tuples/tupleStore';
import { ensureXid, requireTransaction } from '../xact/lifecycle';
import { resolveView } from './ddl/viewCatalog';
import { fireForeignKeyTriggers, type RowChange, type WriteRunner } from './riTriggers';
import { insertIntoHeap } from './heapInsert';
import { settleLockingSubselects } from './lockingSubselects';
import { prepareModifyTarget, type ModifyTarget } from './modifyTarget';
import { commandOk, rowsShown } from './outcome';
import { expandStars, referenceName } from './queryBuilding';
import { singleVersionRange, sysRange } from '../storage/versionSources';
import { referencesSystemColumns } from './systemColumns';
import { checkUniqueKeys } from './uniqueCheck';
import {
  applyUpdate,
  assignments,
  keyIntactExpression,
  selfModifiedByTrigger,
  type Assignment,
} from './update';
import { runUserQuery } from './userQuery';

interface Clause {
  when: MergeWhenClause;
  matched: boolean;
  /** UPDATE's assignments (empty for other actions). */
  sets: Assignment[];
}

function clauses(target: ModifyTarget, stmt: MergeStmt): Clause[] {
  return (stmt.mergeWhenClauses ?? []).map((node) => {
    const when = asNode(node, 'MergeWhenClause') ?? {};
    const matched = when.matchKind === 'MERGE_WHEN_MATCHED';
    const sets =
      when.commandType === 'CMD_UPDATE'
        ? assignments(target.table, { targetList: when.targetList ?? [] })
        : [];
    return { when, matched, sets };
  });
}

/** What the engine refuses before doing anything. */
function rejectUnsupported(core: EngineCore, session: Session, stmt: MergeStmt): void {
  if (stmt.withClause) throw unsupported('WITH on MERGE');
  if ((stmt.returningClause?.options ?? []).length > 0) throw unsupported('RETURNING WITH (OLD/NEW …)');
  if ((stmt.returningClause?.exprs ?? []).some((e) => referencesSystemColumns(e)))
    throw unsupported('system columns (ctid, xmin, …) in MERGE … RETURNING');
  const relation = stmt.relation;
  if (relation && resolveRelation(core, session, relation) === undefined) {
    const view = resolveView(core, session, relation);
    if (view !== undefined && view !== 'invisible') throw unsupported('MERGE into a view');
  }
  for (const node of stmt.mergeWhenClauses ?? []) {
    const when = asNode(node, 'MergeWhenClause') ?? {};
    if (when.matchKind === 'MERGE_WHEN_NOT_MATCHED_BY_SOURCE')
      throw unsupported('MERGE … WHEN NOT MATCHED BY SOURCE');
    if (when.override && when.override !== 'OVERRIDING_NOT_SET')
      throw unsupported('MERGE … INSERT OVERRIDING SYSTEM/USER VALUE');
    for (const target of when.targetList ?? []) {
      if ((asNode(target, 'ResTarget')?.indirection ?? []).length > 0)
        throw unsupported('MERGE assignments to array elements or composite fields');
    }
  }
  const source = stmt.sourceRelation;
  if (!source || (tagOf(source) !== 'RangeVar' && tagOf(source) !== 'RangeSubselect'))
    throw unsupported('MERGE … USING a join or a function (use a subquery)');
}

function sourceName(source: Node): string {
  const rangeVar = asNode(source, 'RangeVar');
  if (rangeVar) return referenceName(rangeVar);
  const alias = asNode(source, 'RangeSubselect')?.alias?.aliasname;
  if (!alias) throw PgError.of('42601', 'subquery in FROM must have an alias');
  return alias;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** One source row as a FROM item: `(SELECT 'v'::type AS "col", …) AS s`. */
function pinnedSource(
  name: string,
  columns: readonly { name: string; type: string }[],
  values: readonly (string | null)[],
): Node {
  const items = columns.map(
    (c, i) =>
      `${values[i] === null ? 'NULL' : literal(values[i] as string)}::${c.type} AS ${quoteIdent(c.name)}`,
  );
  const [parsed] = parseStatements(`SELECT * FROM (SELECT ${items.join(', ')}) AS ${quoteIdent(name)}`);
  const from = asNode(parsed?.node, 'SelectStmt')?.fromClause?.[0];
  if (!from) throw new Error('could not build the pinned source row');
  return from;
}

function isTrue(value: string | null | undefined): boolean {
  return value === 't';
}

export function* executeMerge(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  stmt: MergeStmt,
  runWrite: WriteRunner,
): Task<StatementOutcome> {
  rejectUnsupported(core, session, stmt);
  if (!stmt.relation) throw new Error('MERGE without a target');
  const target = yield* prepareModifyTarget(core, session, statement, stmt.relation, 'MERGE');
  // Locking sub-selects run first; the statement reads the rows they locked.
  stmt = asNode(
    yield* settleLockingSubselects(core, session, makeNode('MergeStmt', stmt), { snapshot: target.snapshot }),
    'MergeStmt',
  ) as MergeStmt;
  const table = target.table;
  const source = stmt.sourceRelation as Node;
  const sName = sourceName(source);
  const joinCondition = stmt.joinCondition ?? parseExpression('true');
  const all = clauses(target, stmt);
  const transaction = requireTransaction(session);
  ensureXid(core, session);
  transaction.writtenTables.add(table.oid);
  transaction.commandIdUsed = true;
  const cid = transaction.commandId;
  const query = (sql: string): (string | null)[][] =>
    runUserQuery(core, session, sql, { snapshot: target.snapshot, positionOffset: null, asEngine: true })
      .rows ?? [];

  validateClauses(core, session, target, source, joinCondition, all);

  // The join of source and target on the statement's snapshot, in the source's order (PostgreSQL's
  // order when the source is the outer side of the join, as for small sources):
  // [target version or null, source row number, …source row].
  const numbered = makeNode('RangeSubselect', {
    subquery: makeNode('SelectStmt', {
      targetList: [
        resTarget(parseExpression('row_number() OVER ()'), '__pg_n'),
        resTarget(makeNode('ColumnRef', { fields: [{ String: { sval: sName } }, makeNode('A_Star', {})] })),
      ],
      fromClause: [source],
      limitOption: 'LIMIT_OPTION_DEFAULT',
      op: 'SETOP_NONE',
    }),
    alias: { aliasname: sName },
  });
  const join: SelectStmt = {
    targetList: [
      resTarget(columnRef(target.alias, '__pg_tid'), '__pg_tid'),
      resTarget(makeNode('ColumnRef', { fields: [{ String: { sval: sName } }, makeNode('A_Star', {})] })),
    ],
    fromClause: [
      makeNode('JoinExpr', {
        jointype: 'JOIN_LEFT',
        larg: numbered,
        rarg: sysRange(table, target.alias),
        quals: joinCondition,
      }),
    ],
    sortClause: [
      makeNode('SortBy', {
        node: columnRef(sName, '__pg_n'),
        sortby_dir: 'SORTBY_DEFAULT',
        sortby_nulls: 'SORTBY_NULLS_DEFAULT',
      }),
    ],
    limitOption: 'LIMIT_OPTION_DEFAULT',
    op: 'SETOP_NONE',
  };
  const joined = runUserQuery(core, session, deparse(makeNode('SelectStmt', join)), {
    snapshot: target.snapshot,
    positionOffset: null,
    asEngine: true,
  });
  const fields = (joined.fields ?? []).slice(2);
  const typeRows = core.host.rows(
    `SELECT format_type(t, NULL) FROM unnest($1::oid[]) WITH ORDINALITY AS u(t, i) ORDER BY i`,
    [`{${fields.map((f) => f.typeOid).join(',')}}`],
  );
  const columns = fields.map((f, i) => ({ name: f.name, type: typeRows[i]?.[0] ?? 'text' }));

  let affected = 0;
  /** The rows changed, in the order the actions ran (the order their triggers fire). */
  const changes: RowChange[] = [];
  /** RETURNING's rows, in the order the actions ran: the action, the version to read, the source row. */
  const returned: { action: 'INSERT' | 'UPDATE' | 'DELETE'; tid: number; pinned: Node }[] = [];
  const returning = stmt.returningClause?.exprs ?? [];
  // RETURNING is analysed up front too: its columns, on a source row of NULLs and no target row.
  const returningFields =
    returning.length > 0
      ? returningRow(
          core,
          session,
          target,
          returning,
          'UPDATE',
          -1,
          pinnedSource(
            sName,
            columns,
            columns.map(() => null),
          ),
        ).fields
      : [];

  /** The MATCHED clauses evaluated on one target version: null if the join condition fails on it. */
  const evaluateMatched = (pinned: Node, tid: number): (string | null)[] | null => {
    const exprs: Node[] = [];
    for (const clause of all) {
      if (!clause.matched) continue;
      exprs.push(clause.when.condition ?? parseExpression('true'));
      exprs.push(
        clause.when.commandType === 'CMD_UPDATE'
          ? keyIntactExpression(table, target.alias, clause.sets)
          : parseExpression('true'),
      );
    }
    const select: SelectStmt = {
      targetList: [resTarget(parseExpression('true')), ...exprs.map((e) => resTarget(e))],
      fromClause: [pinned, singleVersionRange(table, target.alias, tid)],
      whereClause: joinCondition,
      limitOption: 'LIMIT_OPTION_DEFAULT',
      op: 'SETOP_NONE',
    };
    return query(deparse(makeNode('SelectStmt', select)))[0] ?? null;
  };

  /** The MATCHED path; returns false when the row turned out not to match (run NOT MATCHED). */
  function* whenMatched(pinned: Node, startTid: number): Task<boolean> {
    let tid = startTid;
    let row = evaluateMatched(pinned, tid);
    for (;;) {
      if (!row) return false;
      const matchedClauses = all.filter((c) => c.matched);
      const index = matchedClauses.findIndex((_, i) => isTrue(row?.[1 + 2 * i]));
      if (index < 0) return true;
      const clause = matchedClauses[index] as Clause;
      const keyIntact = isTrue(row[2 + 2 * index]);
      const action = clause.when.commandType;
      if (action === 'CMD_NOTHING') return true;
      const header = core.tuples.get(tid) as TupleHeader;
      const decision: ModifyDecision =
        action === 'CMD_DELETE'
          ? yield* heapDeleteDecision(core, session, table, header)
          : yield* heapUpdateDecision(core, session, table, header, keyIntact);
      if (decision.result === 'Ok') {
        if (action === 'CMD_DELETE') {
          header.xmax = decision.newXmax ?? null;
          header.cmax = cid;
          header.next = null;
          core.markHeaderDirty(header);
          changes.push({ oldTid: tid, newTid: null });
          returned.push({ action: 'DELETE', tid, pinned });
        } else {
          const update = { fromClause: [pinned] };
          const pair = yield* applyUpdate(
            core,
            session,
            target,
            update,
            clause.sets,
            header,
            decision,
            keyIntact,
          );
          changes.push(pair);
          returned.push({ action: 'UPDATE', tid: pair.newTid, pinned });
        }
        affected++;
        return true;
      }
      if (decision.result === 'SelfModified') throw modifiedTwice(decision.cmax ?? null, cid, action);
      if (decision.result === 'Deleted') {
        if (transaction.usesTransactionSnapshot()) throw serializationFailure('delete');
        return false;
      }
      if (decision.result !== 'Updated') throw new Error(`unexpected heap_update result ${decision.result}`);
      if (transaction.usesTransactionSnapshot()) throw serializationFailure('update');
      const mode = action === 'CMD_UPDATE' && keyIntact ? RowLockMode.NoKeyUpdate : RowLockMode.Update;
      const locked = yield* lockRowVersion(core, session, table, tid, mode, 'block', {
        followUpdates: false,
        findLastVersion: true,
      });
      if (locked.result === 'SelfModified')
        throw modifiedTwice(core.tuples.get(locked.tid)?.cmax ?? null, cid, action);
      if (locked.result === 'Deleted') return false;
      if (locked.result !== 'Ok') return true;
      tid = locked.tid;
      row = evaluateMatched(pinned, tid);
    }
  }

  function* whenNotMatched(pinned: Node): Task<void> {
    const notMatched = all.filter((c) => !c.matched);
    if (notMatched.length === 0) return;
    const select: SelectStmt = {
      targetList: notMatched.map((c) => resTarget(c.when.condition ?? parseExpression('true'))),
      fromClause: [pinned],
      limitOption: 'LIMIT_OPTION_DEFAULT',
      op: 'SETOP_NONE',
    };
    const [row] = query(deparse(makeNode('SelectStmt', select)));
    const clause = notMatched.find((_, i) => isTrue(row?.[i]));
    if (!clause || clause.when.commandType !== 'CMD_INSERT') return;
    const tids = insertSourceRow(core, session, target, clause.when, pinned);
    yield* checkUniqueKeys(core, session, table, tids);
    for (const tid of tids) changes.push({ oldTid: null, newTid: tid });
    for (const tid of tids) returned.push({ action: 'INSERT', tid, pinned });
    affected += tids.length;
  }

  for (const joinedRow of joined.rows ?? []) {
    const pinned = pinnedSource(sName, columns, joinedRow.slice(2));
    const tid = joinedRow[0] ?? null;
    const stillMatched = tid !== null && (yield* whenMatched(pinned, Number(tid)));
    if (!stillMatched) yield* whenNotMatched(pinned);
  }

  yield* fireForeignKeyTriggers(core, session, table, changes, runWrite);
  const tag = `MERGE ${affected}`;
  if (returning.length === 0) return commandOk(tag);
  const rows = returned.flatMap(
    (r) => returningRow(core, session, target, returning, r.action, r.tid, r.pinned).rows,
  );
  return rowsShown(core.options.maxResultRows, tag, returningFields, rows);
}

/** `merge_action()` (parsed as MergeSupportFunc) or `pg_catalog.merge_action()`. */
function isMergeActionCall(value: unknown): boolean {
  if ((value as { MergeSupportFunc?: unknown } | null)?.MergeSupportFunc !== undefined) return true;
  const call = (value as { FuncCall?: { funcname?: Node[]; args?: Node[] } } | null)?.FuncCall;
  if (!call || (call.args ?? []).length > 0) return false;
  const name = (call.funcname ?? []).map((n) => asNode(n, 'String')?.sval);
  return name[name.length - 1] === 'merge_action' && (name.length === 1 || name[0] === 'pg_catalog');
}

/** merge_action() in RETURNING: the action's name, as text (the column keeps the name merge_action). */
function withMergeAction(node: Node, action: string): Node {
  const replace = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(replace);
    if (value === null || typeof value !== 'object') return value;
    if (isMergeActionCall(value)) return parseExpression(`${literal(action)}::text`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
  };
  const res = asNode(node, 'ResTarget');
  const out = replace(node) as Node;
  const outRes = asNode(out, 'ResTarget');
  if (outRes && res && !res.name && isMergeActionCall(res.val)) outRes.name = 'merge_action';
  return out;
}

/** One RETURNING row: the expressions on the action's version (the old one for DELETE) and the source row. */
function returningRow(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  returning: readonly Node[],
  action: 'INSERT' | 'UPDATE' | 'DELETE',
  tid: number,
  pinned: Node,
): { fields: ResultField[]; rows: (string | null)[][] } {
  const targetVar = makeNode('RangeVar', { relname: target.alias });
  const exprs = expandStars(returning, [pinned, targetVar], new Map([[target.alias, target.table]])).map(
    (e) => withMergeAction(e, action),
  );
  const select = makeNode('SelectStmt', {
    targetList: exprs,
    fromClause: [pinned, singleVersionRange(target.table, target.alias, tid)],
    limitOption: 'LIMIT_OPTION_DEFAULT',
    op: 'SETOP_NONE',
  });
  const outcome = runUserQuery(core, session, deparse(select), {
    snapshot: target.snapshot,
    positionOffset: null,
    asEngine: true,
  });
  return { fields: outcome.fields ?? [], rows: outcome.rows ?? [] };
}

/**
 * Parse analysis of the WHEN clauses before any row is changed, as PostgreSQL does: the MATCHED
 * clauses' expressions against source and target, the NOT MATCHED ones against the source alone
 * (LIMIT 0: names, types and functions are checked, nothing is evaluated).
 */
function validateClauses(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  source: Node,
  joinCondition: Node,
  all: readonly Clause[],
): void {
  const expressions = (matched: boolean): Node[] =>
    all
      .filter((c) => c.matched === matched)
      .flatMap((c) => [
        ...(c.when.condition ? [c.when.condition] : []),
        ...c.sets.map((set) => set.value),
        ...(c.when.values ?? []),
      ])
      .filter((e) => tagOf(e) !== 'SetToDefault');
  const check = (exprs: Node[], from: Node): void => {
    if (exprs.length === 0) return;
    const select: SelectStmt = {
      targetList: exprs.map((e) => resTarget(e)),
      fromClause: [from],
      limitCount: parseExpression('0'),
      limitOption: 'LIMIT_OPTION_COUNT',
      op: 'SETOP_NONE',
    };
    runUserQuery(core, session, deparse(makeNode('SelectStmt', select)), {
      snapshot: target.snapshot,
      positionOffset: null,
      asEngine: true,
    });
  };
  check(
    expressions(true),
    makeNode('JoinExpr', {
      jointype: 'JOIN_INNER',
      larg: source,
      rarg: sysRange(target.table, target.alias),
      quals: joinCondition,
    }),
  );
  check(expressions(false), source);
}

/** TM_SelfModified in MERGE: by this command it is the cardinality violation, else a trigger's doing. */
function modifiedTwice(cmax: number | null, cid: number, action: MergeWhenClause['commandType']): PgError {
  if (cmax !== null && cmax !== cid)
    return selfModifiedByTrigger(action === 'CMD_DELETE' ? 'deleted' : 'updated');
  return PgError.of('21000', 'MERGE command cannot affect row a second time', {
    hint: 'Ensure that not more than one source row matches any one target row.',
  });
}

/** NOT MATCHED … INSERT: an INSERT … SELECT of the clause's values from the pinned source row. */
function insertSourceRow(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  when: MergeWhenClause,
  pinned: Node,
): number[] {
  const table = target.table;
  const values = when.values ?? [];
  const named = (when.targetList ?? []).map((t) => (asNode(t, 'ResTarget') as ResTarget).name ?? '');
  const names = named.length > 0 ? named : table.columns.slice(0, values.length).map((c) => c.name);
  const keep =
    values.length > names.length ? values.map(() => true) : values.map((v) => tagOf(v) !== 'SetToDefault');
  const cols = names.filter((_, i) => keep[i] ?? true).map((name) => makeNode('ResTarget', { name }));
  const kept = values.filter((_, i) => keep[i]);
  const insert: InsertStmt = {
    relation: { ...target.rangeVar, alias: { aliasname: target.alias } },
    override: 'OVERRIDING_NOT_SET',
  };
  if (kept.length > 0) {
    insert.cols = cols;
    insert.selectStmt = makeNode('SelectStmt', {
      targetList: kept.map((v) => resTarget(v)),
      fromClause: [pinned],
      limitOption: 'LIMIT_OPTION_DEFAULT',
      op: 'SETOP_NONE',
    });
  }
  return insertIntoHeap(core, session, table, insert, target.snapshot).tids;
}
