/**
 * What happens when a goroutine's ctx deadline fires, per driver and situation — the reference's
 * tables and per-driver statements turned into a decision. Pure and timeless: it says *what* the
 * driver and database/sql do; `simulation/` says *when*, from the network and server timings.
 *
 * Where the reference says nothing, the resolution says so (`not-modelled`, `not-stated`) instead
 * of guessing.
 */
import { resolveAcquire } from './acquire';
import { resolveBegin } from './begin';
import { resolveIdleInTransaction, resolveIdleOutsideTransaction } from './betweenCalls';
import { resolveCommitBeforeCall, resolveCommitInFlight } from './commit';
import { resolveQueryInFlight } from './queryInFlight';
import { resolveRowsOrScan } from './rowsAndScan';
import type { DeadlineResolution, DeadlineSituation } from './types';

export type * from './types';
export { keepConnectionRules } from './shared';

export function resolveDeadline(situation: DeadlineSituation): DeadlineResolution {
  switch (situation.phase) {
    case 'acquire':
      return resolveAcquire(situation);
    case 'begin':
      return resolveBegin(situation);
    case 'query':
      return resolveQueryInFlight(situation);
    case 'rows':
    case 'scan':
      return resolveRowsOrScan(situation);
    case 'commit':
      return situation.moment === 'before-call'
        ? resolveCommitBeforeCall(situation)
        : resolveCommitInFlight(situation);
    case 'idle':
      return situation.inTransaction
        ? resolveIdleInTransaction(situation)
        : resolveIdleOutsideTransaction(situation);
  }
}
