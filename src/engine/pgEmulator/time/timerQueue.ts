/**
 * Timers on virtual time: deadlock checks, lock/statement/idle/transaction timeouts, pg_sleep.
 * Ordered by due time, then by the order they were scheduled, so runs are deterministic.
 */
export type TimerId = number;

interface Timer {
  id: TimerId;
  due: number;
  action: () => void;
}

export class TimerQueue {
  private timers: Timer[] = [];
  private nextId = 1;

  schedule(due: number, action: () => void): TimerId {
    const timer = { id: this.nextId++, due, action };
    // Insert after every timer due at or before `due` (stable order).
    let index = this.timers.length;
    while (index > 0 && (this.timers[index - 1] as Timer).due > due) index--;
    this.timers.splice(index, 0, timer);
    return timer.id;
  }

  cancel(id: TimerId | null | undefined): void {
    if (id === null || id === undefined) return;
    const index = this.timers.findIndex((t) => t.id === id);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /** Due time of the earliest timer, or null when none is pending. */
  nextDue(): number | null {
    return this.timers[0]?.due ?? null;
  }

  /** Removes and returns the earliest timer if it is due at or before `time`. */
  popDue(time: number): { due: number; action: () => void } | null {
    const first = this.timers[0];
    if (!first || first.due > time) return null;
    this.timers.shift();
    return first;
  }

  clear(): void {
    this.timers = [];
  }
}
