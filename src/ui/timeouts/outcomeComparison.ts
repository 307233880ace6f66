/**
 * What the comparison compares: per driver, one key per row, so that a row whose drivers disagree
 * (lib/pq's error against pgx's, `errors.Is` true against false) can be marked.
 */
import type { DriverOutcome } from './driverOutcome';

export type ComparisonRow = 'phase' | 'error' | 'errorsIs' | 'server' | 'connection' | 'transaction';

export type ComparisonKey = Record<ComparisonRow, string>;

export function comparisonKey(outcome: DriverOutcome): ComparisonKey {
  switch (outcome.kind) {
    case 'invalid':
      return rowsOf('invalid');
    case 'stopped':
      return rowsOf('not modelled');
    case 'completed':
      return { ...rowsOf('—'), phase: 'completed', error: 'no error' };
    case 'deadline': {
      if (!outcome.modelled) return { ...rowsOf('not modelled'), phase: outcome.phase };
      const error = 'none' in outcome.error ? null : outcome.error.error;
      return {
        phase: outcome.phase,
        error: error?.message ?? 'no error',
        errorsIs: error === null ? 'n/a' : String(error.isDeadlineExceeded),
        server: outcome.reaches.join(' + '),
        connection: outcome.connection.fate,
        transaction: outcome.transaction.fate,
      };
    }
  }
}

function rowsOf(value: string): ComparisonKey {
  return {
    phase: value,
    error: value,
    errorsIs: value,
    server: value,
    connection: value,
    transaction: value,
  };
}

export function comparisonKeys(outcomes: readonly DriverOutcome[]): ComparisonKey[] {
  return outcomes.map(comparisonKey);
}

/** The rows on which the drivers do not all agree. */
export function differingRows(outcomes: readonly DriverOutcome[]): ComparisonRow[] {
  if (outcomes.length < 2) return [];
  const keys = comparisonKeys(outcomes);
  const rows: ComparisonRow[] = ['phase', 'error', 'errorsIs', 'server', 'connection', 'transaction'];
  return rows.filter((row) => new Set(keys.map((key) => key[row])).size > 1);
}
