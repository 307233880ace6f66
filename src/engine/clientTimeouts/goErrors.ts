/** The Go errors a program can get when its deadline fires, exactly as err.Error() prints them. */

export interface GoError {
  /** err.Error(). */
  message: string;
  /** errors.Is(err, context.DeadlineExceeded). */
  isDeadlineExceeded: boolean;
  /** The Go type or sentinel behind it. */
  goType: string;
  /** SQLSTATE, for a server error. */
  sqlstate?: string;
  /** A different wording in other driver versions than the ones the reference ran. */
  versionNote?: string;
}

export const CONTEXT_DEADLINE_EXCEEDED: GoError = {
  message: 'context deadline exceeded',
  isDeadlineExceeded: true,
  goType: 'context.DeadlineExceeded',
};

export const PGCONN_TIMEOUT: GoError = {
  message: 'timeout: context deadline exceeded',
  isDeadlineExceeded: true,
  goType: 'pgconn timeout error wrapping context.DeadlineExceeded',
};

export const PQ_QUERY_CANCELED: GoError = {
  message: 'pq: canceling statement due to user request',
  isDeadlineExceeded: false,
  goType: '*pq.Error',
  sqlstate: '57014',
  versionNote:
    'The reference ran lib/pq 1.10.9. From v1.11.0, (*Error).Error appends the SQLSTATE: `pq: canceling statement due to user request (57014)`.',
};

export const PGX_QUERY_CANCELED: GoError = {
  message: 'ERROR: canceling statement due to user request (SQLSTATE 57014)',
  isDeadlineExceeded: false,
  goType: '*pgconn.PgError',
  sqlstate: '57014',
};

export const ERR_TX_DONE: GoError = {
  message: 'sql: transaction has already been committed or rolled back',
  isDeadlineExceeded: false,
  goType: 'sql.ErrTxDone',
};

export const LAST_INSERT_ID_NOT_SUPPORTED: GoError = {
  message: 'LastInsertId is not supported by this driver',
  isDeadlineExceeded: false,
  goType: 'error from driver.RowsAffected',
};
