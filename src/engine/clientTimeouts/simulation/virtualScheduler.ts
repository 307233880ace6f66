/**
 * Virtual time for the simulation. Goroutines are generator coroutines that yield what they wait
 * for; the scheduler resumes them in time order. Deterministic: actions due at the same time run
 * by priority, then in the order they were scheduled — and a ctx deadline runs after everything
 * else due at its instant (a result that arrives exactly at the deadline wins).
 */

export type Wake = { by: 'time' } | { by: 'deadline' } | { by: 'handoff'; value: unknown };

export type Wait =
  /** Wait until a virtual time (a round trip, a dial, the program's own work). */
  | { kind: 'until'; atMs: number }
  /** Wait until someone calls `handOff` (a pooled connection); `withdraw` undoes the request. */
  | { kind: 'handoff'; withdraw: () => void };

export type Coroutine = Generator<Wait, void, Wake>;

/** Priority of the ctx deadline among actions due at the same instant: last. */
const DEADLINE_PRIORITY = 1;

interface Timer {
  id: number;
  atMs: number;
  priority: number;
  seq: number;
  action: () => void;
}

interface Task {
  id: string;
  coroutine: Coroutine;
  waiting: Wait | null;
  waitTimer: number | null;
  /** The ctx deadline has fired (it fires at most once). */
  deadlineFired: boolean;
  finished: boolean;
}

export class VirtualScheduler {
  private timers: Timer[] = [];
  private nextTimerId = 1;
  private nextSeq = 1;
  private readonly tasks = new Map<string, Task>();
  private current = 0;

  get nowMs(): number {
    return this.current;
  }

  /** Run `action` at `atMs` (never earlier than now). */
  schedule(atMs: number, action: () => void, priority = 0): number {
    const timer: Timer = {
      id: this.nextTimerId++,
      atMs: Math.max(atMs, this.current),
      priority,
      seq: this.nextSeq++,
      action,
    };
    let index = this.timers.length;
    while (index > 0 && compareTimers(this.timers[index - 1] as Timer, timer) > 0) index--;
    this.timers.splice(index, 0, timer);
    return timer.id;
  }

  cancel(timerId: number | null): void {
    if (timerId === null) return;
    const index = this.timers.findIndex((timer) => timer.id === timerId);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /**
   * Start a coroutine at `startMs`. When `deadlineMs` comes while it waits, it is resumed with
   * `{ by: 'deadline' }` (its pending wait is cancelled); it decides what that means.
   */
  spawn(id: string, coroutine: Coroutine, startMs: number, deadlineMs: number | null): void {
    const task: Task = {
      id,
      coroutine,
      waiting: null,
      waitTimer: null,
      deadlineFired: false,
      finished: false,
    };
    this.tasks.set(id, task);
    this.schedule(startMs, () => this.step(task, { by: 'time' }));
    if (deadlineMs !== null) {
      this.schedule(deadlineMs, () => this.fireDeadline(task), DEADLINE_PRIORITY);
    }
  }

  /** Resume a task that waits for a hand-off (e.g. a connection), now. */
  handOff(taskId: string, value: unknown): void {
    const task = this.tasks.get(taskId);
    if (task === undefined || task.waiting?.kind !== 'handoff') {
      throw new Error(`task ${taskId} is not waiting for a hand-off`);
    }
    task.waiting = null;
    this.schedule(this.current, () => this.step(task, { by: 'handoff', value }));
  }

  deadlineHasFired(taskId: string): boolean {
    return this.tasks.get(taskId)?.deadlineFired ?? false;
  }

  /** Run until nothing is left to do. */
  run(): void {
    for (;;) {
      const timer = this.timers.shift();
      if (timer === undefined) return;
      this.current = timer.atMs;
      timer.action();
    }
  }

  private fireDeadline(task: Task): void {
    task.deadlineFired = true;
    if (task.finished || task.waiting === null) return;
    const waiting = task.waiting;
    task.waiting = null;
    if (waiting.kind === 'until') this.cancel(task.waitTimer);
    else waiting.withdraw();
    task.waitTimer = null;
    this.step(task, { by: 'deadline' });
  }

  private step(task: Task, wake: Wake): void {
    const next = task.coroutine.next(wake);
    if (next.done === true) {
      task.finished = true;
      return;
    }
    const wait = next.value;
    task.waiting = wait;
    if (wait.kind === 'until') {
      task.waitTimer = this.schedule(wait.atMs, () => {
        task.waiting = null;
        task.waitTimer = null;
        this.step(task, { by: 'time' });
      });
    }
  }
}

function compareTimers(a: Timer, b: Timer): number {
  return a.atMs - b.atMs || a.priority - b.priority || a.seq - b.seq;
}
