/**
 * Finds the statement at a cursor, re-parsing only when the text changed (cursor moves are many,
 * edits fewer). Call `loadSqlParser()` first.
 */
import { type StatementRange, statementAt, statementRanges } from './statementRanges';

export type StatementFinder = (text: string, offset: number) => StatementRange | null;

export function createStatementFinder(): StatementFinder {
  let lastText: string | null = null;
  let lastRanges: StatementRange[] = [];
  return (text, offset) => {
    if (text !== lastText) {
      lastRanges = statementRanges(text);
      lastText = text;
    }
    return statementAt(lastRanges, offset);
  };
}
