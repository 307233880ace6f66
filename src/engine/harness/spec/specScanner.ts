/**
 * The lexical rules of PostgreSQL's isolation spec format (`src/test/isolation/specscanner.l`):
 *
 * - keywords `notices`, `permutation`, `session`, `setup`, `step`, `teardown` (case-sensitive; a
 *   longer word such as `steps` is an identifier);
 * - identifiers `[A-Za-z_\x80-…][A-Za-z_0-9$\x80-…]*`, or double-quoted with `""` for a quote,
 *   never spanning a line;
 * - SQL blocks `{ … }`: the text up to the first `}`, without the blanks (space, tab, CR, form
 *   feed) right after `{` and right before `}` — newlines are kept;
 * - integers `[0-9]+`; the punctuation `,` `(` `)` `*`;
 * - `#` starts a comment up to the end of the line; blanks and newlines separate tokens.
 */
import type { SourcePosition } from './specTypes';
import { SpecSyntaxError } from './specSyntaxError';

export const SPEC_KEYWORDS = ['notices', 'permutation', 'session', 'setup', 'step', 'teardown'] as const;
export type SpecKeyword = (typeof SPEC_KEYWORDS)[number];

export type SpecToken =
  | { kind: 'keyword'; keyword: SpecKeyword; at: SourcePosition }
  | { kind: 'identifier'; name: string; at: SourcePosition }
  | { kind: 'sql'; sql: string; at: SourcePosition }
  | { kind: 'integer'; value: number; text: string; at: SourcePosition }
  | { kind: 'punctuation'; char: ',' | '(' | ')' | '*'; at: SourcePosition }
  | { kind: 'end'; at: SourcePosition };

const BLANK = /[ \t\r\f]/;
const DIGIT = /[0-9]/;
/** Bytes \200–\377 in the C scanner: every non-ASCII character here. */
const IDENTIFIER_START = /[A-Za-z_\u0080-\uffff]/;
const IDENTIFIER_CONTINUE = /[A-Za-z_0-9$\u0080-\uffff]/;

function isKeyword(word: string): word is SpecKeyword {
  return (SPEC_KEYWORDS as readonly string[]).includes(word);
}

export function isPlainIdentifier(name: string): boolean {
  if (name.length === 0 || isKeyword(name)) return false;
  const [first = '', ...rest] = name;
  return IDENTIFIER_START.test(first) && rest.every((char) => IDENTIFIER_CONTINUE.test(char));
}

export function scanSpec(text: string): SpecToken[] {
  const tokens: SpecToken[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): SourcePosition => ({ line, column: offset - lineStart + 1 });
  const fail = (message: string, at: SourcePosition): never => {
    throw new SpecSyntaxError(message, at);
  };

  while (offset < text.length) {
    const char = text.charAt(offset);
    const at = here();
    if (char === '\n') {
      offset += 1;
      line += 1;
      lineStart = offset;
    } else if (BLANK.test(char)) {
      offset += 1;
    } else if (char === '#') {
      while (offset < text.length && text[offset] !== '\n' && text[offset] !== '\r') offset += 1;
    } else if (char === '"') {
      let name = '';
      offset += 1;
      for (;;) {
        if (offset >= text.length) fail('unterminated quoted identifier', at);
        const next = text.charAt(offset);
        if (next === '\n') fail('unexpected newline in quoted identifier', here());
        if (next === '"') {
          if (text[offset + 1] === '"') {
            name += '"';
            offset += 2;
            continue;
          }
          offset += 1;
          break;
        }
        name += next;
        offset += 1;
      }
      tokens.push({ kind: 'identifier', name, at });
    } else if (char === '{') {
      offset += 1;
      while (offset < text.length && BLANK.test(text.charAt(offset))) offset += 1;
      const close = text.indexOf('}', offset);
      if (close < 0) fail('unterminated sql block', at);
      let end = close;
      while (end > offset && BLANK.test(text.charAt(end - 1))) end -= 1;
      const sql = text.slice(offset, end);
      for (let index = offset; index < close; index += 1) {
        if (text[index] === '\n') {
          line += 1;
          lineStart = index + 1;
        }
      }
      offset = close + 1;
      tokens.push({ kind: 'sql', sql, at });
    } else if (DIGIT.test(char)) {
      let end = offset;
      while (end < text.length && DIGIT.test(text.charAt(end))) end += 1;
      const digits = text.slice(offset, end);
      tokens.push({ kind: 'integer', value: Number.parseInt(digits, 10), text: digits, at });
      offset = end;
    } else if (IDENTIFIER_START.test(char)) {
      let end = offset + 1;
      while (end < text.length && IDENTIFIER_CONTINUE.test(text.charAt(end))) end += 1;
      const word = text.slice(offset, end);
      tokens.push(
        isKeyword(word) ? { kind: 'keyword', keyword: word, at } : { kind: 'identifier', name: word, at },
      );
      offset = end;
    } else if (char === ',' || char === '(' || char === ')' || char === '*') {
      tokens.push({ kind: 'punctuation', char, at });
      offset += 1;
    } else {
      fail(`unexpected character "${char}"`, at);
    }
  }
  tokens.push({ kind: 'end', at: here() });
  return tokens;
}
