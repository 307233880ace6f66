/**
 * What a statement gives back to a client: the same facts a PostgreSQL client sees on the wire.
 * Shared by the engine, the scenario backends (engine and real PostgreSQL) and the UI.
 */

/** An error or notice as PostgreSQL reports it (ErrorResponse / NoticeResponse fields). */
export interface PgMessage {
  /** ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO, LOG (localized-independent severity `V`). */
  severity: string;
  /** SQLSTATE, five characters. */
  sqlstate: string;
  message: string;
  detail?: string;
  hint?: string;
  /** The CONTEXT lines (`W` field). */
  context?: string;
  /** 1-based character position in the statement text, when PostgreSQL gives one. */
  position?: number;
  /** The internal query the message refers to (`q` field, e.g. a PL/pgSQL statement), when given. */
  internalQuery?: string;
  /** 1-based character position in `internalQuery` (`p` field). */
  internalPosition?: number;
}

/** One column of a result set. */
export interface ResultField {
  name: string;
  /** Type OID as PostgreSQL reports it in RowDescription. */
  typeOid: number;
}

/** A statement that completed without error. */
export interface StatementSuccess {
  kind: 'ok';
  /** The full command tag, e.g. `SELECT 2`, `INSERT 0 1`, `BEGIN`. */
  tag: string;
  /** The tag's first word(s) without the count: `SELECT`, `INSERT`, `CREATE TABLE`. */
  command: string;
  /** The count at the end of the tag, or null for tags without one. */
  rowCount: number | null;
  /** Present for statements that return rows (even zero rows). */
  fields?: ResultField[];
  /** Values in PostgreSQL's text output format; null is SQL NULL. */
  rows?: (string | null)[][];
  /** True when the playground kept only the first rows of a huge result (the tag still counts them all). */
  truncated?: boolean;
}

export interface StatementFailure {
  kind: 'error';
  error: PgMessage;
}

export type StatementOutcome = StatementSuccess | StatementFailure;

/** Splits a command tag into its command word(s) and its trailing count. */
export function splitCommandTag(tag: string): { command: string; rowCount: number | null } {
  const match = /^(.*?)(?: (\d+))?(?: (\d+))?$/.exec(tag);
  if (!match) return { command: tag, rowCount: null };
  const [, head = tag, first, second] = match;
  if (second !== undefined) return { command: head, rowCount: Number(second) }; // INSERT oid count
  if (first !== undefined) return { command: head, rowCount: Number(first) };
  return { command: head, rowCount: null };
}
