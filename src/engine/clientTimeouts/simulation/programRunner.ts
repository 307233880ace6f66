/**
 * Runs one goroutine's program on virtual time — acquire, BeginTx, ExecContext, QueryContext and
 * its rows loop, Commit, the program's own work — and handles the ctx deadline wherever it fires:
 * it asks `resolveDeadline` what happens and applies that (see deadlineEffects.ts, rowsLoop.ts).
 */
import type { DeadlineSituation } from '../deadlineRules';
import { usesDatabaseSql } from '../drivers';
import { CONTEXT_DEADLINE_EXCEEDED, ERR_TX_DONE } from '../goErrors';
import { lastInsertIdBehaviour } from '../lastInsertId';
import { isWriteStatement, type GoroutineSpec, type ProgramStep } from '../scenario';
import type { PooledConnection } from './connectionPool';
import {
  afterInterruptedCall,
  applyReaction,
  release,
  releaseAfterDeadline,
  rollBackByAwaitDone,
} from './deadlineEffects';
import {
  GoroutineContext,
  type OpenTransaction,
  type RoundTrip,
  type RunnerEnvironment,
  type Step,
} from './goroutineContext';
import { reactionTiming } from './reactionTiming';
import { RowsLoop, type QueryStep } from './rowsLoop';
import type { VerdictDraft } from './verdictDraft';
import type { Coroutine, Wake } from './virtualScheduler';

export type { RunnerEnvironment } from './goroutineContext';

type StepOf<K extends ProgramStep['kind']> = Extract<ProgramStep, { kind: K }>;

export class ProgramRunner {
  private readonly g: GoroutineContext;

  constructor(env: RunnerEnvironment, spec: GoroutineSpec) {
    this.g = new GoroutineContext(env, spec);
  }

  get verdictDraft(): VerdictDraft | null {
    return this.g.verdict;
  }

  *run(): Coroutine {
    if (this.g.deadlinePassed()) this.deadlineBeforeStart();
    for (const [index, step] of this.g.spec.steps.entries()) {
      if (this.g.stopped) return;
      switch (step.kind) {
        case 'work':
          yield* this.runWork(step, index);
          break;
        case 'begin':
          yield* this.runBegin(step, index);
          break;
        case 'exec':
          yield* this.runExec(step, index);
          break;
        case 'query':
          yield* this.runQuery(step, index);
          break;
        case 'commit':
          yield* this.runCommit(step, index);
          break;
      }
    }
    this.g.complete();
  }

  // -------------------------------------------------------------------------------------------
  // steps

  private *runWork(step: StepOf<'work'>, index: number): Step<void> {
    const g = this.g;
    const start = g.now();
    const end = start + step.ms;
    const label = step.label ?? 'the program’s own work';
    if ((yield* g.sleep(end)) === 'deadline' && !this.deadlineBetweenCalls(index)) {
      g.span('work', start, g.now(), index, label);
      return;
    }
    yield* g.sleep(end);
    g.span('work', start, end, index, label);
  }

  private *runBegin(step: StepOf<'begin'>, index: number): Step<void> {
    const g = this.g;
    const call = this.callName(step);
    const start = g.now();
    if (g.deadlinePassed()) return this.expiredAtEntry(call, index, start);
    const connection = yield* this.acquire(index, call);
    if (connection === null) return;
    const beginStart = g.now();
    const roundTrip = g.roundTrip(step.server);
    g.sendStatement(connection, 'BEGIN', roundTrip);
    if ((yield* g.sleep(roundTrip.responseAtMs)) === 'time') {
      g.transaction = { connection, rolledBack: false };
      g.span('begin', beginStart, g.now(), index, 'BEGIN', connection.id);
      g.callOk(call, index, start);
      return;
    }
    const resolution = g.openVerdict({ ...g.situation('begin'), call }, connection);
    if (resolution === null) return g.span('begin', beginStart, g.now(), index, 'BEGIN', connection.id);
    if (g.env.driver === 'lib-pq') {
      // BEGIN is not watched: it completes; the watcher armed for the transaction then fires at once.
      yield* g.sleep(roundTrip.responseAtMs);
      g.span('begin', beginStart, g.now(), index, 'BEGIN', connection.id);
      g.callOk(call, index, start, 'BEGIN is not watched: BeginTx returns no error');
      g.transaction = { connection, rolledBack: false };
      applyReaction(
        g,
        resolution.driverReaction,
        connection,
        { waitsForServerAnswer: false },
        resolution.ruleIds,
      );
      rollBackByAwaitDone(g, resolution.ruleIds);
      return;
    }
    const timing = applyReaction(
      g,
      resolution.driverReaction,
      connection,
      { waitsForServerAnswer: true },
      resolution.ruleIds,
    );
    yield* g.sleep(timing.returnsAtMs);
    g.span('begin', beginStart, g.now(), index, 'BEGIN', connection.id);
    releaseAfterDeadline(g, connection, resolution.connection.fate, resolution.ruleIds);
    g.failFromPlan(resolution, call, index, start);
  }

  private *runExec(step: StepOf<'exec'>, index: number): Step<void> {
    const g = this.g;
    const call = this.callName(step);
    const start = g.now();
    if (g.deadlinePassed()) return this.expiredAtEntry(call, index, start);
    const connection = g.transaction?.connection ?? (yield* this.acquire(index, call));
    if (connection === null) return;
    const statementStart = g.now();
    const roundTrip = g.roundTrip(step.server);
    g.sendStatement(connection, step.sql, roundTrip);
    if ((yield* g.sleep(roundTrip.responseAtMs)) === 'deadline') {
      yield* this.statementInterrupted(step.sql, index, call, start, statementStart, connection, roundTrip);
      return;
    }
    g.span('query', statementStart, g.now(), index, step.sql, connection.id);
    g.callOk(call, index, start);
    if (step.readLastInsertId === true) this.readLastInsertId(index);
    if (g.transaction === null) release(g, connection, 'normal', 'statement done', 'program');
  }

  private *runQuery(step: QueryStep, index: number): Step<void> {
    const g = this.g;
    const call = this.callName(step);
    const start = g.now();
    if (g.deadlinePassed()) return this.expiredAtEntry(call, index, start);
    const connection = g.transaction?.connection ?? (yield* this.acquire(index, call));
    if (connection === null) return;
    const statementStart = g.now();
    let roundTrip: RoundTrip | null = null;
    if (g.env.driver === 'sqlite3') {
      // go-sqlite3 prepares here; every sqlite3_step happens inside rows.Next.
      g.effect('statement', connection, g.now(), 'program', [], step.sql);
    } else {
      roundTrip = g.roundTrip(step.server);
      g.sendStatement(connection, step.sql, roundTrip);
      if ((yield* g.sleep(roundTrip.responseAtMs)) === 'deadline') {
        yield* this.statementInterrupted(step.sql, index, call, start, statementStart, connection, roundTrip);
        return;
      }
      g.span('query', statementStart, g.now(), index, step.sql, connection.id);
    }
    g.callOk(call, index, start);
    yield* new RowsLoop(g, step, index, connection, roundTrip).run();
  }

  private *runCommit(step: StepOf<'commit'>, index: number): Step<void> {
    const g = this.g;
    const call = this.callName(step);
    const start = g.now();
    const transaction = g.transaction;
    if (transaction === null)
      throw new Error('Commit without a transaction (validateScenario prevents this)');
    if (g.deadlinePassed()) return this.commitWithEndedContext(transaction, call, index, start);
    const connection = transaction.connection as PooledConnection;
    const roundTrip = g.roundTrip(step.server);
    g.sendStatement(connection, 'COMMIT', roundTrip);
    // database/sql marks the transaction done before calling the driver: Tx.awaitDone no longer rolls back.
    g.transaction = null;
    if ((yield* g.sleep(roundTrip.responseAtMs)) === 'time') {
      g.span('commit', start, g.now(), index, 'COMMIT', connection.id);
      g.callOk(call, index, start);
      release(g, connection, 'normal', 'transaction committed', 'program');
      return;
    }
    const resolution = g.openVerdict({ ...g.situation('commit'), inTransaction: true, call }, connection);
    if (resolution === null) return g.span('commit', start, g.now(), index, 'COMMIT', connection.id);
    switch (resolution.driverReaction) {
      case 'none':
        // COMMIT is not watched (mysql) or uses a background context (sqlite3): it completes.
        yield* g.sleep(roundTrip.responseAtMs);
        g.span('commit', start, g.now(), index, 'COMMIT', connection.id);
        g.callOk(call, index, start, 'COMMIT ran to completion');
        release(g, connection, 'normal', 'transaction committed', 'program');
        return;
      case 'pq-cancel-request':
        applyReaction(
          g,
          resolution.driverReaction,
          connection,
          { waitsForServerAnswer: false },
          resolution.ruleIds,
        );
        g.span('commit', start, g.now(), index, 'COMMIT', connection.id);
        return g.stop(
          'not-modelled',
          'A CancelRequest races the COMMIT; the reference does not state what Commit returns.',
        );
      default: {
        const reaction = resolution.driverReaction;
        const timing = applyReaction(
          g,
          reaction,
          connection,
          { waitsForServerAnswer: true },
          resolution.ruleIds,
        );
        yield* g.sleep(timing.returnsAtMs);
        g.span('commit', start, g.now(), index, 'COMMIT', connection.id);
        releaseAfterDeadline(g, connection, resolution.connection.fate, resolution.ruleIds);
        g.failFromPlan(resolution, call, index, start);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // acquire: database/sql's (*DB).conn with db.retry, or pgxpool

  private *acquire(index: number, call: string): Step<PooledConnection | null> {
    const g = this.g;
    const start = g.now();
    let attempt = 0;
    for (;;) {
      const strategy = attempt < 2 ? 'cached' : 'new';
      const result = g.env.pool.checkout(g.id, strategy);
      switch (result.kind) {
        case 'retry':
          attempt++;
          continue;
        case 'not-modelled':
          g.span('acquire', start, g.now(), index, 'acquire');
          g.stop('not-modelled', result.reason);
          return null;
        case 'ready':
          this.acquired(start, index, attempt, result.connection);
          return result.connection;
        case 'dial': {
          if ((yield* g.sleep(result.readyAtMs)) === 'deadline') {
            g.span('acquire', start, g.now(), index, 'dialing a new connection');
            g.openVerdict({ ...g.situation('acquire'), acquire: 'dialing', inTransaction: false, call });
            g.env.pool.abandonDial(result.connection);
            g.stop('not-modelled', 'dial interrupted');
            return null;
          }
          this.acquired(start, index, attempt, result.connection);
          return result.connection;
        }
        case 'wait': {
          const withdraw = g.env.pool.enqueueWaiter(g.id);
          const wake: Wake = yield { kind: 'handoff', withdraw };
          if (wake.by !== 'handoff') {
            g.span('acquire', start, g.now(), index, 'waiting for a pooled connection');
            const situation = {
              ...g.situation('acquire'),
              acquire: 'waiting' as const,
              inTransaction: false,
              call,
            };
            const resolution = g.openVerdict(situation);
            if (resolution !== null) g.failFromPlan(resolution, call, index, start);
            return null;
          }
          const connection = wake.value as PooledConnection;
          if (g.env.pool.acceptHandedConnection(connection, g.id, strategy) === 'retry') {
            attempt++;
            continue;
          }
          this.acquired(start, index, attempt, connection);
          return connection;
        }
      }
    }
  }

  private acquired(start: number, index: number, retries: number, connection: PooledConnection): void {
    const label = retries > 0 ? `acquire (transparent retry ×${retries})` : 'acquire';
    this.g.span('acquire', start, this.g.now(), index, label, connection.id);
  }

  // -------------------------------------------------------------------------------------------
  // the deadline fires while a statement is in flight

  private *statementInterrupted(
    sql: string,
    index: number,
    call: string,
    callStart: number,
    statementStart: number,
    connection: PooledConnection,
    roundTrip: RoundTrip,
  ): Step<void> {
    const g = this.g;
    const now = g.now();
    const blockedOnLock = now >= roundTrip.arrivesAtMs && now < roundTrip.startsAtMs;
    const statement = { sql, isWrite: isWriteStatement(sql) };
    const resolution = g.openVerdict({ ...g.situation('query'), call, statement, blockedOnLock }, connection);
    if (resolution === null) return g.span('query', statementStart, now, index, sql, connection.id);
    const expected = reactionTiming(resolution.driverReaction, now, {
      network: g.env.network,
      waitsForServerAnswer: true,
    });
    if (expected.cancelRequestAtMs !== undefined && roundTrip.doneAtMs <= expected.cancelRequestAtMs) {
      const reason = `The statement finishes on the server at ${roundTrip.doneAtMs} ms, before the CancelRequest arrives at ${expected.cancelRequestAtMs} ms; the reference does not describe that race.`;
      g.verdict?.markNotModelled(reason);
      g.span('query', statementStart, now, index, sql, connection.id);
      return g.stop('not-modelled', reason);
    }
    const timing = applyReaction(
      g,
      resolution.driverReaction,
      connection,
      { waitsForServerAnswer: true },
      resolution.ruleIds,
    );
    if (resolution.transaction.fate === 'statement-keeps-running') {
      g.verdict?.noteTransaction(`(On the server it finishes at ${roundTrip.doneAtMs} ms.)`);
    }
    yield* g.sleep(timing.returnsAtMs);
    g.span('query', statementStart, g.now(), index, sql, connection.id);
    afterInterruptedCall(g, resolution, connection);
    g.failFromPlan(resolution, call, index, callStart);
  }

  // -------------------------------------------------------------------------------------------
  // the deadline fires between calls, before the start; calls made after it fired

  /** The deadline fired while the program was doing its own work; false when not modelled. */
  private deadlineBetweenCalls(index: number): boolean {
    const g = this.g;
    const next = this.nextCall(index);
    const transaction = g.transaction;
    const inTransaction = transaction !== null && !transaction.rolledBack;
    const commitNext = next?.kind === 'commit' && inTransaction;
    const situation: DeadlineSituation = {
      ...g.situation(commitNext ? 'commit' : 'idle'),
      moment: commitNext ? 'before-call' : 'in-flight',
      inTransaction,
    };
    if (next !== undefined) situation.call = this.callName(next);
    const connection = transaction?.connection ?? undefined;
    const resolution = g.openVerdict(situation, connection);
    if (resolution === null) return false;
    if (inTransaction && connection !== undefined) {
      if (resolution.driverReaction !== 'none') {
        applyReaction(
          g,
          resolution.driverReaction,
          connection,
          { waitsForServerAnswer: false },
          resolution.ruleIds,
        );
      }
      if (resolution.databaseSql.rollsBackTransaction) rollBackByAwaitDone(g, resolution.ruleIds);
    }
    return true;
  }

  private deadlineBeforeStart(): void {
    const first = this.nextCall(-1);
    const situation: DeadlineSituation = { ...this.g.situation('idle'), inTransaction: false };
    if (first !== undefined) situation.call = this.callName(first);
    this.g.openVerdict(situation);
  }

  /** A call made after the deadline fired (the program went on). */
  private expiredAtEntry(call: string, index: number, start: number): void {
    const g = this.g;
    if (g.env.driver === 'pgxpool') {
      return g.stop(
        'not-modelled',
        `The reference does not state what ${call} does with a ctx that has already ended.`,
      );
    }
    if (g.transaction !== null) {
      return g.stop(
        'not-modelled',
        `The reference does not state what ${call} returns once the ctx has ended.`,
      );
    }
    // (*DB).conn checks the ctx once at entry.
    g.verdict?.overrideNotStatedError(CONTEXT_DEADLINE_EXCEEDED, call, g.now());
    g.fail(call, index, start, CONTEXT_DEADLINE_EXCEEDED, call);
  }

  private commitWithEndedContext(
    transaction: OpenTransaction,
    call: string,
    index: number,
    start: number,
  ): void {
    const g = this.g;
    g.transaction = null;
    if (g.env.driver === 'pgxpool') {
      // COMMIT is not sent; the connection is closed; the server rolls back.
      const connection = transaction.connection as PooledConnection;
      connection.closedByDriver = true;
      g.recorder.connectionEvent(
        connection.id,
        g.now(),
        'closed-by-driver',
        'Commit with an ended ctx: COMMIT is not sent, the connection is closed',
        { goroutine: g.id, ruleIds: ['pgxpool.commit-expired'] },
      );
      release(g, connection, 'bad', 'closed by Commit; destroyed (pool total drops)', 'deadline', [
        'pgxpool.commit-expired',
        'pgxpool.destroyed',
      ]);
      g.recordCall(call, index, start, null, 'returns an error the reference does not state');
      return g.stop(
        'not-modelled',
        'The reference does not state the error pgxpool’s Commit returns when its ctx has already ended.',
      );
    }
    // Tx.Commit checks tx.ctx first: Tx.awaitDone already rolled back, the driver's Commit is not called.
    const error = transaction.rolledBack ? ERR_TX_DONE : CONTEXT_DEADLINE_EXCEEDED;
    g.verdict?.overrideNotStatedError(error, call, g.now());
    g.fail(call, index, start, error, call, 'the driver’s Commit is never called');
  }

  // -------------------------------------------------------------------------------------------

  private readLastInsertId(index: number): void {
    const g = this.g;
    const behaviour = lastInsertIdBehaviour(g.env.driver);
    if (behaviour.status === 'not-modelled')
      g.recordCall('res.LastInsertId', index, g.now(), null, behaviour.reason);
    else if (behaviour.status === 'supported')
      g.callOk('res.LastInsertId', index, g.now(), 'supported by this driver');
    else g.recordCall('res.LastInsertId', index, g.now(), behaviour.error, behaviour.advice);
  }

  private nextCall(index: number): ProgramStep | undefined {
    return this.g.spec.steps.slice(index + 1).find((step) => step.kind !== 'work');
  }

  private callName(step: ProgramStep): string {
    const viaDatabaseSql = usesDatabaseSql(this.g.env.driver);
    const inTransaction = this.g.transaction !== null;
    switch (step.kind) {
      case 'begin':
        return viaDatabaseSql ? 'db.BeginTx' : 'pool.BeginTx';
      case 'exec':
        if (inTransaction) return viaDatabaseSql ? 'tx.ExecContext' : 'tx.Exec';
        return viaDatabaseSql ? 'db.ExecContext' : 'pool.Exec';
      case 'query':
        if (inTransaction) return viaDatabaseSql ? 'tx.QueryContext' : 'tx.Query';
        return viaDatabaseSql ? 'db.QueryContext' : 'pool.Query';
      case 'commit':
        return 'tx.Commit';
      case 'work':
        return 'work';
    }
  }
}
