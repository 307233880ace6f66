import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from './sqlParser';
import { statementAt, statementRanges } from './statementRanges';

beforeAll(() => loadSqlParser());

const texts = (sql: string) => statementRanges(sql).map((range) => range.text);

describe('statementRanges', () => {
  it('splits where PostgreSQL splits, leaving out whitespace and semicolons', () => {
    expect(texts('BEGIN;\n  UPDATE t SET v = 1 WHERE id = 1 ;\n\nCOMMIT')).toEqual([
      'BEGIN',
      'UPDATE t SET v = 1 WHERE id = 1',
      'COMMIT',
    ]);
  });

  it('does not split inside strings, dollar quotes, comments or BEGIN ATOMIC bodies', () => {
    const sql = [
      "SELECT 'a;b';",
      '-- a comment; with a semicolon',
      'DO $$ BEGIN RAISE NOTICE $q$x;y$q$; END $$;',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;',
      '/* ; */ SELECT 3',
    ].join('\n');
    expect(texts(sql)).toEqual([
      "SELECT 'a;b'",
      'DO $$ BEGIN RAISE NOTICE $q$x;y$q$; END $$',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END',
      'SELECT 3', // PostgreSQL 18 starts a statement at its first token, after comments
    ]);
  });

  it('reports offsets in JavaScript string units, also after multi-byte characters', () => {
    const sql = "SELECT 'é😀'; SELECT 2;";
    const [first, second] = statementRanges(sql);
    expect(first).toMatchObject({ start: 0, end: 12, terminatorEnd: 13, text: "SELECT 'é😀'" });
    expect(second).toMatchObject({ start: 14, end: 22, terminatorEnd: 23, text: 'SELECT 2' });
  });

  it('still splits text with a syntax error, with the scanner, so PostgreSQL can report it', () => {
    expect(texts("SELEC 1; SELECT '(;)' ; SELECT (1;2); SELECT 'é'")).toEqual([
      'SELEC 1',
      "SELECT '(;)'",
      'SELECT (1;2)',
      "SELECT 'é'",
    ]);
  });

  it('keeps an unterminated quote as one statement', () => {
    expect(texts("SELECT 1; SELECT 'oops")).toEqual(["SELECT 1; SELECT 'oops"]);
  });

  it('finds no statement in blank text or comments alone', () => {
    expect(statementRanges('  \n ')).toEqual([]);
    expect(statementRanges('-- nothing here')).toEqual([]);
  });
});

describe('statementAt', () => {
  const sql = 'SELECT 1;\n\nSELECT 2;  \nSELECT 3';
  const ranges = statementRanges(sql);
  const at = (offset: number) => statementAt(ranges, offset)?.text;

  it('picks the statement containing the cursor, its semicolon included', () => {
    expect(at(0)).toBe('SELECT 1');
    expect(at(9)).toBe('SELECT 1');
    expect(at(sql.indexOf('2'))).toBe('SELECT 2');
    expect(at(sql.length)).toBe('SELECT 3');
  });

  it('between statements, picks the one before the cursor', () => {
    expect(at(10)).toBe('SELECT 1');
    expect(at(sql.indexOf(';  ') + 2)).toBe('SELECT 2');
  });

  it('before the first statement, picks the first', () => {
    const padded = statementRanges('\n\n  SELECT 1');
    expect(statementAt(padded, 0)?.text).toBe('SELECT 1');
    expect(statementAt([], 0)).toBeNull();
  });
});
