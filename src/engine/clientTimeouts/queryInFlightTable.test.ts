/**
 * The reference's table "Per driver, when the deadline fires while the query is in flight": every
 * cell (error, errors.Is, what reaches the server, the connection afterwards), for each driver.
 */
import { describe, expect, it } from 'vitest';
import type { DriverName } from './drivers';
import { phaseVerdict } from './phaseVerdict';
import type { ConnectionFate, TransactionFate } from './timeline';
import { BLOCKED_UPDATE, blockedUpdateScenario, connectionEvents, runScenario } from './testSupport';

interface Row {
  driver: DriverName;
  error: string;
  goType: string;
  sqlstate?: string;
  isDeadlineExceeded: boolean;
  /** When the call returns (deadline at 100 ms; one way 2 ms, dial 6 ms). */
  returnsAtMs: number;
  deadlineEffects: string[];
  statementFate: TransactionFate;
  connectionFate: ConnectionFate;
  connectionEvents: string[];
}

const TABLE: Row[] = [
  {
    driver: 'pgx-stdlib',
    error: 'timeout: context deadline exceeded',
    goType: 'pgconn timeout error wrapping context.DeadlineExceeded',
    isDeadlineExceeded: true,
    returnsAtMs: 100,
    deadlineEffects: ['cancel-request', 'disconnect'],
    statementFate: 'statement-cancelled',
    connectionFate: 'closed-dropped-at-next-checkout',
    connectionEvents: ['dialing', 'opened', 'checked-out', 'closed-by-driver', 'returned-to-idle'],
  },
  {
    driver: 'pgxpool',
    error: 'timeout: context deadline exceeded',
    goType: 'pgconn timeout error wrapping context.DeadlineExceeded',
    isDeadlineExceeded: true,
    returnsAtMs: 100,
    deadlineEffects: ['cancel-request', 'disconnect'],
    statementFate: 'statement-cancelled',
    connectionFate: 'destroyed',
    connectionEvents: ['dialing', 'opened', 'checked-out', 'closed-by-driver', 'destroyed'],
  },
  {
    driver: 'lib-pq',
    error: 'pq: canceling statement due to user request',
    goType: '*pq.Error',
    sqlstate: '57014',
    isDeadlineExceeded: false,
    returnsAtMs: 110, // CancelRequest dialed (6) and sent (2), the server's answer back (2)
    deadlineEffects: ['cancel-request', 'disconnect'],
    statementFate: 'statement-cancelled',
    connectionFate: 'discarded',
    connectionEvents: ['dialing', 'opened', 'checked-out', 'marked-invalid', 'closed-by-driver', 'discarded'],
  },
  {
    driver: 'mysql',
    error: 'context deadline exceeded',
    goType: 'context.DeadlineExceeded',
    isDeadlineExceeded: true,
    returnsAtMs: 100,
    deadlineEffects: ['disconnect'],
    statementFate: 'statement-keeps-running',
    connectionFate: 'discarded',
    connectionEvents: ['dialing', 'opened', 'checked-out', 'marked-invalid', 'closed-by-driver', 'discarded'],
  },
  {
    driver: 'sqlite3',
    error: 'context deadline exceeded',
    goType: 'context.DeadlineExceeded',
    isDeadlineExceeded: true,
    returnsAtMs: 100,
    deadlineEffects: ['sqlite-interrupt'],
    statementFate: 'statement-interrupted',
    connectionFate: 'kept',
    connectionEvents: ['dialing', 'opened', 'checked-out', 'returned-to-idle'],
  },
];

describe('query in flight: the reference table, row by row', () => {
  it.each(TABLE)('$driver', (row) => {
    const { verdict, goroutine, deadlineEffectKinds, result } = runScenario(
      blockedUpdateScenario(row.driver),
    );
    expect(verdict.phase).toBe('query');
    expect(verdict.status).toBe('modelled');
    expect(verdict.error).toMatchObject({
      kind: 'error',
      surfacedBy: row.driver === 'pgxpool' ? 'pool.Exec' : 'db.ExecContext',
      atMs: row.returnsAtMs,
      error: {
        message: row.error,
        isDeadlineExceeded: row.isDeadlineExceeded,
        goType: row.goType,
        ...(row.sqlstate !== undefined ? { sqlstate: row.sqlstate } : {}),
      },
    });
    expect(goroutine.outcome).toBe('returned-error');
    expect(goroutine.finalError?.message).toBe(row.error);
    expect(deadlineEffectKinds).toEqual(row.deadlineEffects);
    expect(verdict.transaction.fate).toBe(row.statementFate);
    expect(verdict.connection.fate).toBe(row.connectionFate);
    expect(connectionEvents(result, 'c1')).toEqual(row.connectionEvents);
  });

  it('every cell cites the reference’s sources for that driver', () => {
    const sources = (driver: DriverName) => phaseVerdict(driver, 'query').source;
    expect(sources('pgx-stdlib')).toEqual([
      'jackc/pgx pgconn/config.go default context watcher handler',
      'jackc/pgx pgconn/ctxwatch/',
      'jackc/pgx pgconn/pgconn.go asyncClose',
      'jackc/pgx pgconn/pgconn.go CancelRequest',
      'jackc/pgx stdlib/sql.go ResetSession',
      'jackc/pgx stdlib/sql.go ExecContext',
    ]);
    expect(sources('lib-pq')).toEqual([
      'lib/pq conn.go / conn_go18.go watchCancel',
      'lib/pq conn.go / conn_go18.go sendCancelRequest',
    ]);
    expect(sources('mysql')).toEqual([
      'go-sql-driver/mysql connection.go watchCancel',
      'go-sql-driver/mysql connection.go cancel',
      'go-sql-driver/mysql connection.go cleanup',
      'go-sql-driver/mysql packets.go readPacket',
    ]);
    expect(sources('sqlite3')).toEqual([
      'mattn/go-sqlite3 sqlite3.go (*SQLiteStmt).exec',
      'mattn/go-sqlite3 sqlite3.go (*SQLiteRows).Next',
    ]);
  });
});

describe('query in flight: what reaches the server, and when', () => {
  it('pgx: CancelRequest on a new socket first, then Terminate (asyncClose)', () => {
    const { verdict } = runScenario(blockedUpdateScenario('pgx-stdlib'));
    const [cancel, terminate] = verdict.server.effects;
    expect(cancel).toMatchObject({
      kind: 'cancel-request',
      atMs: 108,
      connectionId: 'c1',
      cause: 'deadline',
    });
    expect(terminate).toMatchObject({ kind: 'disconnect', graceful: true, atMs: 112 });
  });

  it('pgx: a blocked UPDATE never applies — the statement is cancelled before its lock is free', () => {
    const { verdict } = runScenario(blockedUpdateScenario('pgx-stdlib'));
    expect(verdict.transaction.summary).toBe('The statement is cancelled: a blocked UPDATE never applies.');
  });

  it('pgx stdlib: the closed connection is dropped at the next checkout, with a transparent retry', () => {
    const scenario = blockedUpdateScenario('pgx-stdlib');
    scenario.goroutines.push({
      id: 'later',
      startMs: 150,
      deadlineMs: null,
      steps: [{ kind: 'exec', sql: 'SELECT 1' }],
    });
    const { result } = runScenario(scenario);
    expect(connectionEvents(result, 'c1').slice(-2)).toEqual(['returned-to-idle', 'dropped-at-checkout']);
    const later = result.goroutines.find((goroutine) => goroutine.id === 'later');
    expect(later?.outcome).toBe('completed');
    expect(later?.spans[0]).toMatchObject({
      kind: 'acquire',
      label: 'acquire (transparent retry ×1)',
      connectionId: 'c2',
    });
    expect(later?.calls[0]).toMatchObject({ call: 'db.ExecContext', error: null });
  });

  it('pgxpool: the pool total drops', () => {
    const scenario = blockedUpdateScenario('pgxpool', { pool: { maxOpenConns: 1 } });
    scenario.goroutines.push({
      id: 'later',
      startMs: 150,
      deadlineMs: null,
      steps: [{ kind: 'exec', sql: 'SELECT 1' }],
    });
    const { result } = runScenario(scenario);
    // With MaxConns 1, the next goroutine can only get a connection because c1 left the pool.
    const later = result.goroutines.find((goroutine) => goroutine.id === 'later');
    expect(later?.outcome).toBe('completed');
    expect(later?.spans[0]).toMatchObject({ kind: 'acquire', connectionId: 'c2' });
  });

  it('pgxpool: the opt-in CancelRequestContextWatcherHandler returns SQLSTATE 57014 and keeps the connection', () => {
    const { verdict, result } = runScenario(
      blockedUpdateScenario('pgxpool', { pgxContextWatcher: 'cancel-request' }),
    );
    expect(verdict.error).toMatchObject({
      kind: 'error',
      atMs: 110,
      error: {
        message: 'ERROR: canceling statement due to user request (SQLSTATE 57014)',
        sqlstate: '57014',
        isDeadlineExceeded: false,
      },
    });
    expect(verdict.server.effects.map((effect) => effect.kind)).toEqual(['cancel-request']);
    expect(verdict.connection.fate).toBe('kept');
    expect(connectionEvents(result, 'c1')).toEqual(['dialing', 'opened', 'checked-out', 'returned-to-idle']);
  });

  it('lib/pq: the call returns when the server answers the CancelRequest', () => {
    const { verdict } = runScenario(blockedUpdateScenario('lib-pq'));
    const cancel = verdict.server.effects.find((effect) => effect.kind === 'cancel-request');
    expect(cancel?.atMs).toBe(108);
    expect(verdict.error.kind === 'error' && verdict.error.atMs).toBe(110);
  });

  it('lib/pq: the version note says newer releases append the SQLSTATE to the message', () => {
    const { verdict } = runScenario(blockedUpdateScenario('lib-pq'));
    expect(verdict.error.kind === 'error' && verdict.error.error.versionNote).toContain(
      '`pq: canceling statement due to user request (57014)`',
    );
  });

  it('mysql: nothing reaches the server but a closed TCP socket; the UPDATE commits later', () => {
    const { verdict, result } = runScenario(blockedUpdateScenario('mysql'));
    expect(verdict.server.effects).toEqual([
      expect.objectContaining({ kind: 'disconnect', graceful: false, atMs: 102 }),
    ]);
    expect(
      result.serverEffects.filter((effect) => effect.kind === 'statement').map((effect) => effect.sql),
    ).toEqual([BLOCKED_UPDATE]);
    expect(verdict.transaction.summary).toBe(
      'The server keeps running the statement: a lock-blocked UPDATE commits once it gets the lock. (On the server it finishes at 301 ms.)',
    );
  });

  it('sqlite3: an interrupted write inside an explicit transaction rolls the whole transaction back', () => {
    const { verdict } = runScenario({
      driver: 'sqlite3',
      pool: { maxOpenConns: 1 },
      goroutines: [
        {
          id: 'app',
          deadlineMs: 100,
          steps: [
            { kind: 'begin' },
            { kind: 'exec', sql: BLOCKED_UPDATE, server: { executionMs: 300 } },
            { kind: 'commit' },
          ],
        },
      ],
    });
    expect(verdict.phase).toBe('query');
    expect(verdict.inTransaction).toBe(true);
    expect(verdict.server.effects.map((effect) => effect.kind)).toEqual(['sqlite-interrupt']);
    expect(verdict.transaction).toEqual({
      fate: 'rolled-back',
      summary:
        'Rolled back: an interrupted write inside an explicit transaction rolls the whole transaction back.',
    });
  });
});
