/**
 * Lays out a simulation as the simulator's timeline: per driver, a lane per goroutine (its phases,
 * and the calls that returned an error), a lane per pool connection (what became of it), and the
 * server's lane (each statement: waiting for its row lock, running — cut where a cancel or an
 * interrupt stops it, or running on after the client has gone — and what the driver sent). The
 * axis is virtual milliseconds from 0 to `extentMs`; positions are percentages of it.
 */
import {
  describeServerEffect,
  type ConnectionEventKind,
  type DriverName,
  type GoError,
  type ServerEffect,
  type SimulationResult,
  type SpanKind,
} from '../../engine/clientTimeouts';

export interface Positioned {
  /** Percent of the axis from its start. */
  left: number;
}

export interface SpanBox extends Positioned {
  kind: SpanKind;
  width: number;
  startMs: number;
  endMs: number;
  label: string;
}

export interface CallMark extends Positioned {
  atMs: number;
  call: string;
  error: GoError;
}

export interface ConnectionMark extends Positioned {
  atMs: number;
  kind: ConnectionEventKind;
  label: string;
  detail: string;
  /** The connection's life ends here (closed, discarded, destroyed, dropped). */
  ends: boolean;
}

export interface ServerBox extends Positioned {
  width: number;
  kind: 'lock-wait' | 'running';
  startMs: number;
  endMs: number;
  sql: string;
  /** Running after the client went away (nothing told the server to stop). */
  orphaned: boolean;
  /** A cancel or an interrupt stopped it at `endMs`. */
  stopped: boolean;
}

export interface ServerMark extends Positioned {
  atMs: number;
  kind: ServerEffect['kind'];
  label: string;
  causedByDeadline: boolean;
}

export type TimelineLane =
  | {
      kind: 'goroutine';
      key: string;
      driver: DriverName;
      goroutine: string;
      spans: SpanBox[];
      errors: CallMark[];
    }
  | {
      kind: 'connection';
      key: string;
      driver: DriverName;
      connection: string;
      /** From the first event to the end of its life (or the axis' end). */
      life: { left: number; width: number };
      marks: ConnectionMark[];
    }
  | { kind: 'server'; key: string; driver: DriverName; boxes: ServerBox[]; marks: ServerMark[] };

export interface AxisTick extends Positioned {
  atMs: number;
  label: string;
}

const END_OF_LIFE: ReadonlySet<ConnectionEventKind> = new Set([
  'discarded',
  'dropped-at-checkout',
  'closed-expired',
  'closed-max-idle',
  'destroyed',
]);

const CONNECTION_LABELS: Readonly<Record<ConnectionEventKind, string>> = {
  dialing: 'dialing',
  opened: 'opened',
  'checked-out': 'checked out',
  'returned-to-idle': 'back in the idle list',
  'handed-to-waiter': 'handed to a waiter',
  'closed-by-driver': 'closed by the driver',
  'marked-invalid': 'marked invalid',
  discarded: 'discarded',
  'dropped-at-checkout': 'dropped at checkout',
  'closed-expired': 'closed: too old',
  'closed-max-idle': 'closed: idle list full',
  destroyed: 'destroyed',
  'transaction-rolled-back': 'rolled back',
};

/** A round axis end a little past `ms`: 1, 2 or 5 times a power of ten, in 10 ticks at most. */
export function axisExtent(ms: number): number {
  const target = Math.max(10, ms * 1.08);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const factor of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (factor * power >= target) return factor * power;
  }
  return 10 * power;
}

export function axisTicks(extentMs: number): AxisTick[] {
  const rough = extentMs / 8;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power;
  const ticks: AxisTick[] = [];
  for (let atMs = 0; atMs <= extentMs + 1e-9; atMs += step) {
    ticks.push({ atMs, left: percent(atMs, extentMs), label: `${Math.round(atMs)} ms` });
  }
  return ticks;
}

export function percent(ms: number, extentMs: number): number {
  return Math.min(100, Math.max(0, (ms / extentMs) * 100));
}

/** The lanes of one driver's run. */
export function layoutRun(driver: DriverName, result: SimulationResult, extentMs: number): TimelineLane[] {
  const at = (ms: number) => percent(ms, extentMs);
  const lanes: TimelineLane[] = [];
  for (const goroutine of result.goroutines) {
    lanes.push({
      kind: 'goroutine',
      key: `${driver}:g:${goroutine.id}`,
      driver,
      goroutine: goroutine.id,
      spans: goroutine.spans.map((span) => ({
        kind: span.kind,
        left: at(span.startMs),
        width: at(span.endMs) - at(span.startMs),
        startMs: span.startMs,
        endMs: span.endMs,
        label: span.label,
      })),
      errors: goroutine.calls.flatMap((call) =>
        call.error === null
          ? []
          : [{ atMs: call.endMs, left: at(call.endMs), call: call.call, error: call.error }],
      ),
    });
  }
  for (const connection of result.connections) {
    const first = connection.events[0]?.atMs ?? 0;
    const end = connection.events.find((event) => END_OF_LIFE.has(event.kind))?.atMs ?? extentMs;
    lanes.push({
      kind: 'connection',
      key: `${driver}:c:${connection.id}`,
      driver,
      connection: connection.id,
      life: { left: at(first), width: at(end) - at(first) },
      marks: connection.events.map((event) => ({
        atMs: event.atMs,
        left: at(event.atMs),
        kind: event.kind,
        label: CONNECTION_LABELS[event.kind],
        detail: event.detail,
        ends: END_OF_LIFE.has(event.kind),
      })),
    });
  }
  lanes.push({
    kind: 'server',
    key: `${driver}:server`,
    driver,
    boxes: serverBoxes(result.serverEffects, at),
    marks: result.serverEffects
      .filter((effect) => effect.kind !== 'statement' && effect.kind !== 'connect')
      .map((effect) => ({
        atMs: effect.atMs,
        left: at(effect.atMs),
        kind: effect.kind,
        label: serverMarkLabel(effect),
        causedByDeadline: effect.cause === 'deadline',
      })),
  });
  return lanes;
}

function serverMarkLabel(effect: ServerEffect): string {
  switch (effect.kind) {
    case 'cancel-request':
      return 'CancelRequest';
    case 'disconnect':
      return effect.graceful === true ? 'Terminate' : effect.graceful === false ? 'socket closed' : 'closed';
    case 'sqlite-interrupt':
      return 'sqlite3_interrupt';
    default:
      return describeServerEffect(effect);
  }
}

/**
 * Each statement on the server: its lock wait, then its run, up to the first cancel or interrupt on
 * its connection that arrives before it is done; after the client's disconnect, with nothing that
 * stops it, it goes on orphaned.
 */
function serverBoxes(effects: readonly ServerEffect[], at: (ms: number) => number): ServerBox[] {
  const boxes: ServerBox[] = [];
  for (const effect of effects) {
    if (effect.kind !== 'statement' || effect.execution === undefined) continue;
    const { startsAtMs, doneAtMs } = effect.execution;
    const later = effects.filter(
      (other) =>
        other.connectionId === effect.connectionId && other.atMs >= effect.atMs && other.atMs < doneAtMs,
    );
    const stop = later.find((other) => other.kind === 'cancel-request' || other.kind === 'sqlite-interrupt');
    const endMs = stop?.atMs ?? doneAtMs;
    const goneAtMs =
      stop === undefined ? later.find((other) => other.kind === 'disconnect')?.atMs : undefined;
    const pieces: [ServerBox['kind'], number, number][] = [
      ['lock-wait', effect.atMs, Math.min(startsAtMs, endMs)],
      ['running', startsAtMs, endMs],
    ];
    for (const [kind, from, to] of pieces) {
      if (to <= from) continue;
      const cuts =
        goneAtMs !== undefined && goneAtMs > from && goneAtMs < to
          ? [
              [from, goneAtMs, false],
              [goneAtMs, to, true],
            ]
          : [[from, to, goneAtMs !== undefined && goneAtMs <= from]];
      for (const [start, end, orphaned] of cuts as [number, number, boolean][]) {
        boxes.push({
          kind,
          left: at(start),
          width: at(end) - at(start),
          startMs: start,
          endMs: end,
          sql: effect.sql ?? '',
          orphaned,
          stopped: stop !== undefined && end === endMs,
        });
      }
    }
  }
  return boxes;
}

/**
 * Which marks of a lane carry a text, so that no two texts overlap: marks are taken from the left;
 * one whose glyph falls on the text before it joins that text (`CancelRequest · Terminate`) and
 * shows only its glyph. `charPercent` is the width of a character in percent of the axis.
 * Returns, per mark in the given order, its text (null: glyph only).
 */
export function markTexts(
  marks: readonly { left: number; label: string }[],
  charPercent: number,
): (string | null)[] {
  const texts: (string | null)[] = marks.map(() => null);
  const order = marks.map((_, index) => index).sort((a, b) => (marks[a]?.left ?? 0) - (marks[b]?.left ?? 0));
  let owner = -1;
  let busyUntil = Number.NEGATIVE_INFINITY;
  for (const index of order) {
    const mark = marks[index] as { left: number; label: string };
    if (mark.label === '') continue;
    const current = owner >= 0 ? texts[owner] : null;
    if (current !== null && current !== undefined && mark.left < busyUntil) {
      if (!current.split(' · ').includes(mark.label)) {
        texts[owner] = `${current} · ${mark.label}`;
        busyUntil += (mark.label.length + 3) * charPercent;
      }
      continue;
    }
    owner = index;
    texts[index] = mark.label;
    // The glyph, the gap and the text's padding take about three characters.
    busyUntil = mark.left + (mark.label.length + 3) * charPercent;
  }
  return texts;
}
