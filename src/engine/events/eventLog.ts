/**
 * The engine's append-only event log.
 */
import type { EngineEvent } from '../api/events';

/** An event as emitted, before the log numbers and timestamps it. */
export type EventPayload = EngineEvent extends infer E
  ? E extends EngineEvent
    ? Omit<E, 'seq' | 'time'>
    : never
  : never;

export class EventLog {
  private readonly entries: EngineEvent[] = [];

  constructor(private readonly now: () => number) {}

  emit(payload: EventPayload): void {
    this.entries.push({ ...payload, seq: this.entries.length + 1, time: this.now() } as EngineEvent);
  }

  /** Events with seq greater than `afterSeq`. */
  since(afterSeq = 0): EngineEvent[] {
    return this.entries.slice(afterSeq);
  }

  get lastSeq(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
