import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/pgEmulator';
import { deadlockEventLog, waitOfA } from '../fixtures/deadlockEventLog';
import { sessionOutputs } from './sessionOutputs';

describe('sessionOutputs', () => {
  it('lists a session’s statements with their outcomes, in order', () => {
    const outputs = sessionOutputs(deadlockEventLog, 'B');
    expect(outputs.map((output) => [output.sql, output.state, output.outcome?.kind])).toEqual([
      ['BEGIN', 'done', 'ok'],
      ['UPDATE accounts SET balance = balance - 10 WHERE id = 2', 'done', 'ok'],
      ['UPDATE accounts SET balance = balance + 10 WHERE id = 1', 'done', 'error'],
    ]);
  });

  it('keeps the submitted text, in which PostgreSQL counts error positions', () => {
    const events: EngineEvent[] = [
      { seq: 1, time: 0, type: 'submitted', session: 'A', submission: 7, sql: 'SELECT 1; SELEC 2' },
      { seq: 2, time: 0, type: 'statementStarted', session: 'A', submission: 7, index: 1, sql: 'SELEC 2' },
    ];
    expect(sessionOutputs(events, 'A')[0]).toMatchObject({
      sql: 'SELEC 2',
      submissionSql: 'SELECT 1; SELEC 2',
    });
  });

  it('shows a waiting statement with what it waits for', () => {
    const beforeTheDeadlock = deadlockEventLog.filter((event) => event.time === 0);
    const last = sessionOutputs(beforeTheDeadlock, 'A').at(-1);
    expect(last).toMatchObject({ state: 'waiting', wait: waitOfA, outcome: null, endTime: null });
  });

  it('attaches notices to the statement that raised them', () => {
    const events: EngineEvent[] = [
      { seq: 1, time: 0, type: 'statementStarted', session: 'A', submission: 1, index: 0, sql: 'DO $$…$$' },
      {
        seq: 2,
        time: 0,
        type: 'notice',
        session: 'A',
        submission: 1,
        index: 0,
        notice: { severity: 'NOTICE', sqlstate: '00000', message: 'hi' },
      },
      {
        seq: 3,
        time: 0,
        type: 'notice',
        session: 'B',
        submission: null,
        index: null,
        notice: { severity: 'NOTICE', sqlstate: '00000', message: 'not A' },
      },
      {
        seq: 4,
        time: 0,
        type: 'statementFinished',
        session: 'A',
        submission: 1,
        index: 0,
        sql: 'DO $$…$$',
        outcome: { kind: 'ok', tag: 'DO', command: 'DO', rowCount: null },
      },
    ];
    expect(sessionOutputs(events, 'A')[0]?.notices.map((notice) => notice.message)).toEqual(['hi']);
  });
});
