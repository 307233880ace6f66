/**
 * Where each SQL statement of an editor's text starts and ends, found by PostgreSQL's own parser,
 * and which statement the cursor is in. Call `loadSqlParser()` first.
 *
 * Valid SQL is split by the parser (so `CREATE FUNCTION … BEGIN ATOMIC … END`, dollar quotes and
 * comments are handled as PostgreSQL handles them). When the text has a syntax error somewhere,
 * it is split with PostgreSQL's scanner at semicolons outside parentheses, so each statement can
 * still be sent on its own and get PostgreSQL's own error.
 */
import { parseSync, scanSync } from './sqlParser';
import { utf8ToUtf16Offsets } from './utf8Offsets';

export interface StatementRange {
  /** UTF-16 offset of the statement's first character. */
  start: number;
  /** UTF-16 offset just past the statement's last character (before any semicolon). */
  end: number;
  /** UTF-16 offset just past the terminating semicolon, or `end` when there is none. */
  terminatorEnd: number;
  text: string;
}

interface RawStatement {
  stmt_location?: number | null;
  stmt_len?: number | null;
}

export function statementRanges(sql: string): StatementRange[] {
  if (sql.trim() === '') return [];
  let byteRanges: [number, number][];
  try {
    const stmts = (parseSync(sql) as { stmts?: RawStatement[] }).stmts ?? [];
    const totalBytes = new TextEncoder().encode(sql).length;
    byteRanges = stmts.map((stmt) => {
      const start = stmt.stmt_location ?? 0;
      return [start, stmt.stmt_len ? start + stmt.stmt_len : totalBytes];
    });
  } catch {
    byteRanges = splitWithScanner(sql);
  }
  const toUtf16 = utf8ToUtf16Offsets(sql);
  const ranges: StatementRange[] = [];
  for (const [startByte, endByte] of byteRanges) {
    let start = toUtf16(startByte);
    let end = toUtf16(endByte);
    while (start < end && /\s/.test(sql[start] ?? '')) start++;
    while (end > start && /\s/.test(sql[end - 1] ?? '')) end--;
    if (start === end) continue;
    let terminatorEnd = end;
    while (terminatorEnd < sql.length && /\s/.test(sql[terminatorEnd] ?? '')) terminatorEnd++;
    terminatorEnd = sql[terminatorEnd] === ';' ? terminatorEnd + 1 : end;
    ranges.push({ start, end, terminatorEnd, text: sql.slice(start, end) });
  }
  return ranges;
}

/** Byte ranges between top-level semicolons, from PostgreSQL's scanner (comments are skipped). */
function splitWithScanner(sql: string): [number, number][] {
  let tokens: { start: number; end: number; text: string; tokenName: string }[];
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    // An unterminated quote or comment: the whole text is one statement, and PostgreSQL will say why.
    return [[0, new TextEncoder().encode(sql).length]];
  }
  const ranges: [number, number][] = [];
  let depth = 0;
  let first: number | null = null;
  let last = 0;
  for (const token of tokens) {
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') continue;
    if (token.text === ';' && depth === 0) {
      if (first !== null) ranges.push([first, last]);
      first = null;
      continue;
    }
    if (token.text === '(') depth++;
    if (token.text === ')') depth = Math.max(0, depth - 1);
    first ??= token.start;
    last = token.end;
  }
  if (first !== null) ranges.push([first, last]);
  return ranges;
}

/**
 * The statement to run for a cursor at `offset`: the one containing it (its semicolon included),
 * else the nearest one before it, else the first one after it.
 */
export function statementAt(ranges: readonly StatementRange[], offset: number): StatementRange | null {
  const containing = ranges.find((range) => offset >= range.start && offset <= range.terminatorEnd);
  if (containing) return containing;
  const before = ranges.filter((range) => range.terminatorEnd < offset).at(-1);
  return before ?? ranges.find((range) => range.start > offset) ?? null;
}
