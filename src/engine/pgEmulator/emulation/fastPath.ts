/**
 * pg_locks.fastpath (lock.c): a weak relation lock (AccessShare, RowShare, RowExclusive on a
 * relation of the current database) is taken through the backend's fast path when no strong lock
 * (a mode above ShareUpdateExclusive) is held or awaited on that relation; a later strong request
 * moves every fast-path lock on the relation to the main lock table. The virtualxid lock stays on
 * the fast path (nothing in the playground waits for a virtual transaction). Everything else is
 * in the main table.
 *
 * A backend has 64 fast-path slots (max_locks_per_transaction 64: 4 groups of 16), one per
 * relation, and a relation may only use the group its OID hashes to. While a backend has fewer
 * than 16 relations on the fast path, every group has room; beyond that, which relations still fit
 * depends on OIDs the engine does not share with PostgreSQL, so the backend's fastpath flags are
 * unknown until its locks are released (`uncertain`).
 */
import type { LockManager, Pid } from '../locks/lockManager';
import { LockMode } from '../locks/lockModes';
import { lockTagKey, type LockTag } from '../locks/lockTag';

/** Slots per group (FP_LOCK_SLOTS_PER_GROUP): up to this many relations, no group can be full. */
export const FAST_PATH_CERTAIN = 16;

function isWeak(mode: LockMode): boolean {
  return mode <= LockMode.RowExclusive;
}

function isStrong(mode: LockMode): boolean {
  return mode > LockMode.ShareUpdateExclusive;
}

export class FastPathTracker {
  /** Per process: relation key → the weak modes it holds on the fast path. */
  private readonly onFastPath = new Map<Pid, Map<string, Set<LockMode>>>();
  /** Processes whose fast-path slots may have run out (see above). */
  private readonly overflowed = new Set<Pid>();

  /** `isShared`: is the relation a shared catalog (not in the current database: never fast path)? */
  constructor(private readonly isShared: (relationOid: number) => boolean = () => false) {}

  /** Is a strong mode granted or awaited on the relation (FastPathStrongRelationLocks > 0)? */
  private static strongPresent(locks: LockManager, key: string): boolean {
    for (const lock of locks.allLocks()) {
      if (lock.key !== key) continue;
      for (const pid of lock.holders.keys()) if (locks.heldModes(lock, pid).some(isStrong)) return true;
      return lock.queue.some((waiter) => isStrong(waiter.mode));
    }
    return false;
  }

  /** Called when a process requests a lock, before the lock manager decides. */
  requested(locks: LockManager, pid: Pid, tag: LockTag, mode: LockMode): void {
    if (tag.type !== 'relation' || this.isShared(tag.relationOid)) return;
    const key = lockTagKey(tag);
    if (isStrong(mode)) {
      // FastPathTransferRelationLocks: every process's fast-path locks on the relation move.
      for (const [holder, relations] of this.onFastPath) {
        if (relations.delete(key) && relations.size === 0) this.forget(holder);
      }
      return;
    }
    if (!isWeak(mode) || locks.holds(tag, pid, mode)) return;
    if (FastPathTracker.strongPresent(locks, key)) return;
    let relations = this.onFastPath.get(pid);
    if (!relations) {
      relations = new Map();
      this.onFastPath.set(pid, relations);
    }
    const modes = relations.get(key);
    if (modes) {
      modes.add(mode);
      return;
    }
    if (relations.size >= FAST_PATH_CERTAIN) this.overflowed.add(pid);
    relations.set(key, new Set([mode]));
  }

  /** Called when a process no longer holds a mode on a lock. */
  released(pid: Pid, tag: LockTag, mode: LockMode): void {
    if (tag.type !== 'relation') return;
    const relations = this.onFastPath.get(pid);
    const key = lockTagKey(tag);
    const modes = relations?.get(key);
    if (!relations || !modes?.delete(mode) || modes.size > 0) return;
    relations.delete(key);
    if (relations.size === 0) this.forget(pid);
  }

  private forget(pid: Pid): void {
    this.onFastPath.delete(pid);
    this.overflowed.delete(pid);
  }

  /** pg_locks.fastpath of a granted lock. */
  fastPath(pid: Pid, tag: LockTag, mode: LockMode): boolean {
    if (tag.type === 'virtualxid') return true;
    if (tag.type !== 'relation') return false;
    return this.onFastPath.get(pid)?.get(lockTagKey(tag))?.has(mode) ?? false;
  }

  /** Could the process's fast-path slots have run out (its fastpath flags are then unknown)? */
  uncertain(pid: Pid): boolean {
    return this.overflowed.has(pid);
  }

  clear(): void {
    this.onFastPath.clear();
    this.overflowed.clear();
  }
}
