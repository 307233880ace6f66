/**
 * What PGlite must know before it runs a statement for a session:
 * - the context row read by every visibility view (snapshot, own xids, command id, pid, time);
 * - the session's own values of settings PGlite enforces (search_path, DateStyle, …).
 */
import type { EngineCore } from '../core';
import type { PipelineStep } from '../pglite/wire';
import type { Session } from '../session/session';
import type { Snapshot } from '../transam/snapshot';
import { ADVISORY_FUNCTION_NAMES } from '../pglite/advisorySql';
import { advisoryState } from './advisoryLocks';
import { timestampText } from '../time/timestamps';

/** Settings the engine interprets itself and PGlite must never enforce. */
const ENGINE_ONLY = new Set([
  'statement_timeout',
  'lock_timeout',
  'deadlock_timeout',
  'idle_in_transaction_session_timeout',
  'transaction_timeout',
  'idle_session_timeout',
  'default_transaction_isolation',
  'default_transaction_read_only',
  'default_transaction_deferrable',
  'transaction_isolation',
  'transaction_read_only',
  'transaction_deferrable',
  'plan_cache_mode',
  'synchronous_commit',
]);

export function isEngineOnlySetting(name: string): boolean {
  return ENGINE_ONLY.has(name);
}

function arrayLiteral(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

export function usesAdvisoryLocks(session: Session): boolean {
  const calls = session.submission?.calls;
  if (!calls) return false;
  for (const name of calls) if (ADVISORY_FUNCTION_NAMES.has(name)) return true;
  return false;
}

const CONTEXT_UPDATE_SQL = `UPDATE _engine.ctx SET sxmax = $1, xip = $2, own = $3, cid = $4, pid = $5, xid = $6, now_ts = $7, stmt_ts = $8, clock_ts = $9, sxmin = $10, top_xid = $11, sleep_ms = 0, advisory = $12`;

/**
 * The step that points every visibility view at this snapshot and command id — none when PGlite's
 * context row already says exactly that (consecutive statements often share a snapshot).
 */
export function contextSteps(
  core: EngineCore,
  session: Session,
  snapshot: Snapshot,
  commandId?: number,
): PipelineStep[] {
  const transaction = session.transaction;
  const cid = commandId ?? transaction?.commandId ?? 0;
  const statementStart = session.submission?.statementStart ?? core.now;
  const params = [
    String(snapshot.xmax),
    arrayLiteral(snapshot.xip),
    arrayLiteral(transaction?.ownXids() ?? []),
    String(cid),
    String(session.pid),
    transaction?.currentLevel.xid == null ? null : String(transaction.currentLevel.xid),
    timestampText(transaction?.startTime ?? core.now),
    timestampText(statementStart),
    // clock_timestamp() is a little after the statement began (real time has moved on by then).
    timestampText(Math.max(core.now, statementStart + 0.001)),
    String(snapshot.xmin),
    transaction?.topXid == null ? null : String(transaction.topXid),
    usesAdvisoryLocks(session) ? advisoryState(core, session) : '{}',
  ];
  const key = JSON.stringify(params);
  if (core.appliedContext === key) return [];
  core.appliedContext = key;
  return [
    {
      statementName: 'engine_ctx',
      sql: CONTEXT_UPDATE_SQL,
      params,
    },
  ];
}

/** Steps that make PGlite's pass-through settings those of `session`. */
export function activationSteps(core: EngineCore, session: Session): PipelineStep[] {
  const current = core.appliedSettings;
  const wanted = new Map<string, string>();
  for (const name of session.settings.setNames()) {
    if (isEngineOnlySetting(name)) continue;
    const value = session.settings.get(name);
    if (value !== undefined) wanted.set(name, value);
  }
  const steps: PipelineStep[] = [];
  for (const [name] of current) {
    if (!wanted.has(name)) {
      steps.push({
        sql: `SELECT set_config($1, NULL, false)`,
        params: [name],
        statementName: 'engine_reset_setting',
      });
      current.delete(name);
    }
  }
  for (const [name, value] of wanted) {
    if (current.get(name) === value) continue;
    steps.push({
      sql: `SELECT set_config($1, $2, false)`,
      params: [name, value],
      statementName: 'engine_set_setting',
    });
    current.set(name, value);
  }
  return steps;
}
