/**
 * Heavyweight locks with PostgreSQL's queueing rules (lock.c LockAcquireExtended, proc.c
 * JoinWaitQueue/ProcSleep, ProcLockWakeup). One waiting request per process at a time.
 *
 * Locks belong to an owner within a process: the session itself (session-level advisory locks), the
 * top transaction, or a subtransaction. Ending an owner releases or reassigns its locks, like
 * PostgreSQL's resource owners.
 */
import { conflictMask, lockBit, type LockMode, ALL_LOCK_MODES } from './lockModes';
import { lockTagKey, type LockTag } from './lockTag';

export type Pid = number;

/** `session` for session-level locks; otherwise a transaction-level owner id (one per (sub)transaction). */
export type OwnerId = 'session' | number;

export interface LockWaiter {
  pid: Pid;
  owner: OwnerId;
  mode: LockMode;
  /** Virtual time the wait started. */
  waitStart: number;
  /** The modes this process held on the lock when it joined the queue (PGPROC.heldLocks). */
  heldMask: number;
}

export interface LockObject {
  readonly key: string;
  readonly tag: LockTag;
  /** pid → owner → mode → count */
  readonly holders: Map<Pid, Map<OwnerId, Map<LockMode, number>>>;
  /** Waiting requests in queue order. */
  queue: LockWaiter[];
  /** Processes holding or awaiting the lock, in the order they first requested it (lock->procLocks). */
  procLocks: Pid[];
}

export type AcquireResult =
  | { status: 'granted' }
  | { status: 'wouldBlock' }
  /** The request was queued; the caller must wait until `onGranted` runs. */
  | { status: 'waiting'; waiter: LockWaiter }
  /** Granting would deadlock at once (RememberSimpleDeadLock): `blocker` is the queued process. */
  | { status: 'deadlock'; blocker: Pid; blockerMode: LockMode };

export interface LockManagerHooks {
  /** Called when a queued request is granted (from a release or a deadlock-driven queue rearrangement). */
  onGranted(waiter: LockWaiter, lock: LockObject): void;
  /** Called when a process requests a lock, before the request is decided (pg_locks.fastpath). */
  onLockRequested?(pid: Pid, tag: LockTag, mode: LockMode): void;
  onLockGranted?(pid: Pid, tag: LockTag, mode: LockMode): void;
  onLockReleased?(pid: Pid, tag: LockTag, mode: LockMode): void;
}

export class LockManager {
  private readonly locks = new Map<string, LockObject>();
  /** The lock each waiting process waits on. */
  private readonly waitingOn = new Map<Pid, LockObject>();

  constructor(private readonly hooks: LockManagerHooks) {}

  private object(tag: LockTag): LockObject {
    const key = lockTagKey(tag);
    let lock = this.locks.get(key);
    if (!lock) {
      lock = { key, tag, holders: new Map(), queue: [], procLocks: [] };
      this.locks.set(key, lock);
    }
    return lock;
  }

  private dropIfUnused(lock: LockObject): void {
    lock.procLocks = lock.procLocks.filter(
      (pid) => lock.holders.has(pid) || lock.queue.some((w) => w.pid === pid),
    );
    if (lock.holders.size === 0 && lock.queue.length === 0) this.locks.delete(lock.key);
  }

  private noteRequester(lock: LockObject, pid: Pid): void {
    if (!lock.procLocks.includes(pid)) lock.procLocks.push(pid);
  }

  /** Bit set of the modes `pid` holds on the lock (any owner). */
  heldMask(lock: LockObject, pid: Pid): number {
    let mask = 0;
    const owners = lock.holders.get(pid);
    if (!owners) return 0;
    for (const modes of owners.values()) for (const mode of modes.keys()) mask |= lockBit(mode);
    return mask;
  }

  /** Bit set of the modes granted to processes other than `pid`. */
  private othersGrantedMask(lock: LockObject, pid: Pid): number {
    let mask = 0;
    for (const holder of lock.holders.keys()) if (holder !== pid) mask |= this.heldMask(lock, holder);
    return mask;
  }

  /** LockCheckConflicts: does `mode` conflict with locks granted to other processes? */
  conflictsWithGranted(lock: LockObject, pid: Pid, mode: LockMode): boolean {
    return (conflictMask(mode) & this.othersGrantedMask(lock, pid)) !== 0;
  }

  private waitMask(lock: LockObject): number {
    let mask = 0;
    for (const waiter of lock.queue) mask |= lockBit(waiter.mode);
    return mask;
  }

  private grant(lock: LockObject, pid: Pid, owner: OwnerId, mode: LockMode): void {
    let owners = lock.holders.get(pid);
    if (!owners) {
      owners = new Map();
      lock.holders.set(pid, owners);
    }
    let modes = owners.get(owner);
    if (!modes) {
      modes = new Map();
      owners.set(owner, modes);
    }
    const already = this.heldMask(lock, pid) & lockBit(mode);
    modes.set(mode, (modes.get(mode) ?? 0) + 1);
    if (!already) this.hooks.onLockGranted?.(pid, lock.tag, mode);
  }

  /**
   * Requests a lock. A mode the process already holds is granted again at once (counted).
   * Otherwise the request waits if it conflicts with another process's granted lock or with any
   * queued request — except that a process holding a mode that a queued waiter conflicts with goes
   * ahead of that waiter (and is granted at once when nothing ahead of it conflicts).
   */
  acquire(
    tag: LockTag,
    pid: Pid,
    owner: OwnerId,
    mode: LockMode,
    options: { noWait: boolean; now: number },
  ): AcquireResult {
    this.hooks.onLockRequested?.(pid, tag, mode);
    const lock = this.object(tag);
    this.noteRequester(lock, pid);
    const held = this.heldMask(lock, pid);
    if (held & lockBit(mode)) {
      this.grant(lock, pid, owner, mode);
      return { status: 'granted' };
    }
    const mustWait =
      (conflictMask(mode) & this.waitMask(lock)) !== 0 || this.conflictsWithGranted(lock, pid, mode);
    if (!mustWait) {
      this.grant(lock, pid, owner, mode);
      return { status: 'granted' };
    }
    // JoinWaitQueue: find our place in the queue.
    let insertAt = lock.queue.length;
    if (held !== 0) {
      let aheadRequests = 0;
      for (let i = 0; i < lock.queue.length; i++) {
        const waiter = lock.queue[i] as LockWaiter;
        if (conflictMask(waiter.mode) & held) {
          if (conflictMask(mode) & waiter.heldMask) {
            if (options.noWait) {
              this.dropIfUnused(lock);
              return { status: 'wouldBlock' };
            }
            return { status: 'deadlock', blocker: waiter.pid, blockerMode: waiter.mode };
          }
          if ((conflictMask(mode) & aheadRequests) === 0 && !this.conflictsWithGranted(lock, pid, mode)) {
            this.grant(lock, pid, owner, mode);
            return { status: 'granted' };
          }
          insertAt = i;
          break;
        }
        aheadRequests |= lockBit(waiter.mode);
      }
    }
    if (options.noWait) {
      this.dropIfUnused(lock);
      return { status: 'wouldBlock' };
    }
    const waiter: LockWaiter = { pid, owner, mode, waitStart: options.now, heldMask: held };
    lock.queue.splice(insertAt, 0, waiter);
    this.waitingOn.set(pid, lock);
    return { status: 'waiting', waiter };
  }

  /** Removes a process's queued request (timeout, cancel, deadlock victim) and wakes whoever can go. */
  cancelWait(pid: Pid): void {
    const lock = this.waitingOn.get(pid);
    if (!lock) return;
    lock.queue = lock.queue.filter((w) => w.pid !== pid);
    this.waitingOn.delete(pid);
    this.wakeUp(lock);
    this.dropIfUnused(lock);
  }

  /** ProcLockWakeup: grant, in queue order, each waiter that conflicts neither with granted locks nor with waiters still ahead. */
  wakeUp(lock: LockObject): void {
    let aheadRequests = 0;
    const remaining: LockWaiter[] = [];
    const granted: LockWaiter[] = [];
    for (const waiter of lock.queue) {
      if (
        (conflictMask(waiter.mode) & aheadRequests) === 0 &&
        !this.conflictsWithGranted(lock, waiter.pid, waiter.mode)
      ) {
        this.grant(lock, waiter.pid, waiter.owner, waiter.mode);
        this.waitingOn.delete(waiter.pid);
        granted.push(waiter);
      } else {
        aheadRequests |= lockBit(waiter.mode);
        remaining.push(waiter);
      }
    }
    lock.queue = remaining;
    for (const waiter of granted) this.hooks.onGranted(waiter, lock);
  }

  /** Releases one count of a mode held by an owner. Returns false if it was not held. */
  release(tag: LockTag, pid: Pid, owner: OwnerId, mode: LockMode): boolean {
    const lock = this.locks.get(lockTagKey(tag));
    const modes = lock?.holders.get(pid)?.get(owner);
    const count = modes?.get(mode);
    if (!lock || !modes || count === undefined) return false;
    if (count > 1) modes.set(mode, count - 1);
    else {
      modes.delete(mode);
      this.cleanupHolder(lock, pid, owner, mode);
    }
    this.wakeUp(lock);
    this.dropIfUnused(lock);
    return true;
  }

  private cleanupHolder(lock: LockObject, pid: Pid, owner: OwnerId, mode: LockMode): void {
    const owners = lock.holders.get(pid);
    if (!owners) return;
    const modes = owners.get(owner);
    if (modes && modes.size === 0) owners.delete(owner);
    if (owners.size === 0) lock.holders.delete(pid);
    if (!(this.heldMask(lock, pid) & lockBit(mode))) this.hooks.onLockReleased?.(pid, lock.tag, mode);
  }

  /** Releases every lock of the given owners of a process (transaction end, subtransaction abort). */
  releaseOwners(pid: Pid, owners: ReadonlySet<OwnerId>): void {
    const touched: LockObject[] = [];
    for (const lock of this.locks.values()) {
      const held = lock.holders.get(pid);
      if (!held) continue;
      let changed = false;
      for (const owner of [...held.keys()]) {
        if (!owners.has(owner)) continue;
        const modes = held.get(owner) as Map<LockMode, number>;
        for (const mode of [...modes.keys()]) {
          modes.delete(mode);
          this.cleanupHolder(lock, pid, owner, mode);
        }
        changed = true;
      }
      if (changed) touched.push(lock);
    }
    for (const lock of touched) {
      this.wakeUp(lock);
      this.dropIfUnused(lock);
    }
  }

  /** Moves a subtransaction's locks to its parent (RELEASE SAVEPOINT). */
  reassignOwner(pid: Pid, from: OwnerId, to: OwnerId): void {
    for (const lock of this.locks.values()) {
      const held = lock.holders.get(pid);
      const modes = held?.get(from);
      if (!held || !modes) continue;
      let target = held.get(to);
      if (!target) {
        target = new Map();
        held.set(to, target);
      }
      for (const [mode, count] of modes) target.set(mode, (target.get(mode) ?? 0) + count);
      held.delete(from);
    }
  }

  /** The lock a process is waiting on, if any. */
  waitingLock(pid: Pid): LockObject | undefined {
    return this.waitingOn.get(pid);
  }

  waiterOf(pid: Pid): LockWaiter | undefined {
    return this.waitingOn.get(pid)?.queue.find((w) => w.pid === pid);
  }

  /** Modes a process holds on a tag (any owner). */
  holds(tag: LockTag, pid: Pid, mode?: LockMode): boolean {
    const lock = this.locks.get(lockTagKey(tag));
    if (!lock) return false;
    const mask = this.heldMask(lock, pid);
    return mode === undefined ? mask !== 0 : (mask & lockBit(mode)) !== 0;
  }

  /** Modes an owner holds on a tag. */
  ownerHolds(tag: LockTag, pid: Pid, owner: OwnerId, mode: LockMode): boolean {
    return (this.locks.get(lockTagKey(tag))?.holders.get(pid)?.get(owner)?.get(mode) ?? 0) > 0;
  }

  /**
   * pg_blocking_pids: processes holding a conflicting lock, plus processes queued ahead whose
   * request conflicts with ours.
   */
  blockingPids(pid: Pid): Pid[] {
    const lock = this.waitingOn.get(pid);
    const waiter = lock?.queue.find((w) => w.pid === pid);
    if (!lock || !waiter) return [];
    const ahead = lock.queue.slice(0, lock.queue.indexOf(waiter));
    const conflict = conflictMask(waiter.mode);
    const result: Pid[] = [];
    for (const other of lock.procLocks) {
      if (other === pid) continue;
      if (conflict & this.heldMask(lock, other)) result.push(other);
      else if (ahead.some((w) => w.pid === other && conflict & lockBit(w.mode))) result.push(other);
    }
    return result;
  }

  /** Every lock object, for pg_locks and the deadlock detector. */
  allLocks(): IterableIterator<LockObject> {
    return this.locks.values();
  }

  /** The modes held by a process on a lock, as a list. */
  heldModes(lock: LockObject, pid: Pid): LockMode[] {
    const mask = this.heldMask(lock, pid);
    return ALL_LOCK_MODES.filter((m) => mask & lockBit(m));
  }

  /** Replaces a lock's wait queue (deadlock detector's rearrangement) and wakes whoever can go. */
  setQueue(lock: LockObject, queue: LockWaiter[]): void {
    lock.queue = queue;
    this.wakeUp(lock);
  }

  clear(): void {
    this.locks.clear();
    this.waitingOn.clear();
  }
}
