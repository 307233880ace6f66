/**
 * pg_locks.fastpath (lock.c): a weak relation lock (AccessShare, RowShare, RowExclusive on a
 * relation of the current database) is taken through the backend's fast path when no strong lock
 * (a mode above ShareUpdateExclusive) is held or awaited on that relation; a later strong request
 * moves every fast-path lock on the relation to the main lock table. The virtualxid lock stays on
 * the fast path (nothing in the playground waits for a virtual transaction). Everything else is
 * in the main table.
 */
import type { LockManager, Pid } from '../locks/lockManager';
import { LockMode } from '../locks/lockModes';
import { lockTagKey, type LockTag } from '../locks/lockTag';

function isWeak(mode: LockMode): boolean {
  return mode <= LockMode.RowExclusive;
}

function isStrong(mode: LockMode): boolean {
  return mode > LockMode.ShareUpdateExclusive;
}

const WEAK_MODES = [LockMode.AccessShare, LockMode.RowShare, LockMode.RowExclusive];

function entry(pid: Pid, key: string, mode: LockMode): string {
  return `${pid}|${key}|${mode}`;
}

export class FastPathTracker {
  /** Weak relation locks (pid, relation, mode) that are in the main lock table. */
  private readonly inMainTable = new Set<string>();

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
    if (tag.type !== 'relation') return;
    const key = lockTagKey(tag);
    if (isStrong(mode)) {
      // FastPathTransferRelationLocks: every holder's fast-path locks on the relation move.
      for (const lock of locks.allLocks()) {
        if (lock.key !== key) continue;
        for (const holder of lock.holders.keys()) {
          for (const held of locks.heldModes(lock, holder)) {
            if (isWeak(held)) this.inMainTable.add(entry(holder, key, held));
          }
        }
      }
      return;
    }
    if (!isWeak(mode) || locks.holds(tag, pid, mode)) return;
    if (FastPathTracker.strongPresent(locks, key)) this.inMainTable.add(entry(pid, key, mode));
    else this.inMainTable.delete(entry(pid, key, mode));
  }

  /** Called when a process no longer holds a mode on a lock. */
  released(pid: Pid, tag: LockTag, mode: LockMode): void {
    if (tag.type === 'relation') this.inMainTable.delete(entry(pid, lockTagKey(tag), mode));
  }

  /** pg_locks.fastpath of a granted lock; `shared` says the relation is a shared catalog. */
  fastPath(pid: Pid, tag: LockTag, mode: LockMode, shared: boolean): boolean {
    if (tag.type === 'virtualxid') return true;
    if (tag.type !== 'relation' || shared || !WEAK_MODES.includes(mode)) return false;
    return !this.inMainTable.has(entry(pid, lockTagKey(tag), mode));
  }

  clear(): void {
    this.inMainTable.clear();
  }
}
