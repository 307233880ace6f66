import { describe, expect, it } from 'vitest';
import { normalizeDetail, toJsonPermutations } from './renderJson';

describe('the --json form', () => {
  it('replaces the numbers that differ from run to run in error details', () => {
    expect(
      normalizeDetail('Process 4242 waits for ShareLock on transaction 771; blocked by process 4243.'),
    ).toBe('Process N waits for ShareLock on transaction N; blocked by process N.');
    expect(
      normalizeDetail(
        'Process 12 waits for ExclusiveLock on tuple (0,1) of relation 16385 of database 5; blocked by process 13.',
      ),
    ).toBe(
      'Process N waits for ExclusiveLock on tuple (0,1) of relation N of database N; blocked by process N.',
    );
    expect(
      normalizeDetail('Process 7 waits for ShareLock on virtual transaction 3/12; blocked by process 8.'),
    ).toBe('Process N waits for ShareLock on virtual transaction N; blocked by process N.');
    expect(normalizeDetail('Key (id)=(1) already exists.')).toBe('Key (id)=(1) already exists.');
  });

  it('groups events by permutation, in the order the tester prints them', () => {
    const permutations = toJsonPermutations('spec', [
      { kind: 'parsed', sessionCount: 2 },
      { kind: 'permutationStarted', steps: ['a', 'b'] },
      { kind: 'stepWaiting', step: 'a', sql: 'A' },
      {
        kind: 'notice',
        session: 's2',
        notice: { severity: 'NOTICE', sqlstate: '00000', message: 'hi', detail: 'x' },
      },
      { kind: 'stepCompleted', step: 'b', sql: 'B', afterWait: false },
      {
        kind: 'stepOutcome',
        step: 'b',
        outcome: { kind: 'ok', tag: 'COMMIT', command: 'COMMIT', rowCount: null },
      },
      { kind: 'stepCompleted', step: 'a', sql: 'A', afterWait: true },
      {
        kind: 'stepOutcome',
        step: 'a',
        outcome: {
          kind: 'error',
          error: { severity: 'ERROR', sqlstate: '40001', message: 'could not serialize access' },
        },
      },
      { kind: 'permutationStarted', steps: ['b'] },
      { kind: 'stepCanceled', step: 'b', seconds: 300 },
      { kind: 'diagnostic', text: 'teardown failed: ERROR:  boom\n' },
    ]);
    expect(JSON.stringify(permutations)).toBe(
      JSON.stringify([
        {
          spec: 'spec',
          permutation: ['a', 'b'],
          events: [
            { step: 'a', waiting: true },
            { session: 's2', notice: { severity: 'NOTICE', message: 'hi' } },
            { step: 'b', results: [{ command: 'COMMIT', rowCount: null, fields: [], rows: [] }] },
            {
              step: 'a',
              completedAfterWait: true,
              error: { sqlstate: '40001', message: 'could not serialize access', detail: null, hint: null },
            },
          ],
        },
        {
          spec: 'spec',
          permutation: ['b'],
          events: [{ step: 'b', canceledAfterSeconds: 300 }, { diagnostic: 'teardown failed: ERROR:  boom' }],
        },
      ]),
    );
  });
});
