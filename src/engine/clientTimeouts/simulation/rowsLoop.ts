/**
 * The program's `for rows.Next() { …; rows.Scan(&dst); … }; rows.Err()` loop over a query's rows,
 * and what the deadline does to it: database/sql's Rows.awaitDone closes the rows (the driver
 * reacts while they close), or — pgxpool — buffered rows keep coming until a read needs the network.
 *
 * Timing: over the network, the server produces row k at `done + k·interval` and it reaches the
 * client `oneWayMs` later; the end of the result comes with the last row. For sqlite3 every
 * rows.Next runs one sqlite3_step (the first one runs the statement).
 */
import type { ModelledResolution } from '../deadlineRules';
import { CONTEXT_DEADLINE_EXCEEDED, PGCONN_TIMEOUT } from '../goErrors';
import { DEFAULT_STATEMENT_SERVER, isWriteStatement, type ProgramStep } from '../scenario';
import type { PooledConnection } from './connectionPool';
import { afterInterruptedCall, applyReaction, release } from './deadlineEffects';
import type { GoroutineContext, RoundTrip, Step } from './goroutineContext';
import type { ReactionContext } from './reactionTiming';

export type QueryStep = Extract<ProgramStep, { kind: 'query' }>;

interface DeadlineInRows {
  phase: 'rows' | 'scan';
  /** The row the program is about to read (rows.Next) or holds (scan). */
  rowIndex: number;
  /** The program is inside rows.Next waiting for data. */
  programInNext: boolean;
  /** When the program makes its next call (rows.Next after its work, or rows.Scan). */
  programResumesAtMs: number;
}

export class RowsLoop {
  private readonly beforeScanMs: number;
  private readonly afterScanMs: number;

  constructor(
    private readonly goroutine: GoroutineContext,
    private readonly step: QueryStep,
    private readonly index: number,
    private readonly connection: PooledConnection,
    /** Null for sqlite3 (in process). */
    private readonly roundTrip: RoundTrip | null,
  ) {
    this.beforeScanMs = step.beforeScanMs ?? 0;
    this.afterScanMs = step.afterScanMs ?? 0;
  }

  *run(): Step<void> {
    const g = this.goroutine;
    const { count } = this.step.rows;
    for (let row = 0; row <= count; row++) {
      const nextStart = g.now();
      const readyAt = Math.max(nextStart, this.rowReadyAt(row, nextStart));
      const next = yield* g.sleep(readyAt);
      this.span('rows', nextStart, `rows.Next #${row + 1}`);
      if (next === 'deadline') {
        yield* this.deadline({
          phase: 'rows',
          rowIndex: row,
          programInNext: true,
          programResumesAtMs: g.now(),
        });
        return;
      }
      if (row === count) {
        g.recordCall('rows.Next', this.index, nextStart, null, 'false: no more rows');
        if (g.transaction === null) release(g, this.connection, 'normal', 'rows closed', 'program');
        g.callOk('rows.Err', this.index, g.now());
        return;
      }
      g.recordCall('rows.Next', this.index, nextStart, null, `true: row ${row + 1}`);
      const scanStart = g.now();
      if ((yield* g.sleep(scanStart + this.beforeScanMs)) === 'deadline') {
        const resumeAt = scanStart + this.beforeScanMs;
        yield* this.deadline({
          phase: 'scan',
          rowIndex: row,
          programInNext: false,
          programResumesAtMs: resumeAt,
        });
        return;
      }
      this.span('scan', scanStart, `row ${row + 1} until rows.Scan`);
      g.callOk('rows.Scan', this.index, g.now());
      const workStart = g.now();
      const work = yield* g.sleep(workStart + this.afterScanMs);
      this.span('rows', workStart, 'loop body after rows.Scan');
      if (work === 'deadline') {
        const resumeAt = workStart + this.afterScanMs;
        yield* this.deadline({
          phase: 'rows',
          rowIndex: row + 1,
          programInNext: false,
          programResumesAtMs: resumeAt,
        });
        return;
      }
    }
  }

  /** When row `row` (or, for row === count, the end of the result) is available to rows.Next. */
  private rowReadyAt(row: number, callAt: number): number {
    const { count, intervalMs } = this.step.rows;
    if (this.roundTrip === null) {
      if (row === count) return callAt;
      return callAt + (row === 0 ? (this.step.server ?? DEFAULT_STATEMENT_SERVER).executionMs : intervalMs);
    }
    return row === count ? this.resultEndArrival() : this.rowArrival(row);
  }

  private rowArrival(row: number): number {
    const roundTrip = this.roundTrip as RoundTrip;
    return roundTrip.doneAtMs + row * this.step.rows.intervalMs + this.goroutine.env.network.oneWayMs;
  }

  /** The end of the result (CommandComplete, ReadyForQuery) reaches the client with the last row. */
  private resultEndArrival(): number {
    const roundTrip = this.roundTrip as RoundTrip;
    return this.step.rows.count === 0 ? roundTrip.responseAtMs : this.rowArrival(this.step.rows.count - 1);
  }

  private *deadline(context: DeadlineInRows): Step<void> {
    const g = this.goroutine;
    const resolution = g.openVerdict(
      {
        ...g.situation(context.phase),
        statement: { sql: this.step.sql, isWrite: isWriteStatement(this.step.sql) },
        programInNext: context.programInNext,
      },
      this.connection,
    );
    if (resolution === null) return;
    if (g.env.driver === 'pgxpool') yield* this.pgxpoolAfterDeadline(context, resolution);
    else yield* this.databaseSqlAfterDeadline(context, resolution);
  }

  /** database/sql: Rows.awaitDone closes the rows now; the driver reacts while they close. */
  private *databaseSqlAfterDeadline(context: DeadlineInRows, resolution: ModelledResolution): Step<void> {
    const g = this.goroutine;
    const reactionContext: Omit<ReactionContext, 'network'> = { waitsForServerAnswer: true };
    if (this.roundTrip !== null) reactionContext.answerAnywayAtMs = this.resultEndArrival();
    const timing = applyReaction(
      g,
      resolution.driverReaction,
      this.connection,
      reactionContext,
      resolution.ruleIds,
    );
    const closedAt = timing.returnsAtMs;
    g.env.scheduler.schedule(closedAt, () => afterInterruptedCall(g, resolution, this.connection));
    const plan = resolution.error;
    const error = plan.kind === 'error' ? plan.error : CONTEXT_DEADLINE_EXCEEDED;
    if (context.phase === 'rows') {
      // Inside rows.Next: false once the rows are closed. After its work: false at once.
      const waitStart = g.now();
      const nextCallStart = context.programInNext ? waitStart : context.programResumesAtMs;
      yield* g.sleep(context.programInNext ? closedAt : nextCallStart);
      const label = context.programInNext
        ? `rows.Next #${context.rowIndex + 1}`
        : 'loop body after rows.Scan';
      this.span('rows', waitStart, label);
      g.recordCall('rows.Next', this.index, nextCallStart, null, 'false: the rows were closed by the ctx');
      g.fail('rows.Err', this.index, g.now(), error, plan.kind === 'error' ? plan.surfacedBy : 'rows.Err');
      return;
    }
    // rows.Scan waits for the close to finish, then returns the ctx error the close recorded.
    const scanStart = g.now();
    yield* g.sleep(context.programResumesAtMs);
    const scanCall = g.now();
    yield* g.sleep(Math.max(g.now(), closedAt));
    this.span('scan', scanStart, `row ${context.rowIndex + 1} until rows.Scan`);
    g.fail('rows.Scan', this.index, scanCall, error, 'rows.Scan');
  }

  /**
   * pgxpool: no database/sql watcher closes the rows. Scan works on the row in memory, rows.Next
   * keeps returning rows already buffered, and only the first read that needs the network fails.
   * The model counts every row that reached the client before the deadline as buffered.
   */
  private *pgxpoolAfterDeadline(context: DeadlineInRows, resolution: ModelledResolution): Step<void> {
    const g = this.goroutine;
    const deadlineAt = g.now();
    let row = context.rowIndex;
    if (!context.programInNext) {
      // Finish what the program was doing when the deadline fired.
      const start = g.now();
      yield* g.sleep(context.programResumesAtMs);
      if (context.phase === 'scan') {
        this.span('scan', start, `row ${row + 1} until rows.Scan`);
        g.callOk('rows.Scan', this.index, g.now(), 'the row is already in memory');
        const workStart = g.now();
        yield* g.sleep(workStart + this.afterScanMs);
        this.span('rows', workStart, 'loop body after rows.Scan');
        row++;
      } else {
        this.span('rows', start, 'loop body after rows.Scan');
      }
    }
    for (;;) {
      if (row === this.step.rows.count) {
        if (this.resultEndArrival() > deadlineAt) break;
        g.verdict?.clearError('Every remaining row was already buffered: the loop ends without an error.');
        g.callOk('rows.Next', this.index, g.now(), 'false: no more rows (all buffered before the deadline)');
        release(g, this.connection, 'normal', 'rows closed', 'program');
        g.callOk('rows.Err', this.index, g.now());
        return;
      }
      if (this.rowArrival(row) > deadlineAt) break;
      g.callOk('rows.Next', this.index, g.now(), `true: row ${row + 1}, already buffered`);
      const scanStart = g.now();
      yield* g.sleep(scanStart + this.beforeScanMs);
      this.span('scan', scanStart, `row ${row + 1} until rows.Scan`);
      g.callOk('rows.Scan', this.index, g.now());
      const workStart = g.now();
      yield* g.sleep(workStart + this.afterScanMs);
      this.span('rows', workStart, 'loop body after rows.Scan');
      row++;
    }
    // The first read that needs the network fails: the socket deadline has passed.
    const timing = applyReaction(
      g,
      resolution.driverReaction,
      this.connection,
      { waitsForServerAnswer: true },
      resolution.ruleIds,
    );
    yield* g.sleep(timing.returnsAtMs);
    g.recordCall(
      'rows.Next',
      this.index,
      g.now(),
      null,
      `false: row ${row + 1} was not buffered and the read failed`,
    );
    afterInterruptedCall(g, resolution, this.connection);
    g.fail('rows.Err', this.index, g.now(), PGCONN_TIMEOUT, 'rows.Next() returns false; rows.Err()');
  }

  private span(kind: 'rows' | 'scan', startMs: number, label: string): void {
    this.goroutine.span(kind, startMs, this.goroutine.now(), this.index, label, this.connection.id);
  }
}
