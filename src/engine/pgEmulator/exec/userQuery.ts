/**
 * Running a learner's query on PGlite: under the restricted role, with the session's settings and the
 * statement's snapshot in the context row. Values come back in PostgreSQL's text format.
 */
import type { PgMessage, StatementSuccess } from '../api/results';
import type { EngineCore } from '../core';
import { PgError } from '../errors';
import { LEARNER_ROLE } from '../pglite/host';
import type { PipelineStep, WireResult } from '../pglite/wire';
import type { Session } from '../session/session';
import type { Snapshot } from '../transam/snapshot';
import { activationSteps, contextSteps, usesAdvisoryLocks } from './context';
import { applyAdvisoryActions } from './advisoryLocks';
import { SLEEP_FUNCTIONS } from './rewrite';
import { rowsOk, commandOk } from './outcome';
import { needsCatalogState } from '../emulation/catalogNames';
import { catalogStateStep } from '../emulation/refresh';

export interface UserQueryOptions {
  snapshot: Snapshot;
  /** Added to PostgreSQL's error positions (the statement's offset in the submitted string), or null to drop them (rewritten text). */
  positionOffset: number | null;
  params?: readonly (string | null)[];
  commandId?: number;
  /** Run as the engine (superuser) rather than the learner role. */
  asEngine?: boolean;
}

export function emitNotices(core: EngineCore, session: Session, notices: readonly PgMessage[]): void {
  const submission = session.submission;
  for (const notice of notices) {
    core.emit({
      type: 'notice',
      session: session.name,
      submission: submission?.id ?? null,
      index: submission?.statementIndex ?? null,
      notice,
    });
  }
}

/** Error positions of the statement's own text count from the start of the submitted string. */
export function adjustPosition(error: PgMessage, offset: number | null): PgMessage {
  if (error.position === undefined) return error;
  const adjusted = { ...error };
  if (offset === null) delete adjusted.position;
  else adjusted.position = error.position + offset;
  return adjusted;
}

/**
 * Runs SQL for the session and returns its result; a PostgreSQL error becomes a thrown PgError.
 * When the statement calls pg_sleep, the time asked for is added to the statement's sleep; when it
 * calls advisory-lock functions, their acquisitions and releases are applied to the lock manager.
 */
export function runUserQuery(
  core: EngineCore,
  session: Session,
  sql: string,
  options: UserQueryOptions,
): StatementSuccess {
  // Settings and the context row go in a transaction of their own: a failing statement must not undo them.
  const steps: PipelineStep[] = [
    ...activationSteps(core, session),
    ...contextSteps(core, session, options.snapshot, options.commandId),
  ];
  const last = steps.length - 1;
  if (last >= 0) steps[last] = { ...(steps[last] as PipelineStep), syncAfter: true };
  const calls = session.submission?.calls;
  if (calls && needsCatalogState(calls)) steps.push(catalogStateStep(core, session, options.snapshot, calls));
  // The statement runs to completion (its command tag and effects are PostgreSQL's); a learner's
  // result keeps only the rows the page may show. The engine's own queries keep every row.
  const userStep: PipelineStep = {
    sql,
    params: options.params ?? [],
    ...(options.asEngine ? {} : { keepRows: core.options.maxResultRows }),
  };
  if (options.asEngine) {
    steps.push({ ...userStep, syncAfter: true });
  } else {
    steps.push(
      { sql: `SET ROLE ${LEARNER_ROLE}`, statementName: 'engine_set_role' },
      { ...userStep, syncAfter: true },
      { sql: 'RESET ROLE', statementName: 'engine_reset_role' },
    );
  }
  const userIndex = steps.findIndex((s) => s.sql === sql && s.syncAfter === true);
  const submission = session.submission;
  const sleeps = submission !== null && [...submission.calls].some((c) => SLEEP_FUNCTIONS.has(c));
  const advisory = usesAdvisoryLocks(session);
  const sleepIndex = sleeps
    ? steps.push({ sql: 'SELECT sleep_ms FROM _engine.ctx', statementName: 'engine_read_sleep' }) - 1
    : -1;
  const advisoryIndex = advisory
    ? steps.push({
        sql: 'DELETE FROM _engine.advisory_actions RETURNING action, k1, k2, sub, mode, scope, seq',
        statementName: 'engine_take_advisory_actions',
      }) - 1
    : -1;
  // pg_sleep and the advisory-lock functions write to the context row.
  if (sleeps || advisory) core.appliedContext = null;
  let results: WireResult[];
  try {
    results = core.host.pipelineRaw(steps);
  } catch (error) {
    core.appliedContext = null;
    throw error;
  }
  for (let i = 0; i < results.length; i++) {
    const result = results[i] as WireResult;
    if (i !== userIndex && result.error) {
      core.appliedContext = null;
      throw new PgError(result.error);
    }
  }
  const result = results[userIndex] as WireResult;
  emitNotices(core, session, result.notices);
  if (advisory) applyAdvisoryActions(core, session, results[advisoryIndex]?.rows ?? []);
  if (result.error) throw new PgError(adjustPosition(result.error, options.positionOffset));
  if (sleeps && submission) submission.sleepMs += Number(results[sleepIndex]?.rows[0]?.[0] ?? 0);
  return toOutcome(result);
}

/** The outcome of a statement PGlite ran; rows it did not keep make the outcome `truncated`. */
export function toOutcome(result: WireResult): StatementSuccess {
  if (result.fields === null) return commandOk(result.tag ?? '');
  const tag = result.tag ?? `SELECT ${result.rowCount}`;
  return rowsOk(tag, result.fields, result.rows, result.rowCount > result.rows.length);
}
