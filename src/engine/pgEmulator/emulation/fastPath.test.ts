import { describe, expect, it } from 'vitest';
import { LockManager } from '../locks/lockManager';
import { LockMode } from '../locks/lockModes';
import type { LockTag } from '../locks/lockTag';
import { FastPathTracker } from './fastPath';

const SHARED_CATALOG = 1260;

function setup(): { locks: LockManager; fast: FastPathTracker } {
  const fast = new FastPathTracker((oid) => oid === SHARED_CATALOG);
  const locks: LockManager = new LockManager({
    onGranted: () => undefined,
    onLockRequested: (pid, tag, mode) => fast.requested(locks, pid, tag, mode),
    onLockReleased: (pid, tag, mode) => fast.released(pid, tag, mode),
  });
  return { locks, fast };
}

const t: LockTag = { type: 'relation', relationOid: 16384, relationName: 't' };
const now = { noWait: false, now: 0 };

describe('pg_locks.fastpath', () => {
  it('keeps weak relation locks on the fast path while no strong lock is requested', () => {
    const { locks, fast } = setup();
    locks.acquire(t, 1, 1, LockMode.AccessShare, now);
    locks.acquire(t, 2, 1, LockMode.RowExclusive, now);
    expect(fast.fastPath(1, t, LockMode.AccessShare)).toBe(true);
    expect(fast.fastPath(2, t, LockMode.RowExclusive)).toBe(true);
    const authid: LockTag = { type: 'relation', relationOid: SHARED_CATALOG, relationName: 'pg_authid' };
    locks.acquire(authid, 1, 1, LockMode.AccessShare, now);
    expect(fast.fastPath(1, authid, LockMode.AccessShare)).toBe(false);
  });

  it('moves them to the main table when a strong lock is requested, even one that waits', () => {
    const { locks, fast } = setup();
    locks.acquire(t, 1, 1, LockMode.AccessShare, now);
    expect(locks.acquire(t, 2, 1, LockMode.AccessExclusive, now).status).toBe('waiting');
    expect(fast.fastPath(1, t, LockMode.AccessShare)).toBe(false);
    // A weak request while the strong one is queued goes to the main table as well.
    locks.acquire(t, 3, 1, LockMode.AccessShare, now);
    expect(fast.fastPath(3, t, LockMode.AccessShare)).toBe(false);
    // Moved locks stay in the main table until released; a fresh one after the strong lock is gone is fast.
    locks.releaseOwners(2, new Set([1]));
    locks.cancelWait(2);
    expect(fast.fastPath(1, t, LockMode.AccessShare)).toBe(false);
    locks.releaseOwners(1, new Set([1]));
    locks.acquire(t, 1, 1, LockMode.AccessShare, now);
    expect(fast.fastPath(1, t, LockMode.AccessShare)).toBe(true);
  });

  it('knows the flags only while a process has at most 16 relations on the fast path', () => {
    const { locks, fast } = setup();
    const relation = (oid: number): LockTag => ({
      type: 'relation',
      relationOid: oid,
      relationName: `r${oid}`,
    });
    for (let oid = 1; oid <= 16; oid++) locks.acquire(relation(oid), 1, 1, LockMode.AccessShare, now);
    locks.acquire(relation(1), 1, 1, LockMode.RowExclusive, now);
    expect(fast.uncertain(1)).toBe(false);
    locks.acquire(relation(17), 1, 1, LockMode.AccessShare, now);
    expect(fast.uncertain(1)).toBe(true);
    expect(fast.uncertain(2)).toBe(false);
    locks.releaseOwners(1, new Set([1]));
    expect(fast.uncertain(1)).toBe(false);
  });

  it('never puts strong modes, tuple or transaction locks on the fast path; the vxid lock is', () => {
    const { fast } = setup();
    expect(fast.fastPath(1, t, LockMode.Share)).toBe(false);
    expect(fast.fastPath(1, { type: 'transactionid', xid: 5 }, LockMode.Exclusive)).toBe(false);
    expect(fast.fastPath(1, { type: 'virtualxid', vxid: '3/1' }, LockMode.Exclusive)).toBe(true);
  });
});
