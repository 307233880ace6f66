/**
 * Running one submitted SQL string like PostgreSQL's exec_simple_query: statements in order, an
 * implicit transaction block around a multi-statement string, a fresh statement_timeout per
 * statement, processing stopped at the first error, and the error aborting the transaction (or
 * only the innermost savepoint inside a block).
 */
import type { PgMessage, StatementOutcome } from '../api/results';
import type { EngineCore } from '../core';
import { PgError, queryCanceled, TRANSACTION_ABORTED } from '../errors';
import type { Session, Task } from '../session/session';
import type { ParsedStatement } from '../sql/parser';
import {
  abortLevelsFrom,
  abortTransaction,
  commitTransaction,
  fatal,
  startTransaction,
  terminateSession,
} from '../xact/lifecycle';
import { executeStatement } from './dispatch';
import { isTransactionExit } from './transactionControl';

function internalError(error: unknown): PgError {
  const message = error instanceof Error ? error.message : String(error);
  return PgError.of('XX000', `internal error in the playground engine: ${message}`, {
    hint: 'This is a bug in the playground, not in your SQL. The session has been rolled back to a safe state.',
  });
}

/** Arms statement_timeout for the statement now starting (unless transaction_timeout is shorter). */
function armStatementTimeout(core: EngineCore, session: Session): void {
  const timeout = session.settings.millis('statement_timeout');
  const transactionTimeout = session.settings.millis('transaction_timeout');
  if (timeout <= 0 || (transactionTimeout > 0 && timeout >= transactionTimeout)) return;
  session.timers.statement = core.timers.schedule(core.now + timeout, () => {
    session.timers.statement = null;
    if (!session.suspension) return;
    // When lock_timeout fires at the same moment, PostgreSQL reports the lock timeout.
    if (session.lockTimeoutDue !== null && session.lockTimeoutDue <= core.now) return;
    core.emit({ type: 'timeoutFired', session: session.name, timeout: 'statement_timeout' });
    core.locks.cancelWait(session.pid);
    core.makeRunnable(session, queryCanceled('statement timeout'));
  });
}

function disarmStatementTimeout(core: EngineCore, session: Session): void {
  core.timers.cancel(session.timers.statement);
  session.timers.statement = null;
}

/** After an error: abort the transaction, or only the innermost savepoint inside a block. */
export function abortAfterError(core: EngineCore, session: Session): void {
  const transaction = session.transaction;
  if (!transaction || session.terminated) return;
  if (transaction.failed) return;
  if (session.block === 'explicit') {
    if (transaction.levels.length > 1) abortLevelsFrom(core, session, transaction.levels.length - 1);
    else abortTransaction(core, session, true);
  } else {
    abortTransaction(core, session, false);
  }
}

/** After a statement succeeded: advance the command counter; end a single-statement transaction. */
function finishStatement(core: EngineCore, session: Session): void {
  const transaction = session.transaction;
  if (!transaction) return;
  if (transaction.commandIdUsed) {
    transaction.commandId++;
    transaction.commandIdUsed = false;
  }
  if (session.block === 'none') commitTransaction(core, session);
}

/** Arms the idle timers once the session waits for its client again. */
function armIdleTimers(core: EngineCore, session: Session): void {
  if (session.terminated) return;
  const transactionTimeout = session.settings.millis('transaction_timeout');
  if (session.block === 'explicit') {
    const idle = session.settings.millis('idle_in_transaction_session_timeout');
    if (idle > 0 && (transactionTimeout === 0 || idle < transactionTimeout)) {
      session.timers.idle = core.timers.schedule(core.now + idle, () => {
        session.timers.idle = null;
        core.emit({
          type: 'timeoutFired',
          session: session.name,
          timeout: 'idle_in_transaction_session_timeout',
        });
        terminate(core, session, '25P03', 'terminating connection due to idle-in-transaction timeout');
      });
    }
  } else {
    const idle = session.settings.millis('idle_session_timeout');
    if (idle > 0) {
      session.timers.idle = core.timers.schedule(core.now + idle, () => {
        session.timers.idle = null;
        terminate(core, session, '57P05', 'terminating connection due to idle-session timeout');
      });
    }
  }
}

function terminate(core: EngineCore, session: Session, sqlstate: string, message: string): void {
  terminateSession(core, session, fatal(sqlstate, message));
}

export function disarmIdleTimers(core: EngineCore, session: Session): void {
  core.timers.cancel(session.timers.idle);
  session.timers.idle = null;
}

export function toPgMessage(error: unknown): PgMessage {
  return error instanceof PgError ? error.pg : internalError(error).pg;
}

export function* runSubmission(
  core: EngineCore,
  session: Session,
  statements: readonly ParsedStatement[],
): Task<void> {
  const submission = session.submission;
  if (!submission) throw new Error('no submission');
  const multi = statements.length > 1;
  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index] as ParsedStatement;
    submission.statementIndex = index;
    submission.statementText = statement.text;
    submission.statementStart = core.nextStatementStamp(session.block !== 'none' || index > 0);
    submission.calls = new Set();
    submission.snapshot = null;
    submission.sleepMs = 0;
    submission.advisoryPregranted = new Map();
    core.emit({
      type: 'statementStarted',
      session: session.name,
      submission: submission.id,
      index,
      sql: statement.text,
    });
    let outcome: StatementOutcome;
    let failed = false;
    try {
      if (session.terminated) throw new PgError(session.terminated);
      if (!session.transaction) startTransaction(core, session, false);
      if (multi && session.block === 'none') session.block = 'implicit';
      if (session.transaction?.failed && !isTransactionExit(statement.node)) throw TRANSACTION_ABORTED();
      armStatementTimeout(core, session);
      outcome = yield* executeStatement(core, session, statement);
    } catch (error) {
      failed = true;
      if (!(error instanceof PgError)) {
        core.emit({
          type: 'engineRestarted',
          reason: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        });
      }
      outcome = { kind: 'error', error: toPgMessage(error) };
      if (outcome.error.severity !== 'FATAL') abortAfterError(core, session);
    } finally {
      disarmStatementTimeout(core, session);
    }
    core.emit({
      type: 'statementFinished',
      session: session.name,
      submission: submission.id,
      index,
      sql: statement.text,
      outcome,
    });
    if (failed) break;
    finishStatement(core, session);
  }
  if (session.block === 'implicit' && session.transaction && !session.transaction.failed) {
    session.block = 'none';
    commitTransaction(core, session);
  } else if (session.block === 'implicit') {
    session.block = 'none';
  }
  armIdleTimers(core, session);
  core.emit({ type: 'submissionFinished', session: session.name, submission: submission.id });
}
