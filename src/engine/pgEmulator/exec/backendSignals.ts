/**
 * pg_cancel_backend(pid) — a query cancel sent from SQL, as PostgreSQL's signalfuncs.c answers it:
 * true when `pid` is a backend (its running or waiting statement then fails with 57014 "canceling
 * statement due to user request"; an idle backend ignores it), false with the WARNING "PID n is not
 * a PostgreSQL backend process" otherwise, NULL for NULL. A backend that cancels itself cancels the
 * statement that called the function. (PostgreSQL handles a client's CancelRequest with the same
 * signal, SIGINT; `Engine.cancel` is that path.)
 *
 * PGlite cannot reach another session from inside a query, so `_emul.pg_cancel_backend`
 * (pglite/backendSignalsSql.ts) only decides — from `_engine.live_backends`, written just before
 * the statement — and records the call in `_engine.backend_signals`; the engine applies the
 * recorded calls once the statement has run. A statement that fails after the call loses its record with its transaction (PostgreSQL
 * would have sent the signal already): such a statement is not cancelled by it.
 */
import type { PgMessage } from '../api/results';
import type { EngineCore } from '../core';
import { queryCanceled } from '../errors';
import type { Session } from '../session/session';
import { BACKEND_SIGNAL_FUNCTIONS } from '../pglite/backendSignalsSql';
import { emitNotices } from './userQuery';

/** Does this statement call a signal function (its `calls` from the rewrite)? */
export function sendsBackendSignals(calls: ReadonlySet<string> | undefined): boolean {
  if (!calls) return false;
  for (const name of calls) if (BACKEND_SIGNAL_FUNCTIONS.has(name)) return true;
  return false;
}

/** Writes the pids of the open sessions, which the signal functions check, before the statement runs. */
export function publishLiveBackends(core: EngineCore): void {
  const pids = [...core.byPid.keys()];
  core.host.pipeline([
    { sql: 'DELETE FROM _engine.live_backends', statementName: 'engine_clear_live_backends' },
    {
      sql: 'INSERT INTO _engine.live_backends SELECT unnest($1::integer[])',
      params: [`{${pids.join(',')}}`],
      statementName: 'engine_write_live_backends',
      syncAfter: true,
    },
  ]);
}

/**
 * Applies what the statement's calls recorded, in call order: a cancel of each live target's
 * running or waiting statement (57014), PostgreSQL's WARNING for a pid that is no backend. When the
 * caller cancelled itself, its own statement fails (thrown here).
 */
export function deliverBackendSignals(core: EngineCore, caller: Session): void {
  const rows = core.host.rows(
    'DELETE FROM _engine.backend_signals RETURNING seq, pid, live',
    [],
    'engine_take_backend_signals',
  );
  let cancelsCaller = false;
  for (const [, pid, live] of [...rows].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const target = live === 't' ? core.byPid.get(Number(pid)) : undefined;
    if (!target) emitNotices(core, caller, [notBackendWarning(Number(pid))]);
    else if (target === caller) cancelsCaller = true;
    else cancelStatement(core, target);
  }
  if (cancelsCaller) throw queryCanceled('user request');
}

/** signalfuncs.c, pg_signal_backend: `PID %d is not a PostgreSQL backend process`. */
function notBackendWarning(pid: number): PgMessage {
  return {
    severity: 'WARNING',
    sqlstate: '01000',
    message: `PID ${pid} is not a PostgreSQL backend process`,
  };
}

/**
 * A query cancel for a session (a client's CancelRequest, pg_cancel_backend): its waiting or
 * running statement fails with 57014 when it next runs; an idle session ignores it. The caller
 * runs the engine (`core.drain()`) when it is not already running.
 */
export function cancelStatement(core: EngineCore, session: Session): void {
  if (!session.submission || !session.suspension) return;
  core.emit({
    type: 'statementCancelled',
    session: session.name,
    submission: session.submission.id,
    index: session.submission.statementIndex,
    reason: 'user request',
  });
  core.locks.cancelWait(session.pid);
  core.makeRunnable(session, queryCanceled('user request'));
}
