/**
 * One goroutine's state while its program runs (its transaction, its deadline verdict, whether it
 * stopped) and the small operations every part of the runner needs: waiting on virtual time,
 * round trips, recording calls, spans and server effects, opening the deadline verdict.
 */
import { resolveDeadline, type DeadlineSituation, type ModelledResolution } from '../deadlineRules';
import type { DriverName } from '../drivers';
import type { GoError } from '../goErrors';
import type { RuleId } from '../rules';
import {
  DEFAULT_STATEMENT_SERVER,
  type GoroutineSpec,
  type NetworkSettings,
  type PgxContextWatcher,
  type StatementServer,
} from '../scenario';
import type { GoroutineOutcome, ServerEffectKind, SpanKind } from '../timeline';
import type { ConnectionPool, PooledConnection } from './connectionPool';
import type { TimelineRecorder } from './timelineRecorder';
import { VerdictDraft } from './verdictDraft';
import type { VirtualScheduler, Wait, Wake } from './virtualScheduler';

export interface RunnerEnvironment {
  driver: DriverName;
  /** Effective network (zero for sqlite3, which runs in process). */
  network: NetworkSettings;
  pgxContextWatcher: PgxContextWatcher;
  scheduler: VirtualScheduler;
  recorder: TimelineRecorder;
  pool: ConnectionPool;
}

/** A piece of a goroutine's coroutine: it yields waits and returns a T. */
export type Step<T> = Generator<Wait, T, Wake>;

export interface OpenTransaction {
  /** Null once database/sql rolled the transaction back and released the connection. */
  connection: PooledConnection | null;
  /** database/sql's Tx.awaitDone rolled it back. */
  rolledBack: boolean;
}

/** A statement's trip: sent, at the server, running (after any lock wait), done, answer back. */
export interface RoundTrip {
  sentAtMs: number;
  arrivesAtMs: number;
  startsAtMs: number;
  doneAtMs: number;
  responseAtMs: number;
}

export class GoroutineContext {
  transaction: OpenTransaction | null = null;
  verdict: VerdictDraft | null = null;
  stopped = false;

  constructor(
    readonly env: RunnerEnvironment,
    readonly spec: GoroutineSpec,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  get recorder(): TimelineRecorder {
    return this.env.recorder;
  }

  now(): number {
    return this.env.scheduler.nowMs;
  }

  deadlinePassed(): boolean {
    return this.env.scheduler.deadlineHasFired(this.spec.id);
  }

  /** Wait until `atMs`; says whether the ctx deadline interrupted the wait. */
  *sleep(atMs: number): Step<'time' | 'deadline'> {
    if (atMs <= this.now()) return 'time';
    const wake: Wake = yield { kind: 'until', atMs };
    return wake.by === 'deadline' ? 'deadline' : 'time';
  }

  roundTrip(server: StatementServer | undefined): RoundTrip {
    const { executionMs, blockedUntilMs } = server ?? DEFAULT_STATEMENT_SERVER;
    const sentAtMs = this.now();
    const arrivesAtMs = sentAtMs + this.env.network.oneWayMs;
    const startsAtMs = Math.max(arrivesAtMs, blockedUntilMs ?? arrivesAtMs);
    const doneAtMs = startsAtMs + executionMs;
    return {
      sentAtMs,
      arrivesAtMs,
      startsAtMs,
      doneAtMs,
      responseAtMs: doneAtMs + this.env.network.oneWayMs,
    };
  }

  sendStatement(connection: PooledConnection, sql: string, roundTrip: RoundTrip): void {
    this.recorder.serverEffect({
      atMs: roundTrip.arrivesAtMs,
      kind: 'statement',
      connectionId: connection.id,
      goroutine: this.spec.id,
      cause: 'program',
      ruleIds: [],
      sql,
      execution: { startsAtMs: roundTrip.startsAtMs, doneAtMs: roundTrip.doneAtMs },
    });
  }

  effect(
    kind: ServerEffectKind,
    connection: PooledConnection,
    atMs: number,
    cause: 'program' | 'deadline',
    ruleIds: RuleId[],
    sql?: string,
  ): void {
    this.recorder.serverEffect({
      atMs,
      kind,
      connectionId: connection.id,
      goroutine: this.spec.id,
      cause,
      ruleIds,
      ...(sql !== undefined ? { sql } : {}),
    });
  }

  /** The deadline fired: resolve the situation and start the verdict. Null when not modelled. */
  openVerdict(situation: DeadlineSituation, connection?: PooledConnection): ModelledResolution | null {
    const resolution = resolveDeadline(situation);
    const firedAt = this.spec.deadlineMs ?? this.now();
    this.verdict = new VerdictDraft(this.spec.id, this.env.driver, firedAt, situation, resolution);
    if (connection !== undefined) this.verdict.setConnectionId(connection.id);
    if (resolution.status === 'not-modelled') {
      this.stop('not-modelled', resolution.reason);
      return null;
    }
    return resolution;
  }

  situation(phase: DeadlineSituation['phase']): DeadlineSituation {
    return {
      driver: this.env.driver,
      phase,
      moment: 'in-flight',
      inTransaction: this.transaction !== null,
      pgxContextWatcher: this.env.pgxContextWatcher,
    };
  }

  span(
    kind: SpanKind,
    startMs: number,
    endMs: number,
    stepIndex: number,
    label: string,
    connectionId?: string,
  ): void {
    this.recorder.span(this.spec.id, {
      kind,
      startMs,
      endMs,
      stepIndex,
      label,
      ...(connectionId !== undefined ? { connectionId } : {}),
    });
  }

  callOk(call: string, index: number, start: number, note?: string): void {
    this.recordCall(call, index, start, null, note);
  }

  recordCall(call: string, index: number, start: number, error: GoError | null, note?: string): void {
    this.recorder.call(this.spec.id, {
      call,
      stepIndex: index,
      startMs: start,
      endMs: this.now(),
      error,
      ...(note !== undefined ? { note } : {}),
    });
  }

  /** A call returned `error` and the program returns it. */
  fail(call: string, index: number, start: number, error: GoError, surfacedBy: string, note?: string): void {
    this.recordCall(call, index, start, error, note);
    this.verdict?.observeError(error, surfacedBy, this.now());
    this.stop('returned-error', error);
  }

  /** The call fails as the resolution says; if the reference does not state the error, stop there. */
  failFromPlan(resolution: ModelledResolution, call: string, index: number, start: number): void {
    const plan = resolution.error;
    if (plan.kind === 'error') return this.fail(call, index, start, plan.error, plan.surfacedBy);
    this.stop('not-modelled', plan.note);
  }

  stop(outcome: GoroutineOutcome, detail: GoError | string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.recorder.finish(this.spec.id, this.now(), outcome, detail);
  }

  complete(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.recorder.finish(this.spec.id, this.now(), 'completed');
  }
}
