/**
 * The real PostgreSQL parser (libpg_query through pgsql-parser), loaded once, used synchronously.
 */
import { deparseSync, loadModule, parseSync } from 'pgsql-parser';
import type { Node } from './ast';

let loaded: Promise<void> | null = null;

/** Loads the parser's WebAssembly module; every other function here needs it done. */
export function loadParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

/** One statement of a SQL string, with its own source text. */
export interface ParsedStatement {
  node: Node;
  /** The statement's text as the user wrote it (without the trailing semicolon). */
  text: string;
  /** Character offset of `text` in the submitted string (error positions count from the string's start). */
  offset: number;
  /** True when `node` was rewritten by the engine (then `text` no longer matches it). */
  rewritten?: boolean;
}

export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based character offset of the error, if known. */
    readonly offset: number | null,
  ) {
    super(message);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Splits and parses a SQL string; throws SqlSyntaxError for text PostgreSQL would reject. */
export function parseStatements(sql: string): ParsedStatement[] {
  if (sql.trim() === '') return [];
  let result: { stmts?: { stmt: Node; stmt_location?: number | null; stmt_len?: number | null }[] };
  try {
    result = parseSync(sql) as typeof result;
  } catch (error) {
    const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const message = details?.message ?? (error as Error).message;
    if (message === 'Query cannot be empty') return [];
    const byteOffset = details?.cursorPosition;
    const offset =
      byteOffset === undefined ? null : decoder.decode(encoder.encode(sql).slice(0, byteOffset)).length;
    throw new SqlSyntaxError(message, offset);
  }
  const bytes = encoder.encode(sql);
  return (result.stmts ?? []).map((entry) => {
    const start = entry.stmt_location ?? 0;
    const end = entry.stmt_len ? start + entry.stmt_len : bytes.length;
    const raw = decoder.decode(bytes.slice(start, end));
    const leading = raw.length - raw.trimStart().length;
    const offset = decoder.decode(bytes.slice(0, start)).length + leading;
    return { node: entry.stmt, text: raw.trim(), offset };
  });
}

/** Turns a statement's parse tree back into SQL text. */
export function deparse(node: Node): string {
  return deparseSync(node as never);
}
