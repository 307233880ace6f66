/** What `res.LastInsertId()` gives after ExecContext, per driver (the reference's "LastInsertId"). */
import type { DriverName } from './drivers';
import { LAST_INSERT_ID_NOT_SUPPORTED, type GoError } from './goErrors';
import type { RuleId } from './rules';

export type LastInsertIdBehaviour =
  | { status: 'supported'; ruleId: RuleId }
  | { status: 'not-supported'; error: GoError; advice: string; ruleId: RuleId }
  | { status: 'not-modelled'; reason: string };

export function lastInsertIdBehaviour(driver: DriverName): LastInsertIdBehaviour {
  switch (driver) {
    case 'pgx-stdlib':
    case 'lib-pq':
      return {
        status: 'not-supported',
        error: LAST_INSERT_ID_NOT_SUPPORTED,
        advice: 'Use `RETURNING id`.',
        ruleId: 'last-insert-id',
      };
    case 'mysql':
    case 'sqlite3':
      return { status: 'supported', ruleId: 'last-insert-id' };
    case 'pgxpool':
      return {
        status: 'not-modelled',
        reason:
          'The reference states LastInsertId for the database/sql drivers; pgxpool’s Exec returns no sql.Result.',
      };
  }
}
