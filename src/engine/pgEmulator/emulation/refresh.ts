/**
 * Before PGlite runs a statement that reads pg_locks, pg_stat_activity or pg_prepared_statements, or
 * calls pg_blocking_pids / pg_isolation_test_session_is_blocked: the reading session takes the
 * catalog locks PostgreSQL would take, then the engine's state as of that moment is written into
 * `_engine.catalog_state`, which the `_emul` views and functions read.
 */
import type { EmulationContext } from './emulationContext';
import type { PipelineStep } from '../pglite/wire';
import type { Session } from '../session/session';
import type { Snapshot } from '../transam/snapshot';
import { activityRows } from './activity';
import { lockCatalogsFor } from './catalogLocks';
import { refuseUnshownLocks } from './ddlLocks';
import { EMULATED_RELATIONS, LOCK_STATUS_FUNCTIONS } from './catalogNames';
import { blockingPidsByPid, lockStatusRows } from './lockStatus';
import { preparedStatementRows } from './preparedStatements';

/** The step writing the emulated catalogs the statement reads (`calls`: the names it uses). */
export function catalogStateStep(
  core: EmulationContext,
  session: Session,
  snapshot: Snapshot,
  calls: ReadonlySet<string>,
): PipelineStep {
  if (calls.has('pg_locks')) refuseUnshownLocks(core);
  lockCatalogsFor(
    core,
    session,
    [...calls].filter((name) => EMULATED_RELATIONS.has(name)),
  );
  const wants = (name: string): boolean => calls.has(name);
  const blocking = [...calls].some((name) => LOCK_STATUS_FUNCTIONS.has(name));
  return {
    statementName: 'engine_catalog_state',
    sql: 'UPDATE _engine.catalog_state SET locks = $1, activity = $2, blocking = $3, prepared = $4',
    params: [
      JSON.stringify(wants('pg_locks') ? lockStatusRows(core) : []),
      JSON.stringify(wants('pg_stat_activity') ? activityRows(core, { session, snapshot }) : []),
      JSON.stringify(blocking ? blockingPidsByPid(core) : {}),
      JSON.stringify(wants('pg_prepared_statements') ? preparedStatementRows(core, session) : []),
    ],
  };
}
