/** The simulator timeline's layout: the axis, and mark texts that never overlap. */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../engine/clientTimeouts';
import { findLesson } from '../../lessons';
import { axisExtent, axisTicks, layoutRun, markTexts } from './phaseTimelineLayout';

describe('markTexts', () => {
  it('joins a mark whose glyph falls on the text before it, and leaves it its glyph alone', () => {
    // 1% per character: "CancelRequest" (13 + 3) reaches 34% from 18%.
    const marks = [
      { left: 18, label: 'CancelRequest' },
      { left: 19, label: 'Terminate' },
      { left: 60, label: 'discarded' },
    ];
    expect(markTexts(marks, 1)).toEqual(['CancelRequest · Terminate', null, 'discarded']);
  });

  it('takes the marks from the left whatever their order, skips empty labels and repeats', () => {
    const marks = [
      { left: 50, label: 'late' },
      { left: 10, label: 'closed' },
      { left: 11, label: '' },
      { left: 12, label: 'closed' },
    ];
    expect(markTexts(marks, 1)).toEqual(['late', 'closed', null, null]);
  });

  it('keeps every text when the marks are far enough apart', () => {
    expect(
      markTexts(
        [
          { left: 0, label: 'a' },
          { left: 5, label: 'b' },
        ],
        1,
      ),
    ).toEqual(['a', 'b']);
  });
});

describe('the timeline of the lesson client-timeout-phases', () => {
  const program = findLesson('client-timeout-phases')?.clientTimeouts?.program;
  if (!program) throw new Error('the lesson has no simulator program');

  it('pgx: the server waits for the row lock until the CancelRequest stops it, then Terminate', () => {
    const extent = axisExtent(401);
    expect(extent).toBe(500);
    expect(axisTicks(extent).map((tick) => tick.label)).toEqual([
      '0 ms',
      '100 ms',
      '200 ms',
      '300 ms',
      '400 ms',
      '500 ms',
    ]);
    const lanes = layoutRun('pgx-stdlib', simulate({ ...program, driver: 'pgx-stdlib' }), extent);
    const server = lanes.find((lane) => lane.kind === 'server');
    if (server?.kind !== 'server') throw new Error('no server lane');
    expect(server.boxes.map((box) => [box.kind, box.startMs, box.endMs, box.stopped])).toEqual([
      ['lock-wait', 8, 108, true],
    ]);
    expect(server.marks.map((mark) => [mark.atMs, mark.label])).toEqual([
      [108, 'CancelRequest'],
      [112, 'Terminate'],
    ]);
  });

  it('mysql: the UPDATE still waits, then runs, after the socket is closed', () => {
    const lanes = layoutRun('mysql', simulate({ ...program, driver: 'mysql' }), 500);
    const server = lanes.find((lane) => lane.kind === 'server');
    if (server?.kind !== 'server') throw new Error('no server lane');
    expect(server.boxes.map((box) => [box.kind, box.startMs, box.endMs, box.orphaned])).toEqual([
      ['lock-wait', 8, 102, false],
      ['lock-wait', 102, 400, true],
      ['running', 400, 401, true],
    ]);
    expect(server.marks.map((mark) => mark.label)).toEqual(['socket closed']);
  });
});
