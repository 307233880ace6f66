/** Small builders shared by the deadline rules. */
import type { GoError } from '../goErrors';
import type { DriverName } from '../drivers';
import type { RuleId } from '../rules';
import type { SourceLocation } from '../sources';
import type { ConnectionFate } from '../timeline';
import type { DeadlineSituation, ErrorPlan, ErrorTiming, NotModelledResolution } from './types';

export const NEXT_CALL_NOT_STATED = 'The reference does not state what the program’s next call returns.';

export function notModelled(
  reason: string,
  ruleIds: RuleId[] = [],
  sources: SourceLocation[] = [],
): NotModelledResolution {
  return { status: 'not-modelled', reason, ruleIds, sources };
}

export function error(error: GoError, surfacedBy: string, when: ErrorTiming): ErrorPlan {
  return { kind: 'error', error, surfacedBy, when };
}

export function callOf(situation: DeadlineSituation, fallback: string): string {
  return situation.call ?? fallback;
}

export function droppedAtNextCheckout(by: string): { fate: ConnectionFate; summary: string } {
  return {
    fate: 'closed-dropped-at-next-checkout',
    summary: `${by}; returned to the idle list and dropped at the next checkout (ResetSession), with a transparent retry.`,
  };
}

export function destroyed(): { fate: ConnectionFate; summary: string } {
  return { fate: 'destroyed', summary: 'Destroyed (pool total drops).' };
}

/** The rules that decide whether database/sql keeps the connection after a ctx rollback. */
export function keepConnectionRules(driver: DriverName): RuleId[] {
  switch (driver) {
    case 'pgxpool':
      return [];
    case 'pgx-stdlib':
      return ['core.keep-conn-on-rollback', 'pgx-stdlib.interfaces'];
    case 'lib-pq':
      return ['core.keep-conn-on-rollback', 'lib-pq.interfaces'];
    case 'mysql':
      return ['core.keep-conn-on-rollback', 'mysql.interfaces'];
    case 'sqlite3':
      return ['core.keep-conn-on-rollback', 'sqlite3.interfaces'];
  }
}
