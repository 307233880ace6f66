/**
 * The playground engine: several PostgreSQL sessions on one PGlite, with PostgreSQL's multi-session
 * semantics (snapshots, row and table locks, waits, deadlocks, timeouts) on a virtual clock.
 *
 * Every method after `create` is synchronous and deterministic: an intent (submit, cancel, advance
 * time) runs every session that can make progress until each has finished or waits.
 */
import type { PGliteOptions } from '@electric-sql/pglite';
import type { EngineEvent } from './api/events';
import type { PgMessage } from './api/results';
import type {
  EngineState,
  EngineStateRequest,
  IsolationLevelName,
  LockRow,
  RowVersionView,
  SessionView,
  TableView,
} from './api/views';
import type { StatementOutcome } from './api/results';
import { rowVersions } from './inspect/rowVersions';
import { heapSchemaOf } from './storage/heapLayout';
import { heapMirrorProblems } from './storage/heapMirror';
import { EngineCore } from './core';
import { PgError } from './errors';
import { abortAfterError, disarmIdleTimers, runSubmission } from './exec/submission';
import { lockModeName } from './locks/lockModes';
import { lockTagView } from './locks/lockTag';
import { emulatedCatalogsSql } from './emulation/catalogSql';
import { LEARNER_ROLE, PGLITE_BASELINE_SQL, quoteIdent, SqlHost } from './pglite/host';
import { Session } from './session/session';
import { loadParser, parseStatements, SqlSyntaxError, type ParsedStatement } from './sql/parser';
import type { Node } from './sql/ast';
import { prepareStatement } from './exec/prepared';
import { abortTransaction, startTransaction } from './xact/lifecycle';
import { cancelStatement } from './exec/backendSignals';

export interface EngineOptions {
  /** Virtual time at start, in ms since the epoch (default 2026-01-05 09:00:00 UTC). */
  startTime?: number;
  /** Result sets are cut after this many rows (default 10 000). */
  maxResultRows?: number;
  /** Options for PGlite: in a browser, its self-hosted WASM module, file bundle and data directory. */
  pglite?: PGliteOptions;
  /**
   * Called synchronously with every event as the engine emits it — also while a statement is still
   * running in PGlite, so a host can tell which statement keeps PGlite busy (the app's runaway guard).
   */
  onEvent?: (event: EngineEvent) => void;
}

export interface OpenSessionOptions {
  /** The session's default isolation level (`SET default_transaction_isolation`). */
  isolation?: IsolationLevelName;
  /** A helper session (setup, a tool's checks): `state()` leaves it, its events and its locks out. */
  helper?: boolean;
  /** The connection's application_name (a startup parameter: RESET returns to it). */
  applicationName?: string;
}

export const DEFAULT_START_TIME = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The first emulated backend pid; sessions get consecutive pids. */
const FIRST_PID = 4201;

export class Engine {
  private readonly core: EngineCore;
  private nextSubmission = 1;
  private nextPid = FIRST_PID;

  private constructor(core: EngineCore) {
    this.core = core;
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    await loadParser();
    const host = await SqlHost.create(
      options.pglite,
      `CREATE SCHEMA ${heapSchemaOf('public')};\n${emulatedCatalogsSql(LEARNER_ROLE)}`,
    );
    const core = new EngineCore(host, {
      startTime: options.startTime ?? DEFAULT_START_TIME,
      maxResultRows: options.maxResultRows ?? 10_000,
    });
    if (options.onEvent) core.events.listener = options.onEvent;
    return new Engine(core);
  }

  /** Opens a session (a client connection), optionally with its default isolation level. */
  openSession(name: string, options: OpenSessionOptions = {}): SessionView {
    if (this.core.sessions.has(name)) throw new Error(`a session named "${name}" is already open`);
    const pid = this.nextPid++;
    const session = new Session(name, pid, pid - FIRST_PID + 3, options.helper ?? false);
    if (options.isolation) session.settings.set('default_transaction_isolation', options.isolation, false);
    if (options.applicationName !== undefined)
      session.settings.setStartup('application_name', options.applicationName);
    this.core.sessions.set(name, session);
    this.core.byPid.set(pid, session);
    this.core.emit({ type: 'sessionOpened', session: name, pid });
    return this.sessionView(session);
  }

  /** Closes a session like a client disconnect: its transaction aborts and all its locks go. */
  closeSession(name: string): void {
    const session = this.core.session(name);
    this.core.locks.cancelWait(session.pid);
    if (session.transaction) abortTransaction(this.core, session, false);
    this.core.locks.releaseOwners(session.pid, new Set(['session']));
    for (const key of Object.keys(session.timers) as (keyof Session['timers'])[])
      this.core.timers.cancel(session.timers[key]);
    session.submission = null;
    session.suspension = null;
    this.core.emit({ type: 'sessionClosed', session: name });
    this.core.sessions.delete(name);
    this.core.byPid.delete(session.pid);
    this.core.drain();
  }

  /**
   * Sends SQL (one or several statements) on a session, as the simple-query protocol does, and runs
   * until every session is finished or waiting. Returns the submission id that events refer to.
   */
  submit(sessionName: string, sql: string): number {
    const session = this.core.session(sessionName);
    if (session.busy) throw new Error(`session "${sessionName}" is still running a statement`);
    const id = this.nextSubmission++;
    disarmIdleTimers(this.core, session);
    this.core.emit({ type: 'submitted', session: sessionName, submission: id, sql });
    let statements: ParsedStatement[];
    try {
      statements = parseStatements(sql);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      this.failWithoutRunning(session, id, sql, this.syntaxError(sql, error));
      return id;
    }
    return this.start(session, sql, statements, id);
  }

  /** Starts a submission of parsed statements and runs until every session is finished or waiting. */
  private start(session: Session, sql: string, statements: ParsedStatement[], existingId?: number): number {
    if (session.busy) throw new Error(`session "${session.name}" is still running a statement`);
    let id = existingId;
    if (id === undefined) {
      id = this.nextSubmission++;
      disarmIdleTimers(this.core, session);
      this.core.emit({ type: 'submitted', session: session.name, submission: id, sql });
    }
    session.submission = {
      id,
      task: runSubmission(this.core, session, statements),
      statementText: null,
      statementIndex: 0,
      statementStart: this.core.now,
      calls: new Set(),
      snapshot: null,
      sleepMs: 0,
      advisoryPregranted: new Map(),
    };
    this.core.makeRunnable(session);
    this.core.drain();
    return id;
  }

  /**
   * A driver's protocol-level Parse: prepares a named statement (the unnamed one, `''`, is replaced).
   * Returns PostgreSQL's error, or null.
   */
  prepareStatement(sessionName: string, name: string, sql: string): PgMessage | null {
    const session = this.core.session(sessionName);
    let statements: ParsedStatement[];
    try {
      statements = parseStatements(sql);
    } catch (error) {
      if (error instanceof SqlSyntaxError) return this.syntaxError(sql, error);
      throw error;
    }
    if (statements.length !== 1) {
      return {
        severity: 'ERROR',
        sqlstate: '42601',
        message: 'cannot insert multiple commands into a prepared statement',
      };
    }
    const [statement] = statements as [ParsedStatement];
    try {
      prepareStatement(this.core, session, name, statement.text, statement.node, [], false);
      return null;
    } catch (error) {
      if (error instanceof PgError) return error.pg;
      throw error;
    }
  }

  /**
   * A driver's Bind + Execute of a prepared statement with text parameters: runs like a one-statement
   * submission (events, waits, timeouts). Returns the submission id.
   */
  executePreparedStatement(
    sessionName: string,
    name: string,
    parameters: readonly (string | null)[],
  ): number {
    const session = this.core.session(sessionName);
    const prepared = session.prepared.get(name);
    const node: Node = {
      ExecuteStmt: {
        name,
        params: parameters.map((value) =>
          value === null ? { A_Const: { isnull: true } } : { A_Const: { sval: { sval: value } } },
        ),
      },
    } as Node;
    return this.start(session, prepared?.text ?? `EXECUTE ${name}`, [
      { node, text: prepared?.text ?? `EXECUTE ${name}`, offset: 0, rewritten: true },
    ]);
  }

  /**
   * Records a submission that was stopped without running — the app's runaway-query guard uses
   * this when it replays the log after restarting the engine: the statement fails with `error` and
   * the session's transaction aborts, as any error would abort it. Returns the submission id.
   */
  rejectSubmission(sessionName: string, sql: string, error: PgMessage): number {
    const session = this.core.session(sessionName);
    if (session.busy) throw new Error(`session "${sessionName}" is still running a statement`);
    const id = this.nextSubmission++;
    disarmIdleTimers(this.core, session);
    this.core.emit({ type: 'submitted', session: sessionName, submission: id, sql });
    this.failWithoutRunning(session, id, sql, error);
    return id;
  }

  /** PostgreSQL's own error for SQL its parser rejects (PGlite parses it with the same grammar). */
  private syntaxError(sql: string, error: SqlSyntaxError): PgMessage {
    const [result] = this.core.host.wire.pipeline([{ sql }]);
    if (result?.error) return result.error;
    const message: PgMessage = { severity: 'ERROR', sqlstate: '42601', message: error.message };
    if (error.offset !== null) message.position = error.offset + 1;
    return message;
  }

  /** A submission rejected before any statement ran (a syntax error): it still aborts an open block. */
  private failWithoutRunning(session: Session, id: number, sql: string, error: PgMessage): void {
    if (session.terminated) error = session.terminated;
    else {
      if (!session.transaction) startTransaction(this.core, session, false);
      abortAfterError(this.core, session);
      if (session.block === 'none' && session.transaction) abortTransaction(this.core, session, false);
    }
    this.core.emit({ type: 'statementStarted', session: session.name, submission: id, index: 0, sql });
    this.core.emit({
      type: 'statementFinished',
      session: session.name,
      submission: id,
      index: 0,
      sql,
      outcome: { kind: 'error', error },
    });
    this.core.emit({ type: 'submissionFinished', session: session.name, submission: id });
  }

  /** A query cancel (pg_cancel_backend / a driver's CancelRequest): the running statement fails with 57014. */
  cancel(sessionName: string): void {
    cancelStatement(this.core, this.core.session(sessionName));
    this.core.drain();
  }

  /** Lets virtual time pass; timers (deadlock checks, timeouts, pg_sleep) fire on the way. */
  advanceTime(milliseconds: number): void {
    this.core.advance(milliseconds);
  }

  /** Advances to the next pending timer, if any (at most `limit` ms ahead); false if none. */
  advanceToNextTimer(limit = Number.POSITIVE_INFINITY): boolean {
    return this.core.advanceToNextTimer(this.core.now + limit);
  }

  /** PostgreSQL's version string (PGlite's build of PostgreSQL 18). */
  serverVersion(): string {
    return this.core.host.rows('SELECT version()')[0]?.[0] ?? '';
  }

  nextTimerAt(): number | null {
    return this.core.timers.nextDue();
  }

  now(): number {
    return this.core.now;
  }

  isBusy(sessionName: string): boolean {
    return this.core.session(sessionName).busy;
  }

  /** pg_isolation_test_session_is_blocked: waits on a lock held or awaited by one of `others`. */
  isBlockedBy(sessionName: string, others: readonly string[]): boolean {
    const session = this.core.session(sessionName);
    const pids = new Set(others.map((n) => this.core.sessions.get(n)?.pid));
    return this.core.locks.blockingPids(session.pid).some((pid) => pids.has(pid));
  }

  events(afterSeq = 0): EngineEvent[] {
    return this.core.events.since(afterSeq);
  }

  lastEventSeq(): number {
    return this.core.events.lastSeq;
  }

  sessions(): SessionView[] {
    return [...this.core.sessions.values()].map((s) => this.sessionView(s));
  }

  session(name: string): SessionView {
    return this.sessionView(this.core.session(name));
  }

  private sessionView(session: Session): SessionView {
    const transaction = session.transaction;
    const status = session.terminated
      ? 'terminated'
      : !transaction || session.block !== 'explicit'
        ? 'idle'
        : transaction.failed
          ? 'in failed transaction'
          : 'in transaction';
    return {
      name: session.name,
      helper: session.helper,
      pid: session.pid,
      status,
      isolation:
        transaction?.isolation ??
        (session.settings.get('default_transaction_isolation') as SessionView['isolation']),
      busy: session.busy,
      waiting: session.suspension?.kind === 'lock' ? session.suspension.info : null,
      currentStatement: session.submission?.statementText ?? null,
      xid: transaction?.topXid ?? null,
      vxid: transaction?.vxid ?? null,
      snapshot: transaction?.snapshot ?? null,
    };
  }

  /**
   * Runs setup SQL (a scenario's shared schema and data) on a session of its own, to completion,
   * letting virtual time pass if it must wait; returns its outcomes. The session is closed after.
   */
  runSetup(sql: string): StatementOutcome[] {
    let name = 'setup';
    for (let n = 2; this.core.sessions.has(name); n++) name = `setup ${n}`;
    this.openSession(name, { helper: true });
    const id = this.submit(name, sql);
    while (this.isBusy(name) && this.advanceToNextTimer(600_000)) {
      // each timer may let the setup progress
    }
    if (this.isBusy(name)) this.cancel(name);
    const outcomes = this.core.events
      .since(0)
      .flatMap((e) => (e.type === 'statementFinished' && e.submission === id ? [e.outcome] : []));
    this.closeSession(name);
    return outcomes;
  }

  /** Every version of a table's rows with its header, who sees it and who locks it (row-version inspector). */
  rowVersions(tableName: string): RowVersionView[] {
    const [schema, name] = tableName.includes('.') ? tableName.split('.', 2) : ['public', tableName];
    const table = this.core.catalog.find(schema as string, name as string);
    if (!table) throw new Error(`no table named "${tableName}"`);
    return rowVersions(this.core, table);
  }

  /**
   * Everything a page shows, in one call: events after `afterSeq`, sessions, pg_locks, the clock,
   * the tables and the watched table's row versions — helper sessions left out.
   */
  state(request: EngineStateRequest): EngineState {
    const events = this.core.events.since(request.afterSeq);
    const tables = this.tables();
    const watched = request.rowVersions;
    const table = watched && (tables.find((t) => t.name === watched.table) ?? tables[0]);
    return {
      events: events.filter((event) => !event.helper),
      lastSeq: this.core.events.lastSeq,
      sessions: this.sessions().filter((session) => !session.helper),
      locks: this.locks().filter((lock) => !this.core.sessions.get(lock.session)?.helper),
      now: this.core.now,
      nextTimerAt: this.core.timers.nextDue(),
      tables,
      rowVersions: table ? { table: table.name, versions: this.rowVersions(table.name) } : null,
    };
  }

  /**
   * The engine's own invariants, checked (for tests and tools): no transaction left running while no
   * session holds it, and the heaps in PGlite mirroring the tuple headers exactly. Empty when all hold.
   */
  selfCheck(): string[] {
    const problems: string[] = [];
    const held = new Set<number>();
    for (const session of this.core.sessions.values())
      for (const xid of session.transaction?.ownXids() ?? []) held.add(xid);
    const orphans = this.core.xids.running().filter((xid) => !held.has(xid));
    if (orphans.length > 0) problems.push(`transactions running without a session: ${orphans.join(', ')}`);
    problems.push(...heapMirrorProblems(this.core));
    return problems;
  }

  /** The user tables (schema-qualified outside `public`) and their columns, for inspectors. */
  tables(): TableView[] {
    return this.core.catalog
      .all()
      .map((table) => ({
        name: table.schema === 'public' ? table.name : `${table.schema}.${table.name}`,
        columns: table.columns.map((column) => column.name),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The emulated pg_locks: every granted and awaited heavyweight lock. */
  locks(): LockRow[] {
    const rows: LockRow[] = [];
    for (const lock of this.core.locks.allLocks()) {
      for (const pid of lock.procLocks) {
        const session = this.core.byPid.get(pid);
        if (!session) continue;
        for (const mode of this.core.locks.heldModes(lock, pid)) {
          rows.push({
            session: session.name,
            pid,
            lock: lockTagView(lock.tag),
            mode: lockModeName(mode),
            granted: true,
            waitStart: null,
          });
        }
        const waiter = lock.queue.find((w) => w.pid === pid);
        if (waiter) {
          rows.push({
            session: session.name,
            pid,
            lock: lockTagView(lock.tag),
            mode: lockModeName(waiter.mode),
            granted: false,
            waitStart: waiter.waitStart,
          });
        }
      }
    }
    return rows;
  }

  /** Drops everything the sessions created and closes them: a fresh, empty database. */
  reset(): void {
    for (const name of [...this.core.sessions.keys()]) this.closeSession(name);
    for (const table of this.core.catalog.all()) {
      this.core.host.script(`DROP VIEW IF EXISTS ${table.sysView}`);
    }
    const schemas = [...this.core.schemas];
    this.core.host.script(
      [
        ...schemas.map((s) => `DROP SCHEMA IF EXISTS "${s.replace(/"/g, '""')}" CASCADE`),
        ...schemas.map((s) => `DROP SCHEMA IF EXISTS ${quoteIdent(heapSchemaOf(s))} CASCADE`),
        'CREATE SCHEMA public',
        `CREATE SCHEMA ${heapSchemaOf('public')}`,
        'GRANT USAGE ON SCHEMA public TO playground_learner',
        'ALTER SEQUENCE _engine.tid_seq RESTART',
        'RESET ALL',
        PGLITE_BASELINE_SQL,
      ].join(';\n'),
    );
    this.core.reset();
    this.nextPid = FIRST_PID;
    this.nextSubmission = 1;
  }

  async close(): Promise<void> {
    await this.core.host.close();
  }

  /** The engine's shared state, for this package's own tests (not exported from the package). */
  static coreOf(engine: Engine): EngineCore {
    return engine.core;
  }
}

export { PgError };
