/**
 * A statement whose WITH holds data-modifying statements (INSERT, UPDATE, DELETE), e.g.
 * `WITH moved AS (DELETE FROM jobs … RETURNING *) INSERT INTO archive SELECT * FROM moved`.
 *
 * PostgreSQL locks every relation while it analyses the WITH list and then the main statement, and
 * takes one snapshot for the whole statement. A data-modifying CTE runs when something reads it,
 * and to completion in any case (ExecPostprocessPlan, execMain.c); all parts share the snapshot and
 * one command id, so none of them sees the others' changes to tables — only the rows a CTE returns.
 *
 * The engine follows that: the locks first; then each data-modifying CTE that something reads runs
 * (with the statement's snapshot; it may wait for row locks) and its RETURNING rows, typed, stand
 * in for it; then the main statement, with the command id the statement began with; then each
 * data-modifying CTE nothing reads. MERGE in WITH, WITH RECURSIVE with writes, and data-modifying
 * statements anywhere but the top-level WITH fail with 0A000.
 */
import type { StatementOutcome } from '../api/results';
import { resolveRelation } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { PgError, unsupported } from '../errors';
import { LockMode } from '../locks/lockModes';
import type { CommonTableExpr, Node, RangeVar, SelectStmt, WithClause } from '../sql/ast';
import { asNode, makeNode, resTarget, tagOf } from '../sql/ast';
import { deparse, type ParsedStatement } from '../sql/parser';
import { walk } from '../sql/walk';
import type { Session, Task } from '../session/session';
import { requireTransaction, transactionSnapshotBeforeLocks } from '../xact/lifecycle';
import { WRITING_STATEMENTS } from './cteInlining';
import { relationLocks } from './referencedTables';
import { lockTable } from './tableLocks';
import { describeColumns, typedRowsQuery } from './typedRows';

interface CteEntry {
  node: Node;
  cte: CommonTableExpr;
  name: string;
  query: Node;
  writes: boolean;
  /** A data-modifying CTE that the statement (or another CTE) reads. */
  read: boolean;
}

/** A statement split into its main part and its data-modifying CTEs. */
export interface StatementWithWrites {
  /** The statement itself, with its WITH list as analysed. */
  statement: Node;
  entries: CteEntry[];
}

type Payload = Record<string, unknown> & { withClause?: WithClause };

function payloadOf(node: Node): Payload {
  return ((node as unknown as Record<string, Payload>)[tagOf(node)] ?? {}) as Payload;
}

function withCtes(node: Node, ctes: Node[]): Node {
  const payload = { ...payloadOf(node) };
  if (ctes.length > 0) payload.withClause = { ...(payload.withClause ?? {}), ctes };
  else delete payload.withClause;
  return { [tagOf(node)]: payload } as unknown as Node;
}

/** Refuses data-modifying statements anywhere under `root` (`root` itself may be one). */
function refuseNestedWrites(root: Node): void {
  walk(root, {
    enter(node, tag) {
      if (node !== root && WRITING_STATEMENTS.has(tag)) {
        throw unsupported('data-modifying statements in WITH except at the top level of a statement');
      }
    },
  });
}

/** True when some relation reference under `root` names the CTE `name` (shadowing counted as reading). */
function readsCte(root: Node, name: string): boolean {
  let reads = false;
  walk(root, {
    enter(node, tag, scope) {
      if (tag !== 'RangeVar') return;
      const rangeVar = asNode(node, 'RangeVar') as RangeVar;
      if (!rangeVar.schemaname && rangeVar.relname === name && scope.has(name)) reads = true;
    },
  });
  return reads;
}

/** The write as a statement of its own, reading the CTEs before it (its own WITH shadows them). */
function standalone(write: Node, readable: readonly Node[], recursive: boolean): Node {
  const own = payloadOf(write).withClause?.ctes ?? [];
  const ownNames = new Set(own.map((c) => asNode(c, 'CommonTableExpr')?.ctename));
  const inherited = readable.filter((c) => !ownNames.has(asNode(c, 'CommonTableExpr')?.ctename));
  const ctes = [...inherited, ...own];
  if (ctes.length === 0) return write;
  const payload = { ...payloadOf(write) };
  payload.withClause = { ctes, recursive: recursive || payload.withClause?.recursive === true };
  return { [tagOf(write)]: payload } as unknown as Node;
}

/**
 * The statement's data-modifying CTEs, or null when it has none. Throws 0A000 for what the engine
 * does not run: MERGE in WITH, writes below the top level, WITH RECURSIVE with writes.
 */
export function splitWritingCtes(statement: Node): StatementWithWrites | null {
  const withClause = payloadOf(statement).withClause;
  const entries: CteEntry[] = (withClause?.ctes ?? []).flatMap((node) => {
    const cte = asNode(node, 'CommonTableExpr');
    if (!cte?.ctequery) return [];
    const writes = WRITING_STATEMENTS.has(tagOf(cte.ctequery));
    return [{ node, cte, name: cte.ctename ?? '', query: cte.ctequery, writes, read: false }];
  });
  if (!entries.some((entry) => entry.writes)) return null;
  if (withClause?.recursive) throw unsupported('data-modifying statements in WITH RECURSIVE');
  for (const entry of entries) {
    if (!entry.writes) {
      refuseNestedWrites(entry.query);
      continue;
    }
    if (tagOf(entry.query) === 'MergeStmt') throw unsupported('MERGE in WITH');
    refuseNestedWrites(entry.query);
    entry.read = readsCte(statement, entry.name);
    const returning = (payloadOf(entry.query)['returningClause'] as { exprs?: Node[] } | undefined)?.exprs;
    if (entry.read && (returning ?? []).length === 0)
      throw PgError.of('0A000', `WITH query "${entry.name}" does not have a RETURNING clause`);
  }
  refuseNestedWrites(withCtes(statement, []));
  return { statement, entries };
}

/** The types of a write's RETURNING list: parse analysis of the list over the write's tables. */
function returningColumns(core: EngineCore, session: Session, write: Node, readable: readonly Node[]) {
  const payload = payloadOf(write);
  const relation = payload['relation'] as RangeVar;
  const returning = (payload['returningClause'] as { exprs?: Node[] }).exprs ?? [];
  const select: SelectStmt = {
    targetList: returning.map((target) => {
      const res = asNode(target, 'ResTarget');
      return res ? target : resTarget(target);
    }),
    fromClause: [
      makeNode('RangeVar', { ...relation }),
      ...((payload['fromClause'] as Node[] | undefined) ?? []),
      ...((payload['usingClause'] as Node[] | undefined) ?? []),
    ],
    limitOption: 'LIMIT_OPTION_DEFAULT',
    op: 'SETOP_NONE',
  };
  const own = payload.withClause?.ctes ?? [];
  if (readable.length + own.length > 0) select.withClause = { ctes: [...readable, ...own] };
  return describeColumns(core, session, deparse(makeNode('SelectStmt', select)));
}

/**
 * Runs a statement with data-modifying CTEs: the locks parse analysis takes (the CTEs in order, a
 * write's target in ROW EXCLUSIVE mode), the CTEs that are read, the main statement, the other
 * CTEs. `run` executes one part on the session.
 */
export function* executeWithWrites(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  split: StatementWithWrites,
  run: (part: ParsedStatement) => Task<StatementOutcome>,
): Task<StatementOutcome> {
  transactionSnapshotBeforeLocks(core, session);
  for (const entry of split.entries) {
    const target = entry.writes ? (payloadOf(entry.query)['relation'] as RangeVar | undefined) : undefined;
    const table = target ? resolveRelation(core, session, target) : undefined;
    if (target && table && table !== 'invisible') {
      yield* lockTable(core, session, table, LockMode.RowExclusive, { rangeVar: target });
    }
    for (const { table: read, rangeVar, mode } of relationLocks(core, session, entry.query, target)) {
      yield* lockTable(core, session, read, mode, { rangeVar });
    }
  }
  const part = (node: Node): ParsedStatement => ({ ...statement, node, rewritten: true });
  const recursive = payloadOf(split.statement).withClause?.recursive === true;
  const transaction = requireTransaction(session);
  const startCid = transaction.commandId;
  // The CTEs as the main statement reads them: SELECT CTEs as written, read writes as their rows.
  const readable: Node[] = [];
  const afterwards: Node[] = [];
  for (const entry of split.entries) {
    if (!entry.writes) {
      readable.push(entry.node);
      continue;
    }
    const write = standalone(entry.query, readable, recursive);
    if (!entry.read) {
      afterwards.push(write);
      continue;
    }
    const columns = returningColumns(core, session, entry.query, readable);
    const outcome = yield* run(part(write));
    const rows = outcome.kind === 'ok' ? (outcome.rows ?? []) : [];
    readable.push(makeNode('CommonTableExpr', { ...entry.cte, ctequery: typedRowsQuery({ columns, rows }) }));
  }
  // The main statement reads the tables as the statement's snapshot and command id show them.
  const writesCid = transaction.commandId;
  transaction.commandId = startCid;
  const outcome = yield* run(part(withCtes(split.statement, readable)));
  transaction.commandId = Math.max(transaction.commandId, writesCid);
  for (const write of afterwards) yield* run(part(write));
  return outcome;
}
