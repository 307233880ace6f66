import { describe, expect, it } from 'vitest';
import { LockManager, type LockWaiter } from './lockManager';
import { LockMode } from './lockModes';
import type { LockTag } from './lockTag';
import { checkForDeadlock, deadlockDetail } from './deadlockDetector';

const table: LockTag = { type: 'relation', relationOid: 16384, relationName: 't' };
const other: LockTag = { type: 'relation', relationOid: 16390, relationName: 'u' };

function manager(): { locks: LockManager; granted: LockWaiter[] } {
  const granted: LockWaiter[] = [];
  const locks = new LockManager({ onGranted: (waiter) => granted.push(waiter) });
  return { locks, granted };
}

const now = { noWait: false, now: 0 };

describe('LockManager', () => {
  it('grants compatible modes and queues conflicting ones', () => {
    const { locks } = manager();
    expect(locks.acquire(table, 1, 1, LockMode.RowExclusive, now).status).toBe('granted');
    expect(locks.acquire(table, 2, 1, LockMode.RowExclusive, now).status).toBe('granted');
    expect(locks.acquire(table, 3, 1, LockMode.Share, now).status).toBe('waiting');
    expect(locks.blockingPids(3)).toEqual([1, 2]);
  });

  it('makes a new request wait behind a queued conflicting request (a waiting ACCESS EXCLUSIVE blocks later readers)', () => {
    const { locks } = manager();
    locks.acquire(table, 1, 1, LockMode.AccessShare, now);
    expect(locks.acquire(table, 2, 1, LockMode.AccessExclusive, now).status).toBe('waiting');
    expect(locks.acquire(table, 3, 1, LockMode.AccessShare, now).status).toBe('waiting');
    expect(locks.blockingPids(3)).toEqual([2]);
  });

  it('lets a holder of a mode a waiter conflicts with go ahead of that waiter', () => {
    const { locks } = manager();
    locks.acquire(table, 1, 1, LockMode.AccessShare, now);
    locks.acquire(table, 2, 1, LockMode.AccessExclusive, now);
    // pid 1 holds AccessShare, which the queued AccessExclusive conflicts with: it is granted at once.
    expect(locks.acquire(table, 1, 1, LockMode.RowExclusive, now).status).toBe('granted');
  });

  it('reports an immediate deadlock for two lock upgraders (RememberSimpleDeadLock)', () => {
    const { locks } = manager();
    locks.acquire(table, 1, 1, LockMode.AccessShare, now);
    locks.acquire(table, 2, 1, LockMode.AccessShare, now);
    expect(locks.acquire(table, 1, 1, LockMode.AccessExclusive, now).status).toBe('waiting');
    expect(locks.acquire(table, 2, 1, LockMode.AccessExclusive, now)).toEqual({
      status: 'deadlock',
      blocker: 1,
      blockerMode: LockMode.AccessExclusive,
    });
  });

  it('with NOWAIT refuses instead of queueing', () => {
    const { locks } = manager();
    locks.acquire(table, 1, 1, LockMode.AccessExclusive, now);
    expect(locks.acquire(table, 2, 1, LockMode.AccessShare, { noWait: true, now: 0 }).status).toBe(
      'wouldBlock',
    );
    expect(locks.waitingLock(2)).toBeUndefined();
  });

  it('wakes waiters in queue order when the holder releases, skipping past nobody', () => {
    const { locks, granted } = manager();
    locks.acquire(table, 1, 1, LockMode.AccessExclusive, now);
    locks.acquire(table, 2, 1, LockMode.AccessShare, now);
    locks.acquire(table, 3, 1, LockMode.AccessExclusive, now);
    locks.acquire(table, 4, 1, LockMode.AccessShare, now);
    locks.releaseOwners(1, new Set([1]));
    expect(granted.map((w) => w.pid)).toEqual([2]);
    locks.releaseOwners(2, new Set([1]));
    expect(granted.map((w) => w.pid)).toEqual([2, 3]);
  });

  it('re-grants a mode already held without queueing, and counts it', () => {
    const { locks } = manager();
    locks.acquire(table, 1, 'session', LockMode.Exclusive, now);
    locks.acquire(table, 2, 1, LockMode.Exclusive, now);
    expect(locks.acquire(table, 1, 'session', LockMode.Exclusive, now).status).toBe('granted');
    expect(locks.release(table, 1, 'session', LockMode.Exclusive)).toBe(true);
    expect(locks.holds(table, 1, LockMode.Exclusive)).toBe(true);
    expect(locks.release(table, 1, 'session', LockMode.Exclusive)).toBe(true);
    expect(locks.holds(table, 1)).toBe(false);
  });

  it('moves a subtransaction’s locks to its parent on RELEASE', () => {
    const { locks } = manager();
    locks.acquire(table, 1, 2, LockMode.RowExclusive, now);
    locks.reassignOwner(1, 2, 1);
    locks.releaseOwners(1, new Set([2]));
    expect(locks.holds(table, 1, LockMode.RowExclusive)).toBe(true);
    locks.releaseOwners(1, new Set([1]));
    expect(locks.holds(table, 1)).toBe(false);
  });
});

describe('deadlock detector', () => {
  it('finds a hard cycle and names the victim first', () => {
    const { locks } = manager();
    locks.acquire(table, 1, 1, LockMode.AccessExclusive, now);
    locks.acquire(other, 2, 1, LockMode.AccessExclusive, now);
    locks.acquire(other, 1, 1, LockMode.AccessExclusive, now);
    locks.acquire(table, 2, 1, LockMode.AccessExclusive, now);
    const result = checkForDeadlock(locks, 2);
    expect(result.kind).toBe('hard');
    if (result.kind !== 'hard') return;
    expect(deadlockDetail(result.cycle)).toBe(
      [
        'Process 2 waits for AccessExclusiveLock on relation 16384 of database 5; blocked by process 1.',
        'Process 1 waits for AccessExclusiveLock on relation 16390 of database 5; blocked by process 2.',
      ].join('\n'),
    );
  });

  it('reports no deadlock for a plain wait', () => {
    const { locks } = manager();
    locks.acquire(table, 1, 1, LockMode.AccessExclusive, now);
    locks.acquire(table, 2, 1, LockMode.AccessExclusive, now);
    expect(checkForDeadlock(locks, 2)).toEqual({ kind: 'none' });
  });

  it('resolves a soft cycle by reordering the queue (deadlock-soft-2)', () => {
    // s1 holds SUE on a1; s2 holds AS on a2 and waits for SUE on a1; s3 and s4 queue for AE on a2;
    // s1 then asks SUE on a2: blocked only by the queued AE requests (soft edges).
    const a1: LockTag = { type: 'relation', relationOid: 1, relationName: 'a1' };
    const a2: LockTag = { type: 'relation', relationOid: 2, relationName: 'a2' };
    const { locks, granted } = manager();
    locks.acquire(a1, 1, 1, LockMode.ShareUpdateExclusive, now);
    locks.acquire(a2, 2, 1, LockMode.AccessShare, now);
    locks.acquire(a1, 2, 1, LockMode.ShareUpdateExclusive, now);
    locks.acquire(a2, 3, 1, LockMode.AccessExclusive, now);
    locks.acquire(a2, 4, 1, LockMode.AccessExclusive, now);
    expect(locks.acquire(a2, 1, 1, LockMode.ShareUpdateExclusive, now).status).toBe('waiting');
    expect(checkForDeadlock(locks, 1)).toEqual({ kind: 'soft' });
    expect(granted.map((w) => w.pid)).toEqual([1]);
  });
});
