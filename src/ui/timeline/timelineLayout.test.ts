import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/pgEmulator';
import { deadlockEventLog, waitOfA, waitOfB } from '../fixtures/deadlockEventLog';
import { findBlock, layoutTimeline, openColumns } from './timelineLayout';

describe('layoutTimeline', () => {
  const model = layoutTimeline(deadlockEventLog);
  const laneOf = (session: string) => model.lanes.find((lane) => lane.session === session);

  it('gives every session a lane, in the order they opened', () => {
    expect(model.lanes.map((lane) => lane.session)).toEqual(['A', 'B']);
  });

  it('makes one block per statement, in order, with its outcome', () => {
    expect(laneOf('A')?.blocks.map((block) => [block.sql, block.state])).toEqual([
      ['BEGIN', 'ok'],
      ['UPDATE accounts SET balance = balance - 10 WHERE id = 1', 'ok'],
      ['UPDATE accounts SET balance = balance + 10 WHERE id = 2', 'ok'],
    ]);
    const victim = laneOf('B')?.blocks.at(-1);
    expect(victim?.state).toBe('error');
    expect(victim?.outcome).toMatchObject({ kind: 'error', error: { sqlstate: '40P01' } });
  });

  it('places blocks on one axis for all lanes, in event order', () => {
    const [beginA, update1A, update2A] = laneOf('A')?.blocks ?? [];
    const [beginB, update2B, update1B] = laneOf('B')?.blocks ?? [];
    expect(beginA).toMatchObject({ startColumn: 0, endColumn: 2 });
    expect(beginB).toMatchObject({ startColumn: 2, endColumn: 4 });
    expect(update1A).toMatchObject({ startColumn: 4, endColumn: 6 });
    expect(update2B).toMatchObject({ startColumn: 6, endColumn: 8 });
    // A waits from column 9; B starts at 10 and waits at 11; time jumps to 1000 ms: a gap at 12.
    expect(update2A?.startColumn).toBe(8);
    expect(update1B?.startColumn).toBe(10);
    expect(update1B?.endColumn).toBe(16); // check at 13, deadlock at 14, B's error at 15
    expect(update2A?.endColumn).toBe(18); // resumed at 16, finished at 17
  });

  it('draws waits as bars from the wait to the resumption, labelled with what they wait on', () => {
    const barOfA = laneOf('A')?.blocks.at(-1)?.waits;
    expect(barOfA).toEqual([{ startColumn: 9, endColumn: 17, startTime: 0, endTime: 1000, wait: waitOfA }]);
    const barOfB = laneOf('B')?.blocks.at(-1)?.waits;
    expect(barOfB).toEqual([{ startColumn: 11, endColumn: 16, startTime: 0, endTime: 1000, wait: waitOfB }]);
  });

  it('ticks where virtual time moves on, after an empty column', () => {
    expect(model.ticks).toEqual([
      { column: 0, time: 0 },
      { column: 13, time: 1000 },
    ]);
    expect(model.columns).toBe(18);
  });

  it('marks the deadlock check and the deadlock on the victim’s lane', () => {
    expect(laneOf('B')?.marks).toEqual([
      { column: 13, time: 1000, kind: 'deadlock-check', label: 'deadlock_timeout elapsed: deadlock check' },
      {
        column: 14,
        time: 1000,
        kind: 'deadlock',
        label: 'deadlock detected (cycle B → A); B is the victim',
      },
    ]);
    expect(laneOf('A')?.marks).toEqual([]);
  });

  it('finds a block by its key, for showing its output', () => {
    expect(findBlock(model, '6:0')).toMatchObject({ session: 'B', block: { state: 'error' } });
    expect(findBlock(model, '99:0')).toBeNull();
  });

  it('keeps statements still running or waiting open to the end of the axis', () => {
    const upToTheWaits = deadlockEventLog.filter((event) => event.seq <= 30);
    const partial = layoutTimeline(upToTheWaits);
    const waitingA = partial.lanes[0]?.blocks.at(-1);
    expect(partial.columns).toBe(12 + openColumns); // the last event (B waits) is in column 11
    expect(waitingA).toMatchObject({ state: 'waiting', endColumn: partial.columns, endTime: null });
    expect(waitingA?.waits[0]).toMatchObject({ endColumn: partial.columns, endTime: null });
  });

  it('marks timeouts, cancellations and terminations', () => {
    const events: EngineEvent[] = [
      { seq: 1, time: 0, type: 'sessionOpened', session: 'A', pid: 1 },
      {
        seq: 2,
        time: 0,
        type: 'statementStarted',
        session: 'A',
        submission: 1,
        index: 0,
        sql: 'SELECT pg_sleep(5)',
      },
      { seq: 3, time: 500, type: 'timeoutFired', session: 'A', timeout: 'statement_timeout' },
      {
        seq: 4,
        time: 500,
        type: 'statementCancelled',
        session: 'A',
        submission: 1,
        index: 0,
        reason: 'statement timeout',
      },
      {
        seq: 5,
        time: 900,
        type: 'sessionTerminated',
        session: 'A',
        error: {
          severity: 'FATAL',
          sqlstate: '25P03',
          message: 'terminating connection due to idle-in-transaction timeout',
        },
      },
      { seq: 6, time: 900, type: 'sessionClosed', session: 'A' },
    ];
    const [lane] = layoutTimeline(events).lanes;
    expect(lane?.closed).toBe(true);
    expect(lane?.marks.map((mark) => [mark.kind, mark.label])).toEqual([
      ['timeout', 'statement_timeout fired'],
      ['cancelled', 'cancelled: statement timeout'],
      ['terminated', 'terminated: terminating connection due to idle-in-transaction timeout'],
    ]);
  });

  it('draws nothing for an empty log', () => {
    expect(layoutTimeline([])).toEqual({ lanes: [], columns: 0, ticks: [] });
  });
});
