/**
 * PostgreSQL's deadlock detector (deadlock.c): finds a cycle in the wait-for graph through the
 * process that runs the check; a cycle made only of queue-order ("soft") edges is resolved by
 * reordering wait queues, any other is a hard deadlock whose victim is the checking process.
 */
import { conflictMask, lockBit, lockModeName, type LockMode } from './lockModes';
import type { LockManager, LockObject, LockWaiter, Pid } from './lockManager';
import { describeLockTag } from './lockTag';

/** One line of the deadlock DETAIL: `pid` waits for `mode` on `lock`. */
export interface DeadlockStep {
  pid: Pid;
  mode: LockMode;
  lock: LockObject;
}

export type DeadlockResult =
  | { kind: 'none' }
  /** Queues were rearranged (and waiters woken where possible). */
  | { kind: 'soft' }
  | { kind: 'hard'; cycle: DeadlockStep[] };

interface Edge {
  waiter: Pid;
  blocker: Pid;
  lock: LockObject;
}

interface WaitOrder {
  lock: LockObject;
  queue: LockWaiter[];
}

/** More constraints than this and the search gives up (PostgreSQL uses MaxBackends). */
const MAX_CONSTRAINTS = 1000;

class DeadlockSearch {
  private constraints: Edge[] = [];
  private waitOrders: WaitOrder[] = [];
  private visited: Pid[] = [];
  private details: DeadlockStep[] = [];
  private softEdges: Edge[] = [];
  /** Soft edges of the last soft cycle TestConfiguration found (shared output buffer). */
  private lastSoftCycle: Edge[] = [];

  constructor(private readonly locks: LockManager) {}

  check(start: Pid): DeadlockResult {
    if (this.recurse(start)) {
      this.waitOrders = [];
      if (!this.findLockCycle(start)) throw new Error('deadlock seems to have disappeared');
      return { kind: 'hard', cycle: this.details.slice() };
    }
    const orders = this.waitOrders;
    for (const order of orders) this.locks.setQueue(order.lock, order.queue);
    return orders.length > 0 ? { kind: 'soft' } : { kind: 'none' };
  }

  /** DeadLockCheckRecurse: true when no deadlock-free arrangement exists. */
  private recurse(start: Pid): boolean {
    const soft = this.testConfiguration(start);
    if (soft < 0) return true;
    if (soft === 0) return false;
    if (this.constraints.length >= MAX_CONSTRAINTS) return true;
    const candidates = this.lastSoftCycle.slice(0, soft);
    for (const edge of candidates) {
      this.constraints.push(edge);
      if (!this.recurse(start)) return false;
      this.constraints.pop();
    }
    return true;
  }

  /** TestConfiguration: -1 hard or inconsistent, 0 deadlock-free, n > 0 soft edges of a soft cycle. */
  private testConfiguration(start: Pid): number {
    if (!this.expandConstraints()) return -1;
    let softFound = 0;
    const probes: Pid[] = [];
    for (const constraint of this.constraints) probes.push(constraint.waiter, constraint.blocker);
    probes.push(start);
    for (const pid of probes) {
      if (!this.findLockCycle(pid)) continue;
      if (this.softEdges.length === 0) return -1;
      softFound = this.softEdges.length;
      this.lastSoftCycle = this.softEdges.slice();
    }
    return softFound;
  }

  private findLockCycle(start: Pid): boolean {
    this.visited = [];
    this.details = [];
    this.softEdges = [];
    return this.findLockCycleRecurse(start, 0);
  }

  private findLockCycleRecurse(pid: Pid, depth: number): boolean {
    if (this.visited.includes(pid)) {
      if (this.visited[0] === pid) {
        this.details.length = depth;
        return true;
      }
      return false;
    }
    this.visited.push(pid);
    return this.findLockCycleRecurseMember(pid, depth);
  }

  private findLockCycleRecurseMember(pid: Pid, depth: number): boolean {
    const lock = this.locks.waitingLock(pid);
    const waiter = this.locks.waiterOf(pid);
    if (!lock || !waiter) return false;
    const conflict = conflictMask(waiter.mode);
    // Hard edges: processes holding a conflicting mode, in PROCLOCK order.
    for (const other of lock.procLocks) {
      if (other === pid) continue;
      if (this.locks.heldMask(lock, other) & conflict) {
        if (this.findLockCycleRecurse(other, depth + 1)) {
          this.details[depth] = { pid, mode: waiter.mode, lock };
          return true;
        }
      }
    }
    // Soft edges: waiters ahead of us whose request conflicts with ours.
    const queue = this.waitOrders.find((o) => o.lock === lock)?.queue ?? lock.queue;
    for (const ahead of queue) {
      if (ahead.pid === pid) break;
      if (lockBit(ahead.mode) & conflict) {
        if (this.findLockCycleRecurse(ahead.pid, depth + 1)) {
          this.details[depth] = { pid, mode: waiter.mode, lock };
          this.softEdges.push({ waiter: pid, blocker: ahead.pid, lock });
          return true;
        }
      }
    }
    return false;
  }

  /** ExpandConstraints: one wait order per lock, from the last constraint on that lock backwards. */
  private expandConstraints(): boolean {
    this.waitOrders = [];
    for (let i = this.constraints.length - 1; i >= 0; i--) {
      const lock = (this.constraints[i] as Edge).lock;
      if (this.waitOrders.some((o) => o.lock === lock)) continue;
      const queue = topoSort(lock, this.constraints.slice(0, i + 1));
      if (!queue) return false;
      this.waitOrders.push({ lock, queue });
    }
    return true;
  }
}

/**
 * TopoSort: reorder a lock's real queue so every constraint's waiter precedes its blocker, keeping
 * the others in their original order as far as possible (filled from the back, highest index first).
 */
function topoSort(lock: LockObject, constraints: Edge[]): LockWaiter[] | null {
  const procs: (LockWaiter | null)[] = lock.queue.slice();
  const n = procs.length;
  const before = new Array<number>(n).fill(0);
  const after: number[][] = Array.from({ length: n }, () => []);
  for (const constraint of constraints) {
    const j = procs.findIndex((p) => p?.pid === constraint.waiter);
    if (j < 0) continue;
    const k = procs.findIndex((p) => p?.pid === constraint.blocker);
    if (k < 0) continue;
    before[j] = (before[j] ?? 0) + 1;
    (after[k] as number[]).push(j);
  }
  const out = new Array<LockWaiter>(n);
  for (let i = n - 1; i >= 0; i--) {
    let chosen = -1;
    for (let j = n - 1; j >= 0; j--) {
      if (procs[j] !== null && before[j] === 0) {
        chosen = j;
        break;
      }
    }
    if (chosen < 0) return null;
    out[i] = procs[chosen] as LockWaiter;
    procs[chosen] = null;
    for (const waiterIndex of after[chosen] as number[]) before[waiterIndex] = (before[waiterIndex] ?? 0) - 1;
  }
  return out;
}

/** DeadLockCheck for the process whose deadlock_timeout fired. */
export function checkForDeadlock(locks: LockManager, pid: Pid): DeadlockResult {
  return new DeadlockSearch(locks).check(pid);
}

/** The DETAIL of a deadlock error: one line per cycle member, the victim first. */
export function deadlockDetail(cycle: readonly DeadlockStep[]): string {
  return cycle
    .map((step, i) => {
      const next = cycle[(i + 1) % cycle.length] as DeadlockStep;
      return `Process ${step.pid} waits for ${lockModeName(step.mode)} on ${describeLockTag(step.lock.tag)}; blocked by process ${next.pid}.`;
    })
    .join('\n');
}
