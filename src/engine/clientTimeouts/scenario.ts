/**
 * The model's input: a Go program (one or more goroutines sharing one pool), the server's
 * behaviour for each statement, the network, and each goroutine's context deadline. All times are
 * virtual milliseconds from the start of the run.
 */
import type { DriverName } from './drivers';

export interface NetworkSettings {
  /** One-way client↔server latency. Ignored for sqlite3 (in process). */
  oneWayMs: number;
  /** Time to open a new connection (TCP + startup) before anything can be sent on it. */
  dialMs: number;
}

export interface PoolSettings {
  /** db.SetMaxOpenConns / pgxpool MaxConns; 0 means unlimited (database/sql only). */
  maxOpenConns: number;
  /** db.SetMaxIdleConns; absent means database/sql's default of 2. database/sql only. */
  maxIdleConns?: number;
  /** db.SetConnMaxLifetime; absent or 0 means no limit. database/sql only. */
  connMaxLifetimeMs?: number;
}

/** How the server handles one statement. */
export interface StatementServer {
  /** Time the server spends executing once it can run (before the first row, for a query). */
  executionMs: number;
  /**
   * The statement waits for a row lock held by another session until this virtual time (the
   * playground engine can tell when the holder commits). PostgreSQL and MySQL only.
   */
  blockedUntilMs?: number;
}

/** The rows a query returns: `count` rows, one every `intervalMs` after the first. */
export interface RowStream {
  count: number;
  intervalMs: number;
}

export type ProgramStep =
  /** tx, err := db.BeginTx(ctx, nil) */
  | { kind: 'begin'; server?: StatementServer }
  /** res, err := db.ExecContext(ctx, sql) — or tx.ExecContext inside a transaction. */
  | { kind: 'exec'; sql: string; server?: StatementServer; readLastInsertId?: boolean }
  /**
   * rows, err := db.QueryContext(ctx, sql) — or tx.QueryContext — then
   * `for rows.Next() { <beforeScanMs of work>; rows.Scan(&dst); <afterScanMs of work> }; rows.Err()`.
   */
  | {
      kind: 'query';
      sql: string;
      server?: StatementServer;
      rows: RowStream;
      beforeScanMs?: number;
      afterScanMs?: number;
    }
  /** err := tx.Commit() */
  | { kind: 'commit'; server?: StatementServer }
  /** The program's own work between calls (no database call in progress). */
  | { kind: 'work'; ms: number; label?: string };

export interface GoroutineSpec {
  id: string;
  startMs?: number;
  /** The ctx deadline (context.WithDeadline), in virtual ms; null for context.Background(). */
  deadlineMs: number | null;
  steps: ProgramStep[];
}

export type PgxContextWatcher = 'deadline' | 'cancel-request';

export interface Scenario {
  driver: DriverName;
  pool: PoolSettings;
  network?: NetworkSettings;
  goroutines: GoroutineSpec[];
  /** Seed of the generator that picks which waiter gets a released connection (database/sql). */
  seed?: number;
  /** pgxpool only: the default deadline handler, or the opt-in CancelRequestContextWatcherHandler. */
  pgxContextWatcher?: PgxContextWatcher;
}

export const DEFAULT_NETWORK: NetworkSettings = { oneWayMs: 2, dialMs: 6 };
export const DEFAULT_STATEMENT_SERVER: StatementServer = { executionMs: 1 };
/** database/sql's defaultMaxIdleConns. */
export const DATABASE_SQL_DEFAULT_MAX_IDLE = 2;

/** Problems that make a scenario impossible to run as written (empty when it is fine). */
export function validateScenario(scenario: Scenario): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  if (scenario.goroutines.length === 0) problems.push('the program needs at least one goroutine');
  if (!(scenario.pool.maxOpenConns >= 0)) problems.push('pool.maxOpenConns must be 0 (unlimited) or more');
  if (scenario.driver === 'pgxpool') {
    if (scenario.pool.maxOpenConns === 0) problems.push('pgxpool needs a MaxConns above 0');
    if (scenario.pool.maxIdleConns !== undefined || scenario.pool.connMaxLifetimeMs !== undefined) {
      problems.push(
        'maxIdleConns and connMaxLifetimeMs are database/sql settings; they are not modelled for pgxpool',
      );
    }
  } else if (scenario.pgxContextWatcher === 'cancel-request') {
    problems.push('the CancelRequestContextWatcherHandler option is modelled for pgxpool only');
  }
  const network = scenario.network ?? DEFAULT_NETWORK;
  if (network.oneWayMs < 0 || network.dialMs < 0) problems.push('network times cannot be negative');
  for (const goroutine of scenario.goroutines) {
    if (ids.has(goroutine.id)) problems.push(`goroutine id "${goroutine.id}" is used twice`);
    ids.add(goroutine.id);
    let inTransaction = false;
    goroutine.steps.forEach((step, index) => {
      const where = `goroutine ${goroutine.id}, step ${index + 1}`;
      if (step.kind === 'begin') {
        if (inTransaction) problems.push(`${where}: BeginTx inside a transaction`);
        inTransaction = true;
      } else if (step.kind === 'commit') {
        if (!inTransaction) problems.push(`${where}: Commit without BeginTx`);
        inTransaction = false;
      } else if (step.kind === 'work') {
        if (!(step.ms >= 0)) problems.push(`${where}: work time cannot be negative`);
      } else if (step.kind === 'query') {
        if (!(step.rows.count >= 0) || !(step.rows.intervalMs >= 0)) {
          problems.push(`${where}: row count and interval cannot be negative`);
        }
      }
      if ('server' in step && step.server !== undefined && !(step.server.executionMs >= 0)) {
        problems.push(`${where}: execution time cannot be negative`);
      }
    });
  }
  return problems;
}

/** Is this SQL a write (for sqlite3's "an interrupted write rolls the whole transaction back")? */
export function isWriteStatement(sql: string): boolean {
  return /^\s*(insert|update|delete|merge|replace|upsert)\b/i.test(sql);
}
