/**
 * A SELECT whose WITH holds data-modifying statements (INSERT, UPDATE, DELETE) that nothing in the
 * query reads, e.g. `WITH t AS (INSERT … ON CONFLICT …) SELECT * FROM colors`.
 *
 * PostgreSQL locks every relation while it analyses the WITH list and then the main query, takes
 * one snapshot for the whole statement, runs the main query, and then runs each data-modifying CTE
 * to completion (ExecPostprocessPlan, execMain.c). All parts share one snapshot and one command
 * id, so none of them sees the others' writes. The engine follows the same order: locks, the main
 * query, then each write with the statement's snapshot (a write may still wait for a row lock; the
 * main query's rows are returned once it is done).
 *
 * A data-modifying CTE whose rows the query reads (`WITH t AS (… RETURNING …) SELECT … FROM t`)
 * and data-modifying statements anywhere but the top-level WITH of a SELECT fail with 0A000.
 */
import type { StatementOutcome } from '../api/results';
import { resolveRelation } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { unsupported } from '../errors';
import { LockMode } from '../locks/lockModes';
import type { Node, RangeVar, SelectStmt, WithClause } from '../sql/ast';
import { asNode, makeNode, tagOf } from '../sql/ast';
import type { ParsedStatement } from '../sql/parser';
import { walk } from '../sql/walk';
import type { Session, Task } from '../session/session';
import { transactionSnapshotBeforeLocks } from '../xact/lifecycle';
import { WRITING_STATEMENTS } from './cteInlining';
import { relationLocks } from './referencedTables';
import { lockTable } from './tableLocks';

/** A SELECT split into its main query and the data-modifying CTEs nobody reads, in WITH order. */
export interface SelectWithWrites {
  /** The SELECT without the data-modifying CTEs (the other CTEs stay). */
  query: SelectStmt;
  /** Each data-modifying CTE as a statement of its own, with the CTEs it may read attached. */
  writes: Node[];
  /** Every CTE in WITH order: what parse analysis locks before the main query's FROM. */
  analysed: { query: Node; writes: boolean }[];
}

function cteEntries(select: SelectStmt) {
  return (select.withClause?.ctes ?? []).flatMap((node) => {
    const cte = asNode(node, 'CommonTableExpr');
    return cte?.ctequery ? [{ node, name: cte.ctename ?? '', query: cte.ctequery }] : [];
  });
}

function isWriting(node: Node): boolean {
  return WRITING_STATEMENTS.has(tagOf(node));
}

/** Refuses data-modifying statements anywhere under `root` (`root` itself may be one). */
function refuseNestedWrites(root: Node): void {
  walk(root, {
    enter(node, tag) {
      if (node !== root && WRITING_STATEMENTS.has(tag)) {
        throw unsupported('data-modifying statements in WITH except at the top level of a SELECT');
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

/** The write as a statement of its own, reading the SELECT's other CTEs (its own WITH shadows them). */
function standalone(write: Node, readable: Node[], recursive: boolean): Node {
  const tag = tagOf(write);
  const payload = (write as Record<string, { withClause?: WithClause }>)[tag] ?? {};
  const own = payload.withClause?.ctes ?? [];
  const ownNames = new Set(own.map((c) => asNode(c, 'CommonTableExpr')?.ctename));
  const inherited = readable.filter((c) => !ownNames.has(asNode(c, 'CommonTableExpr')?.ctename));
  const ctes = [...inherited, ...own];
  if (ctes.length === 0) return write;
  const withClause: WithClause = { ctes, recursive: recursive || payload.withClause?.recursive === true };
  return { [tag]: { ...payload, withClause } } as unknown as Node;
}

/**
 * The SELECT's data-modifying CTEs split off, or null when it has none. Throws 0A000 for what the
 * engine does not run: writes whose rows are read, writes below the top level, MERGE in WITH.
 */
export function splitWritingCtes(select: SelectStmt): SelectWithWrites | null {
  const entries = cteEntries(select);
  const writing = entries.filter((entry) => isWriting(entry.query));
  if (writing.length === 0) return null;
  const root = makeNode('SelectStmt', select);
  for (const entry of writing) {
    if (tagOf(entry.query) === 'MergeStmt') throw unsupported('MERGE');
    if (readsCte(root, entry.name)) {
      throw unsupported(
        `data-modifying statements in WITH whose rows the query reads ("${entry.name}"): run the statement on its own with RETURNING`,
      );
    }
  }
  const kept = entries.filter((entry) => !isWriting(entry.query)).map((entry) => entry.node);
  const query: SelectStmt = { ...select };
  if (kept.length > 0) query.withClause = { ...select.withClause, ctes: kept };
  else delete query.withClause;
  refuseNestedWrites(makeNode('SelectStmt', query));
  const recursive = select.withClause?.recursive === true;
  const writes = writing.map((entry) => standalone(entry.query, kept, recursive));
  for (const write of writes) refuseNestedWrites(write);
  return {
    query,
    writes,
    analysed: entries.map((entry) => ({ query: entry.query, writes: isWriting(entry.query) })),
  };
}

/**
 * Runs a split SELECT: the locks parse analysis takes (the CTEs in order, a write's target in ROW
 * EXCLUSIVE mode), the main query, then each write. `run` executes one statement on the session.
 */
export function* executeSelectWithWrites(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
  split: SelectWithWrites,
  run: (statement: ParsedStatement) => Task<StatementOutcome>,
): Task<StatementOutcome> {
  transactionSnapshotBeforeLocks(core, session);
  for (const cte of split.analysed) {
    const payload = (cte.query as Record<string, { relation?: RangeVar }>)[tagOf(cte.query)];
    const target = cte.writes ? payload?.relation : undefined;
    const table = target ? resolveRelation(core, session, target) : undefined;
    if (target && table && table !== 'invisible') {
      yield* lockTable(core, session, table, LockMode.RowExclusive, { rangeVar: target });
    }
    for (const { table: read, rangeVar, mode } of relationLocks(core, session, cte.query, target)) {
      yield* lockTable(core, session, read, mode, { rangeVar });
    }
  }
  const part = (node: Node): ParsedStatement => ({ ...statement, node, rewritten: true });
  const outcome = yield* run(part(makeNode('SelectStmt', split.query)));
  for (const write of split.writes) yield* run(part(write));
  return outcome;
}
