/**
 * Where each behaviour comes from: a file and a function in a Go repository, written as the
 * reference (`shared/reference/go-database-sql-timeouts.md`, "Where to re-read the source") writes
 * them. `basis: 'source-check'` marks the few locations that the reference does not list but that
 * the model needs to apply one of the reference's own rules; they were read in the sources.
 */

export type SourceBasis = 'reference' | 'source-check';

export interface SourceLocation {
  /** GitHub owner/name. */
  repo: string;
  /** Path inside the repository, as the reference writes it. */
  file: string;
  /** Function, method or type, as the reference writes it; empty for a whole package. */
  symbol: string;
  basis: SourceBasis;
}

function at(repo: string, file: string, symbol: string, basis: SourceBasis = 'reference'): SourceLocation {
  return { repo, file, symbol, basis };
}

const GO = 'golang/go';
const SQL_GO = 'src/database/sql/sql.go';
const PGX = 'jackc/pgx';
const PQ = 'lib/pq';
const MYSQL = 'go-sql-driver/mysql';
const SQLITE = 'mattn/go-sqlite3';

export const SOURCES = {
  // Go database/sql
  dbConn: at(GO, SQL_GO, '(*DB).conn'),
  connRequests: at(GO, SQL_GO, 'connRequests'),
  txAwaitDone: at(GO, SQL_GO, '(*Tx).awaitDone'),
  rowsAwaitDone: at(GO, SQL_GO, '(*Rows).awaitDone'),
  rowsScan: at(GO, SQL_GO, '(*Rows).Scan'),
  txCommit: at(GO, SQL_GO, '(*Tx).Commit'),
  releaseConn: at(GO, SQL_GO, 'driverConn.releaseConn'),
  beginDC: at(GO, SQL_GO, '(*DB).beginDC', 'source-check'),
  putConnDBLocked: at(GO, SQL_GO, '(*DB).putConnDBLocked', 'source-check'),
  driverRowsAffected: at(
    GO,
    'src/database/sql/driver/driver.go',
    'RowsAffected.LastInsertId',
    'source-check',
  ),

  // jackc/pgx v5
  pgconnAsyncClose: at(PGX, 'pgconn/pgconn.go', 'asyncClose'),
  pgconnCancelRequest: at(PGX, 'pgconn/pgconn.go', 'CancelRequest'),
  pgconnDefaultWatcher: at(PGX, 'pgconn/config.go', 'default context watcher handler'),
  pgconnCtxwatch: at(PGX, 'pgconn/ctxwatch/', ''),
  stdlibResetSession: at(PGX, 'stdlib/sql.go', 'ResetSession'),
  stdlibExecContext: at(PGX, 'stdlib/sql.go', 'ExecContext'),
  stdlibConnMethods: at(PGX, 'stdlib/sql.go', '(*Conn) method set: ResetSession, no IsValid', 'source-check'),
  stdlibWrapTxCommit: at(PGX, 'stdlib/sql.go', 'wrapTx.Commit', 'source-check'),
  cancelRequestHandler: at(PGX, 'pgconn/pgconn.go', 'CancelRequestContextWatcherHandler', 'source-check'),
  pgErrorError: at(PGX, 'pgconn/errors.go', '(*PgError).Error', 'source-check'),
  pgxpoolRelease: at(PGX, 'pgxpool/conn.go', '(*Conn).Release', 'source-check'),
  pgxpoolBeginTx: at(PGX, 'pgxpool/pool.go', '(*Pool).BeginTx', 'source-check'),
  pgxBaseRowsNext: at(PGX, 'rows.go', '(*baseRows).Next', 'source-check'),
  pgxDbTxCommit: at(PGX, 'tx.go', '(*dbTx).Commit', 'source-check'),
  puddleAcquire: at('jackc/puddle', 'pool.go', 'Acquire'),

  // lib/pq
  pqWatchCancel: at(PQ, 'conn.go / conn_go18.go', 'watchCancel'),
  pqSendCancelRequest: at(PQ, 'conn.go / conn_go18.go', 'sendCancelRequest'),
  pqBeginTx: at(PQ, 'conn_go18.go', '(*conn).BeginTx', 'source-check'),
  pqConnMethods: at(PQ, 'conn.go', '(*conn).ResetSession, (*conn).IsValid', 'source-check'),
  pqErrorError: at(PQ, 'error.go', '(*Error).Error', 'source-check'),

  // go-sql-driver/mysql
  mysqlWatchCancel: at(MYSQL, 'connection.go', 'watchCancel'),
  mysqlCancel: at(MYSQL, 'connection.go', 'cancel'),
  mysqlCleanup: at(MYSQL, 'connection.go', 'cleanup'),
  mysqlReadPacket: at(MYSQL, 'packets.go', 'readPacket'),
  mysqlConnMethods: at(
    MYSQL,
    'connection.go',
    '(*mysqlConn).ResetSession, (*mysqlConn).IsValid',
    'source-check',
  ),
  mysqlTxCommit: at(MYSQL, 'transaction.go', '(*mysqlTx).Commit', 'source-check'),

  // mattn/go-sqlite3
  sqliteStmtExec: at(SQLITE, 'sqlite3.go', '(*SQLiteStmt).exec'),
  sqliteRowsNext: at(SQLITE, 'sqlite3.go', '(*SQLiteRows).Next'),
  sqliteTxCommit: at(SQLITE, 'sqlite3.go', '(*SQLiteTx).Commit', 'source-check'),
  sqliteConnMethods: at(
    SQLITE,
    'sqlite3.go',
    '(*SQLiteConn) method set: no ResetSession, no IsValid',
    'source-check',
  ),
} as const satisfies Record<string, SourceLocation>;

export type SourceKey = keyof typeof SOURCES;

/** `golang/go src/database/sql/sql.go (*DB).conn` — the form the UI and the command print. */
export function formatSource(source: SourceLocation): string {
  const where = `${source.repo} ${source.file}`;
  return source.symbol === '' ? where : `${where} ${source.symbol}`;
}
