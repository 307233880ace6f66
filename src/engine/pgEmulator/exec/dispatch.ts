/**
 * Routes one parsed statement to its executor. Statements the engine cannot emulate faithfully
 * fail with SQLSTATE 0A000 naming what is not supported.
 */
import type { StatementOutcome } from '../api/results';
import type { EngineCore } from '../core';
import { PgError, unsupported } from '../errors';
import type { Node } from '../sql/ast';
import { asNode, tagOf } from '../sql/ast';
import type { ParsedStatement } from '../sql/parser';
import type { Session, Task } from '../session/session';
import { noteDdlLocks } from '../emulation/ddlLocks';
import { executeCreateIndex } from './ddl/createIndex';
import { executeMoreDdl } from './ddl/moreDdl';
import { executeCreateTable } from './ddl/createTable';
import { executeCreateTableAs, selectIntoAsCreateTableAs } from './ddl/createTableAs';
import { isAdvisoryWait, waitForAdvisoryLock } from './advisoryLocks';
import { deliverBackendSignals, publishLiveBackends, sendsBackendSignals } from './backendSignals';
import { ASSIGNS_XID, rewriteStatement } from './rewrite';
import { sleepFor } from './sleep';
import { ensureTopXid } from '../xact/lifecycle';
import { executeDrop } from './ddl/dropStatement';
import { executeDelete } from './delete';
import { executeInsert } from './insert';
import { executeLockTable } from './lockTableStatement';
import { executeMerge } from './merge';
import { mentionsInternals } from './referencedTables';
import { executeSelect } from './select';
import { executeSet, executeShow } from './settingsStatements';
import { executeTransactionStmt } from './transactionControl';
import { executeUpdate } from './update';
import { inlineCtes } from './cteInlining';
import type { WriteRunner } from './riTriggers';
import { executeWithWrites, splitWritingCtes } from './writingCtes';
import { executeDeallocate, executeExecute, executePrepare } from './prepared';

const STATEMENT_NAMES: Record<string, string> = {
  CopyStmt: 'COPY',
  ExplainStmt: 'EXPLAIN (a plan would describe the playground’s internal storage, not PostgreSQL’s)',
  VacuumStmt: 'VACUUM / ANALYZE',
  NotifyStmt: 'NOTIFY',
  ListenStmt: 'LISTEN',
  UnlistenStmt: 'UNLISTEN',
  DeclareCursorStmt: 'cursors (DECLARE)',
  FetchStmt: 'cursors (FETCH / MOVE)',
  ClosePortalStmt: 'cursors (CLOSE)',
  CreatedbStmt: 'CREATE DATABASE',
  DropdbStmt: 'DROP DATABASE',
  CreateRoleStmt: 'roles',
  AlterRoleStmt: 'roles',
  DropRoleStmt: 'roles',
  GrantStmt: 'GRANT / REVOKE',
  GrantRoleStmt: 'GRANT / REVOKE of roles',
  CreateTrigStmt: 'triggers',
  RuleStmt: 'rules',
  CreatePublicationStmt: 'publications',
  CreateSubscriptionStmt: 'subscriptions',
  CheckPointStmt: 'CHECKPOINT',
  ClusterStmt: 'CLUSTER',
  ReindexStmt: 'REINDEX',
  CreateExtensionStmt: 'extensions',
  LoadStmt: 'LOAD',
  DiscardStmt: 'DISCARD',
  CallStmt: 'CALL',
  DoStmt: 'DO blocks',
  CreateFunctionStmt: 'CREATE FUNCTION',
};

export function internalsRefused(): PgError {
  return PgError.of(
    '42501',
    'permission denied: the playground’s internal schemas (_heap_*, _engine, _sys, _emul) are not accessible',
  );
}

/**
 * Runs one statement: the engine-answered functions are routed to it first; a statement that had to
 * wait for an advisory lock runs again (with the same snapshot) once it has it; the cancels it sent
 * with pg_cancel_backend are applied; pg_sleep's time passes after the statement's work, on the
 * virtual clock.
 */
export function* executeStatement(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
): Task<StatementOutcome> {
  if (mentionsInternals(statement.text)) throw internalsRefused();
  const rewritten = rewriteStatement(statement);
  const effective: ParsedStatement = rewritten
    ? { ...statement, node: rewritten.node, rewritten: true }
    : statement;
  const submission = session.submission;
  if (submission && rewritten) submission.calls = rewritten.calls;
  if (rewritten && [...rewritten.calls].some((c) => ASSIGNS_XID.has(c))) ensureTopXid(core, session);
  const signals = sendsBackendSignals(rewritten?.calls);
  if (signals) publishLiveBackends(core);
  let outcome: StatementOutcome;
  for (;;) {
    try {
      outcome = yield* route(core, session, effective);
      noteDdlLocks(core, session, effective.node, false);
      break;
    } catch (error) {
      if (!isAdvisoryWait(error)) {
        noteDdlLocks(core, session, effective.node, true);
        throw error;
      }
      yield* waitForAdvisoryLock(core, session, error);
    }
  }
  if (signals) deliverBackendSignals(core, session);
  if (submission && submission.sleepMs > 0) yield* sleepFor(core, session, submission.sleepMs);
  return outcome;
}

/**
 * The writes referential actions run (ON DELETE CASCADE …): UPDATE or DELETE with their own
 * snapshots, firing their own foreign-key triggers when they end (a cascade goes on down).
 */
function referentialWrites(core: EngineCore, session: Session): WriteRunner {
  const run: WriteRunner = function* (statement, options) {
    const del = asNode(statement.node, 'DeleteStmt');
    if (del) yield* executeDelete(core, session, statement, del, run, options);
    else
      yield* executeUpdate(
        core,
        session,
        statement,
        asNode(statement.node, 'UpdateStmt') ?? {},
        run,
        options,
      );
  };
  return run;
}

/** INSERT, UPDATE, DELETE: a WITH list is inlined first (cteInlining.ts). */
function* executeWrite(
  core: EngineCore,
  session: Session,
  statement: ParsedStatement,
): Task<StatementOutcome> {
  const inlined = inlineCtes(statement.node);
  const write = inlined === statement.node ? statement : { ...statement, node: inlined, rewritten: true };
  const node = write.node;
  const runWrite = referentialWrites(core, session);
  switch (tagOf(node)) {
    case 'InsertStmt':
      return yield* executeInsert(core, session, write, asNode(node, 'InsertStmt') ?? {}, runWrite);
    case 'UpdateStmt':
      return yield* executeUpdate(core, session, write, asNode(node, 'UpdateStmt') ?? {}, runWrite);
    default:
      return yield* executeDelete(core, session, write, asNode(node, 'DeleteStmt') ?? {}, runWrite);
  }
}

function* route(core: EngineCore, session: Session, statement: ParsedStatement): Task<StatementOutcome> {
  const node: Node = statement.node;
  const tag = tagOf(node);
  switch (tag) {
    case 'TransactionStmt':
      return executeTransactionStmt(core, session, asNode(node, 'TransactionStmt') ?? {});
    case 'VariableSetStmt':
      return executeSet(core, session, asNode(node, 'VariableSetStmt') ?? {});
    case 'VariableShowStmt':
      return executeShow(core, session, asNode(node, 'VariableShowStmt') ?? {});
    case 'SelectStmt':
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt': {
      const into = selectIntoAsCreateTableAs(node);
      if (into)
        return yield* executeCreateTableAs(core, session, statement, into, referentialWrites(core, session));
      const split = splitWritingCtes(node);
      if (split)
        return yield* executeWithWrites(core, session, statement, split, (part) =>
          route(core, session, part),
        );
      if (tag === 'SelectStmt')
        return yield* executeSelect(core, session, statement, asNode(node, 'SelectStmt') ?? {});
      return yield* executeWrite(core, session, statement);
    }
    case 'MergeStmt':
      return yield* executeMerge(
        core,
        session,
        statement,
        asNode(node, 'MergeStmt') ?? {},
        referentialWrites(core, session),
      );
    case 'LockStmt':
      return yield* executeLockTable(core, session, asNode(node, 'LockStmt') ?? {});
    case 'CreateStmt':
      return yield* executeCreateTable(core, session, asNode(node, 'CreateStmt') ?? {});
    case 'CreateTableAsStmt':
      return yield* executeCreateTableAs(
        core,
        session,
        statement,
        asNode(node, 'CreateTableAsStmt') ?? {},
        referentialWrites(core, session),
      );
    case 'DropStmt':
      return yield* executeDrop(core, session, asNode(node, 'DropStmt') ?? {});
    case 'IndexStmt':
      return yield* executeCreateIndex(core, session, asNode(node, 'IndexStmt') ?? {});
    case 'AlterTableStmt':
    case 'RenameStmt':
    case 'TruncateStmt':
    case 'CreateSchemaStmt':
    case 'CreateSeqStmt':
    case 'AlterSeqStmt':
    case 'ViewStmt':
      return yield* executeMoreDdl(core, session, node);
    case 'PrepareStmt':
      return executePrepare(core, session, asNode(node, 'PrepareStmt') ?? {}, statement.text);
    case 'ExecuteStmt':
      return yield* executeExecute(core, session, asNode(node, 'ExecuteStmt') ?? {}, (inner) =>
        executeStatement(core, session, inner),
      );
    case 'DeallocateStmt':
      return executeDeallocate(session, asNode(node, 'DeallocateStmt') ?? {});
    default:
      throw unsupported(STATEMENT_NAMES[tag] ?? `the ${tag.replace(/Stmt$/, '')} statement`);
  }
}
