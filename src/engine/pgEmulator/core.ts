/**
 * The engine's shared state and its scheduler.
 *
 * Everything is synchronous: a client intent (submit SQL, advance time, cancel) runs every session
 * that can make progress until each one has finished or waits, in a fixed order. So the same
 * intents and the same clock always give the same run.
 */
import { Catalog } from './catalog/catalog';
import type { CatalogContext } from './catalog/catalogContext';
import type { EmulationContext } from './emulation/emulationContext';
import type { RowLockContext } from './rowlocks/rowLockContext';
import type { PgError } from './errors';
import { sharedRelationOids } from './emulation/catalogLocks';
import { FastPathTracker } from './emulation/fastPath';
import { EventLog, type EventPayload } from './events/eventLog';
import { LockManager, type LockObject, type LockWaiter, type Pid } from './locks/lockManager';
import { lockModeName } from './locks/lockModes';
import { lockTagView } from './locks/lockTag';
import type { SqlHost } from './pglite/host';
import { HeaderFlush } from './storage/headerFlush';
import { TupleStore, type TupleHeader } from './tuples/tupleStore';
import type { Session } from './session/session';
import { TimerQueue } from './time/timerQueue';
import { XidStatus } from './transam/xidStatus';

export interface EngineCoreOptions {
  /** Virtual time at engine start, in milliseconds since the Unix epoch. */
  startTime: number;
  /** Result sets are cut after this many rows (the outcome says so). */
  maxResultRows: number;
}

/** The engine's state; each subsystem sees it through its own narrow context. */
export class EngineCore implements RowLockContext, EmulationContext, CatalogContext {
  now: number;
  readonly timers = new TimerQueue();
  xids = new XidStatus();
  readonly catalog = new Catalog();
  readonly tuples = new TupleStore();
  private readonly headerFlush = new HeaderFlush();
  private nextMultiXact = 1;
  private lastStatementStamp = 0;
  readonly sessions = new Map<string, Session>();
  readonly byPid = new Map<Pid, Session>();
  /** User schemas that exist (each has a heap schema beside it, storage/heapLayout.ts). */
  readonly schemas = new Set<string>(['public']);
  /** Pass-through settings currently applied to PGlite (see exec/context.ts). */
  readonly appliedSettings = new Map<string, string>();
  /** The parameters of the context row as PGlite holds it (null: unknown, write it again). */
  appliedContext: string | null = null;
  readonly events: EventLog;
  readonly locks: LockManager;
  /** Which weak relation locks pg_locks shows on the fast path. */
  readonly fastPath = new FastPathTracker((oid) => sharedRelationOids(this.host).has(oid));
  private readonly runQueue: Session[] = [];
  private draining = false;

  constructor(
    readonly host: SqlHost,
    readonly options: EngineCoreOptions,
  ) {
    this.now = options.startTime;
    host.pendingSteps = () => this.headerFlush.steps(this.catalog, this.xids);
    this.events = new EventLog(
      () => this.now,
      (name) => this.sessions.get(name)?.helper ?? false,
    );
    this.locks = new LockManager({
      onGranted: (waiter, lock) => this.lockGranted(waiter, lock),
      onLockRequested: (pid, tag, mode) => this.fastPath.requested(this.locks, pid, tag, mode),
      onLockGranted: (pid, tag, mode) => {
        const session = this.byPid.get(pid);
        if (session)
          this.emit({
            type: 'lockGranted',
            session: session.name,
            lock: lockTagView(tag),
            mode: lockModeName(mode),
          });
      },
      onLockReleased: (pid, tag, mode) => {
        this.fastPath.released(pid, tag, mode);
        const session = this.byPid.get(pid);
        if (session)
          this.emit({
            type: 'lockReleased',
            session: session.name,
            lock: lockTagView(tag),
            mode: lockModeName(mode),
          });
      },
    });
  }

  /**
   * The start time of a statement: the virtual clock; inside a transaction block at least a
   * microsecond after the statement before (PostgreSQL's statement_timestamp() moves with every
   * statement, so the statements of a transaction start after its BEGIN even when the clock does
   * not move). A statement of its own transaction keeps the clock's value.
   */
  nextStatementStamp(inBlock: boolean): number {
    if (!inBlock) return this.now;
    const stamp = Math.max(this.now, this.lastStatementStamp + 0.001);
    this.lastStatementStamp = stamp;
    return stamp;
  }

  newMultiXactId(): number {
    return this.nextMultiXact++;
  }

  /** Records that a version's xmax/cmax changed; the heap mirror is updated before PGlite's next query. */
  markHeaderDirty(header: TupleHeader): void {
    this.headerFlush.mark(header);
  }

  emit(payload: EventPayload): void {
    this.events.emit(payload);
  }

  session(name: string): Session {
    const session = this.sessions.get(name);
    if (!session) throw new Error(`no session named "${name}"`);
    return session;
  }

  private lockGranted(waiter: LockWaiter, _lock: LockObject): void {
    const session = this.byPid.get(waiter.pid);
    if (!session || session.suspension?.kind !== 'lock') return;
    this.makeRunnable(session);
  }

  /** Schedules a suspended session to resume (optionally throwing an error into its task). */
  makeRunnable(session: Session, error?: PgError): void {
    if (error && !session.pendingError) session.pendingError = error;
    if (!this.runQueue.includes(session)) this.runQueue.push(session);
  }

  /** Runs every runnable session until all are finished or waiting. */
  drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let session = this.runQueue.shift(); session; session = this.runQueue.shift()) this.step(session);
    } finally {
      this.draining = false;
    }
  }

  private step(session: Session): void {
    const submission = session.submission;
    if (!submission) return;
    const error = session.pendingError;
    session.pendingError = null;
    session.suspension = null;
    const result = error ? submission.task.throw(error) : submission.task.next();
    if (result.done) {
      session.submission = null;
      session.suspension = null;
    } else {
      session.suspension = result.value;
    }
  }

  /** Back to the state of a fresh engine (the caller has emptied PGlite). */
  reset(): void {
    this.timers.clear();
    this.xids = new XidStatus();
    this.catalog.clear();
    this.tuples.clear();
    this.headerFlush.clear();
    this.nextMultiXact = 1;
    this.lastStatementStamp = 0;
    this.sessions.clear();
    this.byPid.clear();
    this.events.clear();
    this.locks.clear();
    this.fastPath.clear();
    this.schemas.clear();
    this.schemas.add('public');
    this.appliedSettings.clear();
    this.appliedContext = null;
    this.runQueue.length = 0;
    this.now = this.options.startTime;
  }

  /** Advances virtual time, firing due timers in order and letting sessions react to each. */
  advance(milliseconds: number): void {
    const target = this.now + Math.max(0, milliseconds);
    for (let timer = this.timers.popDue(target); timer; timer = this.timers.popDue(target)) {
      this.now = Math.max(this.now, timer.due);
      timer.action();
      this.drain();
    }
    this.now = target;
  }

  /** Advances virtual time to the next timer, if any; returns false when nothing is scheduled. */
  advanceToNextTimer(limit = Number.POSITIVE_INFINITY): boolean {
    const due = this.timers.nextDue();
    if (due === null || due > limit) return false;
    this.advance(due - this.now);
    return true;
  }
}
