/**
 * PostgreSQL's parser for the editors (which statement Ctrl+Enter runs), loaded once the engine
 * has started so that it does not slow the engine's start; null until then.
 */
import { useEffect, useState } from 'react';
import { loadSqlParser } from '../sql/sqlParser';
import { createStatementFinder, type StatementFinder } from '../sql/statementFinder';

export function useStatementFinder(startLoading: boolean): StatementFinder | null {
  const [finder, setFinder] = useState<StatementFinder | null>(null);
  useEffect(() => {
    if (!startLoading) return;
    let cancelled = false;
    loadSqlParser()
      .then(() => {
        if (!cancelled) setFinder(() => createStatementFinder());
      })
      .catch((error: unknown) => console.error('The SQL parser could not load:', error));
    return () => {
      cancelled = true;
    };
  }, [startLoading]);
  return finder;
}
