import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../engine/harness';
import type { Lesson } from './lesson';
import { factProblems, stepRecords } from './stepFacts';

const deadlock = { sqlstate: '40P01', message: 'deadlock detected' };
const transcript: TranscriptEvent[] = [
  { kind: 'parsed', sessionCount: 2 },
  { kind: 'permutationStarted', steps: ['a_read', 'b_lock', 'a_read'] },
  { kind: 'stepCompleted', step: 'a_read', sql: 'SELECT 1', afterWait: false },
  {
    kind: 'stepOutcome',
    step: 'a_read',
    outcome: {
      kind: 'ok',
      tag: 'SELECT 1',
      command: 'SELECT',
      rowCount: 1,
      fields: [{ name: 'x', typeOid: 23 }],
      rows: [['1']],
    },
  },
  { kind: 'stepWaiting', step: 'b_lock', sql: 'SELECT 2' },
  { kind: 'stepCompleted', step: 'a_read', sql: 'SELECT 1', afterWait: false },
  {
    kind: 'stepOutcome',
    step: 'a_read',
    outcome: {
      kind: 'ok',
      tag: 'SELECT 1',
      command: 'SELECT',
      rowCount: 1,
      fields: [{ name: 'x', typeOid: 23 }],
      rows: [['2']],
    },
  },
  { kind: 'stepCompleted', step: 'b_lock', sql: 'SELECT 2', afterWait: true },
  {
    kind: 'stepOutcome',
    step: 'b_lock',
    outcome: { kind: 'error', error: { severity: 'ERROR', ...deadlock } },
  },
];

function lesson(steps: Lesson['parts'][number]['steps']): Lesson {
  return { id: 'l', title: 'L', summary: '', spec: '', parts: [{ title: 'P', intro: '', steps }] };
}

describe('step facts', () => {
  it('split a transcript into launched steps, a wait completed later going to its launch', () => {
    expect(stepRecords(transcript)).toEqual([
      [
        { step: 'a_read', waited: false, outcomes: [expect.objectContaining({ rows: [['1']] })] },
        { step: 'b_lock', waited: true, outcomes: [expect.objectContaining({ kind: 'error' })] },
        { step: 'a_read', waited: false, outcomes: [expect.objectContaining({ rows: [['2']] })] },
      ],
    ]);
  });

  it('hold when the run shows them', () => {
    const facts = lesson([
      { step: 'a_read', expect: { waits: false, rows: [['1']], error: null } },
      { step: 'b_lock', expect: { waits: true, error: deadlock } },
      { step: 'a_read', expect: { rows: [['2']] } },
    ]);
    expect(factProblems(facts, stepRecords(transcript))).toEqual([]);
  });

  it('name every fact the run contradicts', () => {
    const wrong = lesson([
      { step: 'a_read', expect: { waits: true, rows: [['2']] } },
      { step: 'b_lock', expect: { error: null } },
      { step: 'b_lock' },
    ]);
    expect(factProblems(wrong, stepRecords(transcript))).toEqual([
      'l, part 1, step 1 (a_read): expected it to wait, it did not',
      'l, part 1, step 1 (a_read): expected rows [["2"]], got [["1"]]',
      'l, part 1, step 2 (b_lock): expected no error, got 40P01 deadlock detected',
      'l, part 1, step 3 (b_lock): the run shows a_read here',
    ]);
  });
});
