/** Collects what the simulation observes into the timeline the model returns. */
import type { GoError } from '../goErrors';
import type { RuleId } from '../rules';
import type {
  CallRecord,
  ConnectionEvent,
  ConnectionEventKind,
  ConnectionTimeline,
  GoroutineOutcome,
  GoroutineTimeline,
  PhaseSpan,
  ServerEffect,
} from '../timeline';

export class TimelineRecorder {
  private readonly goroutines = new Map<string, GoroutineTimeline>();
  private readonly connections = new Map<string, ConnectionTimeline>();
  private readonly effects: ServerEffect[] = [];

  addGoroutine(id: string, deadlineMs: number | null): void {
    this.goroutines.set(id, {
      id,
      deadlineMs,
      spans: [],
      calls: [],
      outcome: 'completed',
      finalError: null,
      endMs: 0,
    });
  }

  span(goroutine: string, span: PhaseSpan): void {
    if (span.endMs <= span.startMs) return;
    const spans = this.goroutine(goroutine).spans;
    const last = spans[spans.length - 1];
    if (
      last !== undefined &&
      last.kind === span.kind &&
      last.stepIndex === span.stepIndex &&
      last.endMs === span.startMs &&
      last.connectionId === span.connectionId
    ) {
      last.endMs = span.endMs;
      return;
    }
    spans.push(span);
  }

  call(goroutine: string, record: CallRecord): void {
    this.goroutine(goroutine).calls.push(record);
  }

  finish(goroutine: string, atMs: number, outcome: GoroutineOutcome, detail?: GoError | string): void {
    const timeline = this.goroutine(goroutine);
    timeline.outcome = outcome;
    timeline.endMs = atMs;
    if (outcome === 'returned-error' && typeof detail === 'object') timeline.finalError = detail;
    if (outcome === 'not-modelled' && typeof detail === 'string') timeline.notModelledReason = detail;
  }

  connectionEvent(
    connectionId: string,
    atMs: number,
    kind: ConnectionEventKind,
    detail: string,
    extra: { goroutine?: string; ruleIds?: RuleId[] } = {},
  ): void {
    let timeline = this.connections.get(connectionId);
    if (timeline === undefined) {
      timeline = { id: connectionId, events: [] };
      this.connections.set(connectionId, timeline);
    }
    const event: ConnectionEvent = { atMs, kind, detail };
    if (extra.goroutine !== undefined) event.goroutine = extra.goroutine;
    if (extra.ruleIds !== undefined && extra.ruleIds.length > 0) event.ruleIds = extra.ruleIds;
    timeline.events.push(event);
  }

  serverEffect(effect: ServerEffect): void {
    this.effects.push(effect);
  }

  goroutineTimelines(): GoroutineTimeline[] {
    return [...this.goroutines.values()];
  }

  connectionTimelines(): ConnectionTimeline[] {
    for (const timeline of this.connections.values()) timeline.events.sort((a, b) => a.atMs - b.atMs);
    return [...this.connections.values()];
  }

  /** Server effects in arrival order (stable for equal times). */
  serverEffects(): ServerEffect[] {
    return this.effects
      .map((effect, index) => ({ effect, index }))
      .sort((a, b) => a.effect.atMs - b.effect.atMs || a.index - b.index)
      .map(({ effect }) => effect);
  }

  private goroutine(id: string): GoroutineTimeline {
    const timeline = this.goroutines.get(id);
    if (timeline === undefined) throw new Error(`unknown goroutine ${id}`);
    return timeline;
  }
}
