/**
 * Transaction lifecycle: start, xid assignment, snapshots, commit, abort, savepoints.
 *
 * Mirrors xact.c: an xid is assigned at the first write or row lock, each assigned (sub)xid is
 * locked ExclusiveLock as a `transactionid` lock by its own level (others wait on it with
 * ShareLock); an abort ends the xids before locks are released, so woken waiters see the
 * transaction finished; a RELEASE hands locks to the parent but frees the subxid's own lock.
 */
import type { IsolationLevelName } from '../api/views';
import type { XactContext } from './xactContext';
import { PgError } from '../errors';
import { LockMode } from '../locks/lockModes';
import type { OwnerId } from '../locks/lockManager';
import type { Session } from '../session/session';
import { removeAbortedVersions } from '../storage/heapWrites';
import type { Snapshot } from '../transam/snapshot';
import { Transaction, type TransactionLevel } from '../transam/transaction';
import type { Xid } from '../transam/xidStatus';

export function isolationFromSetting(value: string | undefined): IsolationLevelName {
  if (value === 'serializable' || value === 'repeatable read' || value === 'read uncommitted') return value;
  return 'read committed';
}

export function startTransaction(core: XactContext, session: Session, explicit: boolean): Transaction {
  const settings = session.settings;
  const transaction = new Transaction(
    session.nextVxid(),
    // A transaction starts with the statement that starts it (now() is that statement's timestamp).
    session.submission?.statementStart ?? core.now,
    explicit,
    isolationFromSetting(settings.get('default_transaction_isolation')),
    settings.get('default_transaction_read_only') === 'on',
    settings.get('default_transaction_deferrable') === 'on',
    session.newOwner(),
  );
  session.transaction = transaction;
  settings.transactionStarted();
  core.locks.acquire(
    { type: 'virtualxid', vxid: transaction.vxid },
    session.pid,
    transaction.topLevel.owner,
    LockMode.Exclusive,
    {
      noWait: true,
      now: core.now,
    },
  );
  armTransactionTimeout(core, session);
  core.emit({
    type: 'transactionStarted',
    session: session.name,
    vxid: transaction.vxid,
    isolation: transaction.isolation,
    implicit: !explicit,
  });
  return transaction;
}

/**
 * transaction_timeout: armed from now when positive and not already running; disarmed when not
 * positive (also what `SET transaction_timeout` inside a transaction does).
 */
export function armTransactionTimeout(core: XactContext, session: Session): void {
  const timeout = session.settings.millis('transaction_timeout');
  if (timeout <= 0) {
    core.timers.cancel(session.timers.transaction);
    session.timers.transaction = null;
    return;
  }
  if (session.timers.transaction !== null) return;
  session.timers.transaction = core.timers.schedule(core.now + timeout, () => {
    session.timers.transaction = null;
    core.emit({ type: 'timeoutFired', session: session.name, timeout: 'transaction_timeout' });
    terminateSession(core, session, fatal('25P04', 'terminating connection due to transaction timeout'));
  });
}

export function fatal(sqlstate: string, message: string): PgError {
  return new PgError({ severity: 'FATAL', sqlstate, message });
}

/** The xid of the current (sub)transaction, assigning it (and its parents' first) if needed. */
export function ensureXid(core: XactContext, session: Session): Xid {
  const transaction = requireTransaction(session);
  let parent: Xid | null = null;
  for (const level of transaction.levels) {
    if (level.xid === null) {
      const xid = core.xids.assign(parent);
      level.xid = xid;
      transaction.xids.push(xid);
      core.locks.acquire({ type: 'transactionid', xid }, session.pid, level.owner, LockMode.Exclusive, {
        noWait: true,
        now: core.now,
      });
      core.emit({ type: 'xidAssigned', session: session.name, xid });
    }
    parent = level.xid;
  }
  return transaction.currentLevel.xid as Xid;
}

/** GetTopTransactionId: assigns the top-level xid only (txid_current()). */
export function ensureTopXid(core: XactContext, session: Session): Xid {
  const transaction = requireTransaction(session);
  const top = transaction.topLevel;
  if (top.xid === null) {
    const xid = core.xids.assign(null);
    top.xid = xid;
    transaction.xids.unshift(xid);
    core.locks.acquire({ type: 'transactionid', xid }, session.pid, top.owner, LockMode.Exclusive, {
      noWait: true,
      now: core.now,
    });
    core.emit({ type: 'xidAssigned', session: session.name, xid });
  }
  return top.xid;
}

export function requireTransaction(session: Session): Transaction {
  if (!session.transaction) throw new Error(`session ${session.name} has no transaction`);
  return session.transaction;
}

/** GetSnapshotData: what is running now, from this session's point of view (no event). */
export function computeSnapshot(core: Pick<XactContext, 'xids'>, session: Session): Snapshot {
  const own = new Set(session.transaction?.xids ?? []);
  const xmax = core.xids.latestCompletedXid() + 1;
  const xip = core.xids.running().filter((xid) => xid < xmax && !own.has(xid));
  const xmin = xip.length > 0 ? Math.min(...xip) : xmax;
  return { xmin, xmax, xip };
}

/** Takes a snapshot for a statement (recorded in the event log). */
export function takeSnapshot(core: XactContext, session: Session): Snapshot {
  const snapshot = computeSnapshot(core, session);
  core.emit({
    type: 'snapshotTaken',
    session: session.name,
    xmin: snapshot.xmin,
    xmax: snapshot.xmax,
    xip: snapshot.xip,
  });
  return snapshot;
}

/**
 * The snapshot a statement runs with. `phase` says when it is asked: before the statement's table
 * locks (REPEATABLE READ takes its transaction snapshot then) or after them (READ COMMITTED takes a
 * fresh snapshot then, so it sees what a lock holder committed).
 */
export function transactionSnapshotBeforeLocks(core: XactContext, session: Session): void {
  const transaction = requireTransaction(session);
  transaction.snapshotTaken = true;
  if (transaction.usesTransactionSnapshot() && !transaction.snapshot) {
    transaction.snapshot = takeSnapshot(core, session);
  }
}

export function statementSnapshot(core: XactContext, session: Session): Snapshot {
  const transaction = requireTransaction(session);
  transaction.snapshotTaken = true;
  const submission = session.submission;
  // A statement that runs again (after an advisory-lock wait) keeps the snapshot it had.
  if (submission?.snapshot) return submission.snapshot;
  let snapshot: Snapshot;
  if (transaction.usesTransactionSnapshot()) {
    transaction.snapshot ??= takeSnapshot(core, session);
    snapshot = transaction.snapshot;
  } else {
    snapshot = takeSnapshot(core, session);
  }
  if (submission) submission.snapshot = snapshot;
  return snapshot;
}

function transactionOwners(transaction: Transaction): Set<OwnerId> {
  return new Set(transaction.levels.map((l) => l.owner));
}

function endTransactionTimers(core: XactContext, session: Session): void {
  core.timers.cancel(session.timers.transaction);
  session.timers.transaction = null;
}

/** Commits the session's transaction (all savepoints included). */
export function commitTransaction(core: XactContext, session: Session): void {
  const transaction = requireTransaction(session);
  const xids = transaction.ownXids();
  core.xids.finish(xids, 'committed');
  for (const level of transaction.levels) for (const action of level.onCommit) action();
  core.locks.releaseOwners(session.pid, transactionOwners(transaction));
  session.settings.transactionEnded(true);
  session.transaction = null;
  session.block = 'none';
  endTransactionTimers(core, session);
  core.emit({ type: 'transactionCommitted', session: session.name, xid: transaction.topXid });
}

/** Undoes a set of levels' effects: row versions, DDL, row locks. Does not touch heavyweight locks. */
function undoLevels(
  core: XactContext,
  transaction: Transaction,
  levels: readonly TransactionLevel[],
  xids: Xid[],
): void {
  core.xids.finish(xids, 'aborted');
  for (const xid of xids) transaction.abortedXids.add(xid);
  core.tuples.removeInsertedBy(new Set(xids));
  removeAbortedVersions(core, transaction.writtenTables, xids);
  for (const level of [...levels].reverse()) {
    for (const action of level.undo.reverse()) action();
    level.undo = [];
    level.onCommit = [];
    level.unshownLocks = [];
  }
}

/**
 * Aborts the whole transaction: xids aborted first, then every transaction-level lock released.
 * With `keepBlock` (an error inside BEGIN…), the session stays in the aborted block until ROLLBACK.
 */
export function abortTransaction(core: XactContext, session: Session, keepBlock: boolean): void {
  const transaction = requireTransaction(session);
  if (transaction.topLevel.aborted) {
    if (!keepBlock) finishAbortedBlock(core, session);
    return;
  }
  const xids = transaction.xids.filter((x) => !transaction.abortedXids.has(x));
  undoLevels(core, transaction, transaction.levels, xids);
  for (const level of transaction.levels) level.aborted = true;
  core.locks.releaseOwners(session.pid, transactionOwners(transaction));
  session.settings.transactionEnded(false);
  endTransactionTimers(core, session);
  core.emit({ type: 'transactionAborted', session: session.name, xid: transaction.topXid });
  if (!keepBlock) {
    session.transaction = null;
    session.block = 'none';
  }
}

/** ROLLBACK / COMMIT of a block that is already aborted: nothing left but to leave it. */
export function finishAbortedBlock(_core: XactContext, session: Session): void {
  session.transaction = null;
  session.block = 'none';
}

/**
 * Aborts the savepoint levels from `depth` (1 = first savepoint) to the innermost: their row
 * versions, DDL and row locks vanish, their locks are released, their settings restored.
 */
export function abortLevelsFrom(core: XactContext, session: Session, depth: number): void {
  const transaction = requireTransaction(session);
  const levels = transaction.levels.slice(depth);
  const xids = levels.flatMap((l) => (l.xid !== null && !transaction.abortedXids.has(l.xid) ? [l.xid] : []));
  // Subtransactions released earlier into these levels also end (their xids are recorded in order).
  const firstXid = xids[0];
  const releasedChildren =
    firstXid === undefined
      ? []
      : transaction.xids.filter((x) => x > firstXid && !transaction.abortedXids.has(x) && !xids.includes(x));
  const allXids = [...xids, ...releasedChildren].sort((a, b) => a - b);
  undoLevels(core, transaction, levels, allXids);
  for (const level of levels) level.aborted = true;
  core.locks.releaseOwners(session.pid, new Set(levels.map((l) => l.owner)));
}

/** Pops aborted levels from `depth` and starts a fresh savepoint with the same name (ROLLBACK TO). */
export function restartSavepoint(session: Session, depth: number): void {
  const transaction = requireTransaction(session);
  const target = transaction.levels[depth] as TransactionLevel;
  transaction.levels.length = depth;
  transaction.pushSavepoint(target.name as string, session.newOwner());
  session.settings.savepointRolledBack(depth);
}

/** RELEASE: levels from `depth` commit into their parent. */
export function releaseLevelsFrom(core: XactContext, session: Session, depth: number): void {
  const transaction = requireTransaction(session);
  const parent = transaction.levels[depth - 1] as TransactionLevel;
  for (let i = transaction.levels.length - 1; i >= depth; i--) {
    const level = transaction.levels[i] as TransactionLevel;
    if (level.xid !== null) {
      core.xids.subCommit(level.xid);
      core.locks.release(
        { type: 'transactionid', xid: level.xid },
        session.pid,
        level.owner,
        LockMode.Exclusive,
      );
    }
    core.locks.reassignOwner(session.pid, level.owner, parent.owner);
    parent.undo.push(...level.undo);
    parent.onCommit.push(...level.onCommit);
    parent.unshownLocks.push(...level.unshownLocks);
  }
  transaction.levels.length = depth;
  session.settings.savepointReleased(depth);
}

/** A FATAL error ends the session: its transaction aborts, all its locks go, it accepts no more SQL. */
export function terminateSession(core: XactContext, session: Session, error: PgError): void {
  if (session.terminated) return;
  if (session.transaction) abortTransaction(core, session, false);
  core.locks.cancelWait(session.pid);
  core.locks.releaseOwners(session.pid, new Set<OwnerId>(['session']));
  for (const key of Object.keys(session.timers) as (keyof Session['timers'])[]) {
    core.timers.cancel(session.timers[key]);
    session.timers[key] = null;
  }
  session.terminated = error.pg;
  core.emit({ type: 'sessionTerminated', session: session.name, error: error.pg });
  if (session.submission) core.makeRunnable(session, error);
}
