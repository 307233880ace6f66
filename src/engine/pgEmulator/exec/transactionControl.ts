/**
 * BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK TO and transaction characteristics,
 * with PostgreSQL's warnings, errors and command tags (xact.c, utility.c).
 */
import type { PgMessage, StatementOutcome } from '../api/results';
import type { IsolationLevelName } from '../api/views';
import type { EngineCore } from '../core';
import { PgError, unsupported } from '../errors';
import type { A_Const, DefElem, Node, TransactionStmt } from '../sql/ast';
import { asNode } from '../sql/ast';
import type { Session } from '../session/session';
import {
  abortLevelsFrom,
  abortTransaction,
  commitTransaction,
  releaseLevelsFrom,
  requireTransaction,
  restartSavepoint,
  startTransaction,
} from '../xact/lifecycle';
import { commandOk } from './outcome';
import { emitNotices } from './userQuery';

function warning(sqlstate: string, message: string): PgMessage {
  return { severity: 'WARNING', sqlstate, message };
}

/** The transaction control statements allowed in an aborted block (IsTransactionExitStmt). */
export function isTransactionExit(node: Node): boolean {
  const stmt = asNode(node, 'TransactionStmt');
  if (!stmt) return false;
  return [
    'TRANS_STMT_COMMIT',
    'TRANS_STMT_ROLLBACK',
    'TRANS_STMT_ROLLBACK_TO',
    'TRANS_STMT_PREPARE',
  ].includes(stmt.kind ?? '');
}

export type TransactionOption = 'transaction_isolation' | 'transaction_read_only' | 'transaction_deferrable';

function constValue(node: Node | undefined): string | boolean | undefined {
  const constant = asNode(node, 'A_Const') as A_Const | undefined;
  if (!constant) return undefined;
  if (constant.sval) return constant.sval.sval ?? '';
  if (constant.ival) return (constant.ival.ival ?? 0) !== 0;
  if (constant.boolval) return constant.boolval.boolval ?? false;
  return undefined;
}

/** Applies one transaction characteristic with PostgreSQL's checks (variable.c check hooks). */
export function setTransactionOption(session: Session, name: string, value: string | boolean): void {
  const transaction = requireTransaction(session);
  const inSubtransaction = transaction.levels.length > 1;
  switch (name) {
    case 'transaction_isolation': {
      const level = String(value).toLowerCase() as IsolationLevelName;
      if (!['serializable', 'repeatable read', 'read committed', 'read uncommitted'].includes(level)) {
        throw PgError.of('22023', `invalid value for parameter "transaction_isolation": "${String(value)}"`);
      }
      if (level !== transaction.isolation) {
        if (transaction.snapshotTaken) {
          throw PgError.of('25001', 'SET TRANSACTION ISOLATION LEVEL must be called before any query');
        }
        if (inSubtransaction) {
          throw PgError.of('25001', 'SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction');
        }
      }
      transaction.isolation = level;
      return;
    }
    case 'transaction_read_only': {
      const readOnly = value === true || value === 'on' || value === 'true';
      if (!readOnly && transaction.readOnly) {
        if (inSubtransaction)
          throw PgError.of('25001', 'cannot set transaction read-write mode inside a read-only transaction');
        if (transaction.snapshotTaken)
          throw PgError.of('25001', 'transaction read-write mode must be set before any query');
      }
      transaction.readOnly = readOnly;
      return;
    }
    case 'transaction_deferrable': {
      if (inSubtransaction) {
        throw PgError.of(
          '25001',
          'SET TRANSACTION [NOT] DEFERRABLE cannot be called within a subtransaction',
        );
      }
      if (transaction.snapshotTaken) {
        throw PgError.of('25001', 'SET TRANSACTION [NOT] DEFERRABLE must be called before any query');
      }
      transaction.deferrable = value === true || value === 'on' || value === 'true';
      return;
    }
    default:
      throw new Error(`not a transaction option: ${name}`);
  }
}

export function applyTransactionOptions(session: Session, options: readonly Node[] | undefined): void {
  for (const option of options ?? []) {
    const def = asNode(option, 'DefElem') as DefElem;
    const value = constValue(def.arg);
    if (def.defname && value !== undefined) setTransactionOption(session, def.defname, value);
  }
}

function findSavepoint(session: Session, name: string): number {
  const levels = requireTransaction(session).levels;
  for (let depth = levels.length - 1; depth >= 1; depth--) if (levels[depth]?.name === name) return depth;
  return -1;
}

export function executeTransactionStmt(
  core: EngineCore,
  session: Session,
  stmt: TransactionStmt,
): StatementOutcome {
  const notices: PgMessage[] = [];
  const outcome = run(core, session, stmt, notices);
  emitNotices(core, session, notices);
  return outcome;
}

function run(
  core: EngineCore,
  session: Session,
  stmt: TransactionStmt,
  notices: PgMessage[],
): StatementOutcome {
  const kind = stmt.kind ?? '';
  const block = session.block;
  switch (kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START': {
      if (block === 'explicit') notices.push(warning('25001', 'there is already a transaction in progress'));
      else {
        session.block = 'explicit';
        requireTransaction(session).explicit = true;
      }
      applyTransactionOptions(session, stmt.options);
      return commandOk(kind === 'TRANS_STMT_BEGIN' ? 'BEGIN' : 'START TRANSACTION');
    }
    case 'TRANS_STMT_COMMIT': {
      const transaction = requireTransaction(session);
      if (block !== 'explicit') {
        if (stmt.chain) throw PgError.of('25P01', 'COMMIT AND CHAIN can only be used in transaction blocks');
        notices.push(warning('25P01', 'there is no transaction in progress'));
        commitTransaction(core, session);
        return commandOk('COMMIT');
      }
      const characteristics = {
        isolation: transaction.isolation,
        readOnly: transaction.readOnly,
        deferrable: transaction.deferrable,
      };
      const failed = transaction.failed;
      if (failed) abortTransaction(core, session, false);
      else commitTransaction(core, session);
      if (stmt.chain) chain(core, session, characteristics);
      return commandOk(failed ? 'ROLLBACK' : 'COMMIT');
    }
    case 'TRANS_STMT_ROLLBACK': {
      const transaction = requireTransaction(session);
      if (block !== 'explicit') {
        if (stmt.chain)
          throw PgError.of('25P01', 'ROLLBACK AND CHAIN can only be used in transaction blocks');
        notices.push(warning('25P01', 'there is no transaction in progress'));
      }
      const characteristics = {
        isolation: transaction.isolation,
        readOnly: transaction.readOnly,
        deferrable: transaction.deferrable,
      };
      abortTransaction(core, session, false);
      if (stmt.chain && block === 'explicit') chain(core, session, characteristics);
      return commandOk('ROLLBACK');
    }
    case 'TRANS_STMT_SAVEPOINT': {
      if (block !== 'explicit') throw PgError.of('25P01', 'SAVEPOINT can only be used in transaction blocks');
      const transaction = requireTransaction(session);
      transaction.pushSavepoint(stmt.savepoint_name ?? '', session.newOwner());
      session.settings.savepointStarted();
      return commandOk('SAVEPOINT');
    }
    case 'TRANS_STMT_RELEASE': {
      if (block !== 'explicit')
        throw PgError.of('25P01', 'RELEASE SAVEPOINT can only be used in transaction blocks');
      const name = stmt.savepoint_name ?? '';
      const depth = findSavepoint(session, name);
      if (depth < 0) throw PgError.of('3B001', `savepoint "${name}" does not exist`);
      releaseLevelsFrom(core, session, depth);
      return commandOk('RELEASE');
    }
    case 'TRANS_STMT_ROLLBACK_TO': {
      if (block !== 'explicit')
        throw PgError.of('25P01', 'ROLLBACK TO SAVEPOINT can only be used in transaction blocks');
      const name = stmt.savepoint_name ?? '';
      const depth = findSavepoint(session, name);
      if (depth < 0) throw PgError.of('3B001', `savepoint "${name}" does not exist`);
      abortLevelsFrom(core, session, depth);
      restartSavepoint(session, depth);
      return commandOk('ROLLBACK');
    }
    case 'TRANS_STMT_PREPARE':
    case 'TRANS_STMT_COMMIT_PREPARED':
    case 'TRANS_STMT_ROLLBACK_PREPARED':
      throw unsupported('two-phase commit (PREPARE TRANSACTION)');
    default:
      throw unsupported(`the transaction statement ${kind}`);
  }
}

function chain(
  core: EngineCore,
  session: Session,
  characteristics: { isolation: IsolationLevelName; readOnly: boolean; deferrable: boolean },
): void {
  const transaction = startTransaction(core, session, true);
  session.block = 'explicit';
  transaction.isolation = characteristics.isolation;
  transaction.readOnly = characteristics.readOnly;
  transaction.deferrable = characteristics.deferrable;
}
