import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../engine/pgEmulator';
import { waitOfA } from '../fixtures/deadlockEventLog';
import { describeSessionState } from './sessionState';

const idle: SessionView = {
  name: 'A',
  helper: false,
  pid: 2001,
  status: 'idle',
  isolation: 'read committed',
  busy: false,
  waiting: null,
  currentStatement: null,
  xid: null,
  vxid: null,
  snapshot: null,
};

describe('describeSessionState', () => {
  it('says idle, in transaction, aborted and terminated', () => {
    expect(describeSessionState(idle)).toEqual({ tone: 'idle', label: 'idle', detail: null });
    expect(describeSessionState({ ...idle, status: 'in transaction' }).label).toBe('in transaction');
    expect(describeSessionState({ ...idle, status: 'in failed transaction' })).toMatchObject({
      tone: 'aborted',
      label: 'aborted',
    });
    expect(describeSessionState({ ...idle, status: 'terminated' }).tone).toBe('terminated');
  });

  it('says what a waiting session waits for and on whom', () => {
    const waiting = { ...idle, status: 'in transaction' as const, busy: true, waiting: waitOfA };
    expect(describeSessionState(waiting)).toEqual({
      tone: 'waiting',
      label: 'waiting',
      detail: 'for ShareLock on transaction 746, blocked by session B',
    });
    const twoBlockers = { ...waiting, waiting: { ...waitOfA, blockedBy: ['B', 'C', 'D'] } };
    expect(describeSessionState(twoBlockers).detail).toBe(
      'for ShareLock on transaction 746, blocked by sessions B, C and D',
    );
  });
});
