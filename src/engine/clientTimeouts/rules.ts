/**
 * The rules of the model: each is one statement of the reference
 * (`shared/reference/go-database-sql-timeouts.md`), whether the reference marks it **[run]**, and
 * the sources it names. Verdicts list the rules they apply, so the UI can show statement and source.
 * Rules with `basis: 'source-check'` are facts the reference's own rules depend on but do not list
 * per driver (which driver implements which interface); they were read in the sources.
 */
import { SOURCES, type SourceBasis, type SourceKey, type SourceLocation } from './sources';

export interface Rule {
  id: RuleId;
  /** What the reference says, in its words as far as possible. */
  statement: string;
  /** The reference marks this statement **[run]** (checked by running a Go program). */
  run: boolean;
  basis: SourceBasis;
  sources: readonly SourceLocation[];
}

interface RuleSpec {
  statement: string;
  run?: boolean;
  basis?: SourceBasis;
  sources: readonly SourceKey[];
}

const RULE_SPECS = {
  // database/sql core
  'core.acquire': {
    statement:
      '(*DB).conn checks ctx once without blocking right at entry, then waits on its connection request or ctx.Done(). Expiry returns the plain context error (`context deadline exceeded`). Nothing reaches the server.',
    run: true,
    sources: ['dbConn'],
  },
  'core.acquire-random-order': {
    statement: 'Waiters for a pooled connection are served in random order, not FIFO.',
    run: true,
    sources: ['connRequests'],
  },
  'core.tx-await-done': {
    statement:
      'After the driver’s BeginTx returns, Tx.awaitDone watches the ctx for the whole life of the transaction: when ctx ends, database/sql rolls the transaction back. The connection is then discarded unless the driver implements both SessionResetter and Validator.',
    sources: ['txAwaitDone'],
  },
  'core.rows-await-done': {
    statement:
      'Rows.awaitDone records the ctx error and closes the rows; Next() then returns false and rows.Err() is the plain context error, for every driver.',
    run: true,
    sources: ['rowsAwaitDone'],
  },
  'core.scan': {
    statement:
      'Scan never looks at ctx itself, but once the rows were closed by the ctx it returns that ctx error. No driver is involved in Scan; values already in memory are converted.',
    run: true,
    sources: ['rowsScan'],
  },
  'core.commit-expired': {
    statement:
      'Commit checks tx.ctx first; if the ctx already ended, the driver’s Commit is never called and the caller gets `sql: transaction has already been committed or rolled back` (the awaitDone goroutine already rolled back) or the ctx error. The data is not committed.',
    run: true,
    sources: ['txCommit'],
  },
  'core.conn-max-lifetime': {
    statement:
      'SetConnMaxLifetime only closes connections that are too old (at checkout, on return, by a cleaner goroutine). It never shortens a wait for a connection and can add dial latency.',
    sources: ['dbConn', 'releaseConn'],
  },
  'core.keep-conn-on-rollback': {
    statement:
      'database/sql decides when the transaction begins whether it may keep the connection after a ctx rollback: only if the driver implements both driver.SessionResetter and driver.Validator.',
    basis: 'source-check',
    sources: ['beginDC'],
  },
  'pgx-stdlib.interfaces': {
    statement:
      'pgx stdlib’s connection implements driver.SessionResetter (ResetSession) but not driver.Validator.',
    basis: 'source-check',
    sources: ['stdlibConnMethods'],
  },
  'lib-pq.interfaces': {
    statement:
      'lib/pq implements both ResetSession and IsValid (since v1.10.8, as the reference’s version notes say).',
    basis: 'source-check',
    sources: ['pqConnMethods'],
  },
  'mysql.interfaces': {
    statement:
      'go-sql-driver/mysql implements both ResetSession and IsValid (IsValid since v1.6.0, as the reference’s version notes say).',
    basis: 'source-check',
    sources: ['mysqlConnMethods'],
  },
  'sqlite3.interfaces': {
    statement: 'mattn/go-sqlite3 implements neither driver.SessionResetter nor driver.Validator.',
    basis: 'source-check',
    sources: ['sqliteConnMethods'],
  },
  'core.max-idle-conns': {
    statement:
      'A connection returned to the pool goes to a waiting request, else to the idle list if it holds fewer than MaxIdleConns connections (default 2, never more than MaxOpenConns), else it is closed.',
    basis: 'source-check',
    sources: ['putConnDBLocked'],
  },

  // pgx v5
  'pgx.deadline-watcher': {
    statement:
      'pgx (stdlib and pgxpool): the default context watcher handler sets the socket deadline to now; the read fails and the caller gets a pgconn timeout error, `timeout: context deadline exceeded`, for which errors.Is(err, context.DeadlineExceeded) is true.',
    run: true,
    sources: ['pgconnDefaultWatcher', 'pgconnCtxwatch'],
  },
  'pgx.async-close': {
    statement:
      'pgconn’s asyncClose sends a CancelRequest on a new socket, then Terminate: the statement is cancelled, a blocked UPDATE never applies.',
    run: true,
    sources: ['pgconnAsyncClose', 'pgconnCancelRequest'],
  },
  'pgx-stdlib.dropped-at-next-checkout': {
    statement:
      'pgx stdlib: the closed connection is returned to the idle list and dropped at the next checkout (ResetSession), with a transparent retry.',
    run: true,
    sources: ['stdlibResetSession', 'stdlibExecContext'],
  },
  'pgx-stdlib.begin-watched': {
    statement: 'pgx stdlib: BEGIN is watched; expiry closes the connection.',
    sources: ['pgconnCtxwatch'],
  },
  'pgx-stdlib.rows-watch-until-ready-for-query': {
    statement: 'pgx: the watch stays armed until ReadyForQuery, so closing the rows sends a CancelRequest.',
    sources: ['pgconnCtxwatch', 'pgconnAsyncClose'],
  },
  'pgx-stdlib.commit-reuses-begin-ctx': {
    statement:
      'pgx stdlib reuses the BeginTx ctx for COMMIT: a cancel during COMMIT closes the connection and the client cannot know the outcome.',
    sources: ['stdlibWrapTxCommit', 'pgconnCtxwatch'],
  },
  'pgxpool.destroyed': {
    statement: 'pgxpool (native): the connection is destroyed (pool total drops).',
    run: true,
    sources: ['pgxpoolRelease'],
  },
  'pgxpool.cancel-request-handler': {
    statement:
      'pgxpool: the opt-in CancelRequestContextWatcherHandler instead returns the server error SQLSTATE 57014 and keeps the connection.',
    sources: ['cancelRequestHandler', 'pgconnCtxwatch', 'pgErrorError'],
  },
  'pgxpool.begin-only': {
    statement:
      'pgxpool native: ctx covers only the BEGIN statement; there is no automatic rollback later, the session stays "idle in transaction" until the program acts.',
    run: true,
    sources: ['pgxpoolBeginTx'],
  },
  'pgxpool.buffered-rows': {
    statement:
      'pgxpool keeps returning rows already buffered (90 more in one run) before Next() turns false.',
    run: true,
    sources: ['pgxBaseRowsNext'],
  },
  'pgxpool.commit-expired': {
    statement:
      'pgxpool with an expired ctx: COMMIT is not sent, the connection is closed, the server rolls back.',
    run: true,
    sources: ['pgxDbTxCommit'],
  },

  // lib/pq
  'lib-pq.watch-cancel': {
    statement:
      'lib/pq: watchCancel sends a CancelRequest on a new connection; the call returns when the server answers: the statement is cancelled. The caller gets `pq: canceling statement due to user request` (a *pq.Error, SQLSTATE 57014; not a context error). The connection is marked invalid and discarded.',
    run: true,
    sources: ['pqWatchCancel', 'pqSendCancelRequest'],
  },
  'lib-pq.begin-not-watched': {
    statement:
      'lib/pq: BEGIN itself is not watched, but a watcher is armed for the whole transaction afterwards.',
    sources: ['pqWatchCancel', 'pqBeginTx'],
  },
  'lib-pq.rows': {
    statement: 'lib/pq, rows / Next: CancelRequest, connection closed.',
    sources: ['pqWatchCancel'],
  },
  'lib-pq.commit-watched': {
    statement: 'lib/pq: the watcher is still armed during COMMIT (a CancelRequest can race it).',
    sources: ['pqWatchCancel'],
  },

  // go-sql-driver/mysql
  'mysql.close-socket': {
    statement:
      'go-sql-driver/mysql: the caller gets the plain ctx error. Nothing reaches the server: the driver just closes the TCP socket, no KILL QUERY. The server keeps running the statement; a lock-blocked UPDATE committed later. The connection is discarded.',
    run: true,
    sources: ['mysqlWatchCancel', 'mysqlCancel', 'mysqlCleanup', 'mysqlReadPacket'],
  },
  'mysql.begin-watched-while-sending': {
    statement: 'mysql: BEGIN is watched only while sending START TRANSACTION.',
    sources: ['mysqlWatchCancel'],
  },
  'mysql.rows': {
    statement: 'mysql, rows / Next: socket closed, Next returns the ctx error.',
    sources: ['mysqlWatchCancel', 'mysqlReadPacket'],
  },
  'mysql.commit-not-watched': {
    statement:
      'mysql: COMMIT/ROLLBACK are not watched and run to completion; after an idle-in-transaction cancel database/sql sends ROLLBACK and keeps the connection.',
    run: true,
    sources: ['mysqlTxCommit', 'mysqlWatchCancel'],
  },

  // mattn/go-sqlite3
  'sqlite3.interrupt': {
    statement:
      'mattn/go-sqlite3: the caller gets the plain ctx error; the driver calls sqlite3_interrupt; an interrupted write inside an explicit transaction rolls the whole transaction back. The connection is kept.',
    run: true,
    sources: ['sqliteStmtExec', 'sqliteRowsNext'],
  },
  'sqlite3.begin-interruptible': {
    statement: 'sqlite3: BEGIN is interruptible.',
    sources: ['sqliteStmtExec'],
  },
  'sqlite3.rows': {
    statement: 'sqlite3, rows / Next: interrupt, connection kept.',
    sources: ['sqliteRowsNext'],
  },
  'sqlite3.commit-background-ctx': {
    statement: 'sqlite3: commit uses a background context.',
    sources: ['sqliteTxCommit'],
  },

  // LastInsertId
  'last-insert-id': {
    statement:
      'pgx and lib/pq both return `LastInsertId is not supported by this driver` (use `RETURNING id`); go-sql-driver/mysql and go-sqlite3 support it.',
    run: true,
    sources: ['driverRowsAffected'],
  },
} as const satisfies Record<string, RuleSpec>;

export type RuleId = keyof typeof RULE_SPECS;

function buildRule(id: RuleId, spec: RuleSpec): Rule {
  return {
    id,
    statement: spec.statement,
    run: spec.run ?? false,
    basis: spec.basis ?? 'reference',
    sources: spec.sources.map((key) => SOURCES[key]),
  };
}

export const RULES: Readonly<Record<RuleId, Rule>> = Object.fromEntries(
  (Object.entries(RULE_SPECS) as [RuleId, RuleSpec][]).map(([id, spec]) => [id, buildRule(id, spec)]),
) as Record<RuleId, Rule>;

export const RULE_IDS = Object.keys(RULE_SPECS) as RuleId[];

export function ruleById(id: RuleId): Rule {
  return RULES[id];
}

/** Every distinct source of the given rules, in first-mention order. */
export function sourcesOf(ruleIds: readonly RuleId[]): SourceLocation[] {
  const seen = new Set<SourceLocation>();
  for (const id of ruleIds) for (const source of RULES[id].sources) seen.add(source);
  return [...seen];
}
