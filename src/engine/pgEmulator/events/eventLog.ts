/**
 * The engine's append-only event log.
 */
import type { EngineEvent } from '../api/events';

/** An event as emitted, before the log numbers and timestamps it. */
export type EventPayload = EngineEvent extends infer E
  ? E extends EngineEvent
    ? Omit<E, 'seq' | 'time' | 'helper'>
    : never
  : never;

export class EventLog {
  private readonly entries: EngineEvent[] = [];
  /** Called with every event as it is appended (the app's worker reports progress with it). */
  listener: ((event: EngineEvent) => void) | null = null;

  constructor(
    private readonly now: () => number,
    /** Whether the session an event names is a helper session. */
    private readonly isHelper: (session: string) => boolean = () => false,
  ) {}

  emit(payload: EventPayload): void {
    const event = { ...payload, seq: this.entries.length + 1, time: this.now() } as EngineEvent;
    if ('session' in payload && this.isHelper(payload.session)) event.helper = true;
    this.entries.push(event);
    this.listener?.(event);
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
