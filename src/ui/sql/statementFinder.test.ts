import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from './sqlParser';
import { createStatementFinder } from './statementFinder';

beforeAll(() => loadSqlParser());

describe('createStatementFinder', () => {
  it('finds the statement at the cursor, and follows edits', () => {
    const find = createStatementFinder();
    expect(find('SELECT 1; SELECT 2;', 12)?.text).toBe('SELECT 2');
    expect(find('SELECT 1; SELECT 2;', 0)?.text).toBe('SELECT 1');
    expect(find('SELECT 1; SELECT 20;', 12)?.text).toBe('SELECT 20');
    expect(find('', 0)).toBeNull();
  });
});
