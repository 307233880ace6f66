/**
 * Errors the engine raises with PostgreSQL's SQLSTATE, message, DETAIL, HINT and CONTEXT.
 */
import type { PgMessage } from './api/results';

export class PgError extends Error {
  constructor(readonly pg: PgMessage) {
    super(pg.message);
  }

  static of(sqlstate: string, message: string, extra: Partial<PgMessage> = {}): PgError {
    return new PgError({ severity: 'ERROR', sqlstate, message, ...extra });
  }

  withContext(context: string | undefined): PgError {
    if (context === undefined) return this;
    const merged = this.pg.context ? `${this.pg.context}\n${context}` : context;
    return new PgError({ ...this.pg, context: merged });
  }

  get sqlstate(): string {
    return this.pg.sqlstate;
  }
}

/** SQLSTATE 0A000 with a message that says the playground does not support something. */
export function unsupported(what: string, hint?: string): PgError {
  return PgError.of('0A000', `the playground engine does not support ${what}`, hint ? { hint } : {});
}

export const TRANSACTION_ABORTED = (): PgError =>
  PgError.of('25P02', 'current transaction is aborted, commands ignored until end of transaction block');

export function serializationFailure(kind: 'update' | 'delete'): PgError {
  return PgError.of('40001', `could not serialize access due to concurrent ${kind}`);
}

export function queryCanceled(reason: 'statement timeout' | 'user request'): PgError {
  return PgError.of('57014', `canceling statement due to ${reason}`);
}

export function lockTimeout(): PgError {
  return PgError.of('55P03', 'canceling statement due to lock timeout');
}

/** Thrown inside the engine for a broken invariant: a bug, never a user error. */
export class EngineInvariantError extends Error {}
