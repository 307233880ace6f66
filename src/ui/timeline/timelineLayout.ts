/**
 * Lays out the engine's event log as swimlanes: one lane per session, each statement a block, each
 * wait a bar inside its block, deadlocks / timeouts / cancellations / terminations as marks.
 *
 * The horizontal axis is the order of events, in columns, annotated with virtual time: statements
 * take no virtual time, so a pure time axis would stack everything at 0 ms. Every event that starts,
 * suspends, resumes or ends a statement takes the next column; when virtual time moves on, an empty
 * column marks the gap and a tick says the new time.
 */
import type { EngineEvent, WaitInfo, StatementOutcome } from '../../engine/pgEmulator';

export interface TimelineModel {
  lanes: TimelineLane[];
  /** Number of columns; open blocks and bars reach it. */
  columns: number;
  ticks: TimeTick[];
}

export interface TimelineLane {
  session: string;
  closed: boolean;
  blocks: StatementBlock[];
  marks: TimelineMark[];
}

export type StatementState = 'running' | 'waiting' | 'ok' | 'error';

export interface StatementBlock {
  /** Unique in the log: `submission:index`. */
  key: string;
  submission: number;
  index: number;
  sql: string;
  /** First column (inclusive) and last column (exclusive). */
  startColumn: number;
  endColumn: number;
  startTime: number;
  endTime: number | null;
  state: StatementState;
  outcome: StatementOutcome | null;
  waits: WaitBar[];
}

export interface WaitBar {
  startColumn: number;
  endColumn: number;
  startTime: number;
  endTime: number | null;
  wait: WaitInfo;
}

export type TimelineMarkKind = 'deadlock' | 'deadlock-check' | 'timeout' | 'cancelled' | 'terminated';

export interface TimelineMark {
  column: number;
  time: number;
  kind: TimelineMarkKind;
  label: string;
}

export interface TimeTick {
  column: number;
  time: number;
}

/** Columns added after the last event while statements are still running or waiting. */
export const openColumns = 3;

export function layoutTimeline(events: readonly EngineEvent[]): TimelineModel {
  const lanes = new Map<string, TimelineLane>();
  const openBlocks = new Map<string, StatementBlock>();
  const ticks: TimeTick[] = [];
  let column = 0;
  let time: number | null = null;

  const lane = (session: string): TimelineLane => {
    let found = lanes.get(session);
    if (!found) {
      found = { session, closed: false, blocks: [], marks: [] };
      lanes.set(session, found);
    }
    return found;
  };

  /** Gives an axis event its column, opening a gap and a tick when virtual time has moved. */
  const place = (eventTime: number): number => {
    if (time === null) {
      ticks.push({ column, time: eventTime });
    } else if (eventTime > time) {
      column++; // the gap
      ticks.push({ column, time: eventTime });
    }
    time = eventTime;
    return column++;
  };

  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    switch (event.type) {
      case 'sessionOpened':
        lane(event.session).closed = false;
        break;
      case 'sessionClosed':
        lane(event.session).closed = true;
        break;
      case 'statementStarted': {
        const at = place(event.time);
        const block: StatementBlock = {
          key: `${event.submission}:${event.index}`,
          submission: event.submission,
          index: event.index,
          sql: event.sql,
          startColumn: at,
          endColumn: at + 1,
          startTime: event.time,
          endTime: null,
          state: 'running',
          outcome: null,
          waits: [],
        };
        lane(event.session).blocks.push(block);
        openBlocks.set(block.key, block);
        break;
      }
      case 'statementWaiting': {
        const block = openBlocks.get(`${event.submission}:${event.index}`);
        const at = place(event.time);
        if (!block) break;
        block.state = 'waiting';
        block.waits.push({
          startColumn: at,
          endColumn: at + 1,
          startTime: event.time,
          endTime: null,
          wait: event.wait,
        });
        break;
      }
      case 'statementResumed': {
        const block = openBlocks.get(`${event.submission}:${event.index}`);
        const at = place(event.time);
        if (!block) break;
        block.state = 'running';
        closeWait(block, at, event.time);
        break;
      }
      case 'statementFinished': {
        const key = `${event.submission}:${event.index}`;
        const block = openBlocks.get(key);
        const at = place(event.time);
        if (!block) break;
        closeWait(block, at, event.time);
        block.endColumn = at + 1;
        block.endTime = event.time;
        block.outcome = event.outcome;
        block.state = event.outcome.kind;
        openBlocks.delete(key);
        break;
      }
      case 'deadlockDetected':
        lane(event.victim).marks.push({
          column: place(event.time),
          time: event.time,
          kind: 'deadlock',
          label: `deadlock detected (cycle ${event.cycle.join(' → ')}); ${event.victim} is the victim`,
        });
        break;
      case 'timeoutFired':
        lane(event.session).marks.push({
          column: place(event.time),
          time: event.time,
          kind: event.timeout === 'deadlock_timeout' ? 'deadlock-check' : 'timeout',
          label:
            event.timeout === 'deadlock_timeout'
              ? 'deadlock_timeout elapsed: deadlock check'
              : `${event.timeout} fired`,
        });
        break;
      case 'statementCancelled':
        lane(event.session).marks.push({
          column: place(event.time),
          time: event.time,
          kind: 'cancelled',
          label: `cancelled: ${event.reason}`,
        });
        break;
      case 'sessionTerminated':
        lane(event.session).marks.push({
          column: place(event.time),
          time: event.time,
          kind: 'terminated',
          label: `terminated: ${event.error.message}`,
        });
        break;
      default:
        break;
    }
  }

  // Open blocks and bars run to the end of the axis, which gets a few columns of "now" so that a
  // statement still running or waiting is wide enough to read.
  if (openBlocks.size > 0) column += openColumns;
  for (const block of openBlocks.values()) {
    block.endColumn = column;
    for (const bar of block.waits) if (bar.endTime === null) bar.endColumn = column;
  }
  return { lanes: [...lanes.values()], columns: column, ticks };
}

function closeWait(block: StatementBlock, column: number, time: number): void {
  const bar = block.waits.at(-1);
  if (bar && bar.endTime === null) {
    bar.endColumn = column + 1;
    bar.endTime = time;
  }
}

/** The block for a `submission:index` key, with its lane's session. */
export function findBlock(
  model: TimelineModel,
  key: string,
): { session: string; block: StatementBlock } | null {
  for (const lane of model.lanes) {
    const block = lane.blocks.find((candidate) => candidate.key === key);
    if (block) return { session: lane.session, block };
  }
  return null;
}
