/**
 * pg_stat_activity: one row per open playground session (a client backend), then PostgreSQL 18's
 * background processes. States, wait events and times follow pgstat_report_activity on the virtual
 * clock: `query` is the last query string the client sent (all of it), `query_start` when it was
 * sent, `state_change` when the backend last went active or idle; xact_start, backend_xid and
 * backend_xmin come from the session's transaction and snapshots. A session reached over a local
 * socket: client_addr and client_hostname are NULL, client_port is -1.
 */
import type { EngineEvent } from '../api/events';
import type { EmulationContext } from './emulationContext';
import type { Session } from '../session/session';
import type { Snapshot } from '../transam/snapshot';
import { computeSnapshot } from '../xact/lifecycle';
import { DATABASE_OID } from '../locks/lockTag';
import { timestampText } from '../time/timestamps';

/** The superuser the playground's sessions connect as. */
const USER = { oid: 10, name: 'postgres' };
const DATABASE_NAME = 'postgres';

export interface ActivityRow {
  datid: number | null;
  datname: string | null;
  pid: number;
  leader_pid: number | null;
  usesysid: number | null;
  usename: string | null;
  application_name: string;
  client_addr: string | null;
  client_hostname: string | null;
  client_port: number | null;
  backend_start: string;
  xact_start: string | null;
  query_start: string | null;
  state_change: string | null;
  wait_event_type: string | null;
  wait_event: string | null;
  state: string | null;
  backend_xid: number | null;
  backend_xmin: number | null;
  query_id: number | null;
  query: string;
  backend_type: string;
}

/** PostgreSQL 18's background processes (default settings), with their idle wait events. */
const BACKGROUND_PROCESSES: readonly { pid: number; type: string; waitEvent: string; user?: boolean }[] = [
  { pid: 4190, type: 'io worker', waitEvent: 'IoWorkerMain' },
  { pid: 4191, type: 'io worker', waitEvent: 'IoWorkerMain' },
  { pid: 4192, type: 'io worker', waitEvent: 'IoWorkerMain' },
  { pid: 4193, type: 'checkpointer', waitEvent: 'CheckpointerMain' },
  { pid: 4194, type: 'background writer', waitEvent: 'BgwriterMain' },
  { pid: 4196, type: 'walwriter', waitEvent: 'WalWriterMain' },
  { pid: 4197, type: 'autovacuum launcher', waitEvent: 'AutovacuumMain' },
  { pid: 4198, type: 'logical replication launcher', waitEvent: 'LogicalLauncherMain', user: true },
];

/** What the statistics collector remembers of a client backend, read back from the event log. */
interface BackendHistory {
  backendStart: number;
  query: string;
  queryStart: number | null;
  stateChange: number;
}

function histories(events: readonly EngineEvent[]): Map<string, BackendHistory> {
  const out = new Map<string, BackendHistory>();
  for (const event of events) {
    if (event.type === 'sessionOpened') {
      out.set(event.session, {
        backendStart: event.time,
        query: '',
        queryStart: null,
        stateChange: event.time,
      });
      continue;
    }
    const history = 'session' in event ? out.get(event.session) : undefined;
    if (!history) continue;
    if (event.type === 'submitted') {
      history.query = event.sql;
      history.queryStart = event.time;
      history.stateChange = event.time;
    } else if (event.type === 'submissionFinished') {
      history.stateChange = event.time;
    }
  }
  return out;
}

/** Statements that run without a snapshot (PlannedStmtRequiresSnapshot is false for them). */
const WITHOUT_SNAPSHOT =
  /^\s*(begin|start|commit|end|rollback|abort|savepoint|release|prepare\s+transaction|lock|set|reset|show|deallocate|discard|listen|unlisten|notify|prepare)\b/i;

/**
 * backend_xmin: the xmin of the snapshot the backend holds — its running statement's, or the
 * transaction snapshot of REPEATABLE READ between statements. A statement waiting for a table lock
 * before the engine took its snapshot already has one in PostgreSQL (taken for parse analysis): its
 * xmin is computed as of now.
 */
function backendXmin(core: EmulationContext, session: Session): number | null {
  const transaction = session.transaction;
  if (!transaction || transaction.failed) return null;
  const submission = session.submission;
  if (submission) {
    if (submission.snapshot) return submission.snapshot.xmin;
    if (transaction.snapshot) return transaction.snapshot.xmin;
    if (WITHOUT_SNAPSHOT.test(submission.statementText ?? '')) return null;
    return computeSnapshot(core, session).xmin;
  }
  return transaction.snapshot?.xmin ?? null;
}

function waitEvent(session: Session): [string | null, string | null] {
  const suspension = session.suspension;
  if (!session.submission) return ['Client', 'ClientRead'];
  if (suspension?.kind === 'lock') return ['Lock', suspension.info.lock.locktype];
  if (suspension?.kind === 'sleep') return ['Timeout', 'PgSleep'];
  return [null, null];
}

function state(session: Session): string {
  if (session.submission) return 'active';
  const transaction = session.transaction;
  if (!transaction || session.block !== 'explicit') return 'idle';
  return transaction.failed ? 'idle in transaction (aborted)' : 'idle in transaction';
}

function clientRow(
  core: EmulationContext,
  session: Session,
  history: BackendHistory,
  running: { session: Session; snapshot: Snapshot } | null,
): ActivityRow {
  const transaction = session.transaction;
  const live = transaction && !transaction.failed ? transaction : null;
  const isRunning = running?.session === session;
  const [waitType, waitName] = isRunning ? [null, null] : waitEvent(session);
  return {
    datid: DATABASE_OID,
    datname: DATABASE_NAME,
    pid: session.pid,
    leader_pid: null,
    usesysid: USER.oid,
    usename: USER.name,
    application_name: session.settings.get('application_name') ?? '',
    client_addr: null,
    client_hostname: null,
    client_port: -1,
    backend_start: timestampText(history.backendStart),
    xact_start: live ? timestampText(live.startTime) : null,
    query_start: history.queryStart === null ? null : timestampText(history.queryStart),
    state_change: timestampText(history.stateChange),
    wait_event_type: waitType,
    wait_event: waitName,
    state: isRunning ? 'active' : state(session),
    backend_xid: live?.topXid ?? null,
    backend_xmin: isRunning ? running.snapshot.xmin : backendXmin(core, session),
    query_id: null,
    query: history.query,
    backend_type: 'client backend',
  };
}

function backgroundRow(core: EmulationContext, process: (typeof BACKGROUND_PROCESSES)[number]): ActivityRow {
  return {
    datid: null,
    datname: null,
    pid: process.pid,
    leader_pid: null,
    usesysid: process.user ? USER.oid : null,
    usename: process.user ? USER.name : null,
    application_name: '',
    client_addr: null,
    client_hostname: null,
    client_port: null,
    backend_start: timestampText(core.options.startTime),
    xact_start: null,
    query_start: null,
    state_change: null,
    wait_event_type: 'Activity',
    wait_event: process.waitEvent,
    state: null,
    backend_xid: null,
    backend_xmin: null,
    query_id: null,
    query: '',
    backend_type: process.type,
  };
}

/**
 * Every pg_stat_activity row. `running` is the session whose statement reads the view (it is
 * active, with no wait event, holding the statement's snapshot).
 */
export function activityRows(
  core: EmulationContext,
  running: { session: Session; snapshot: Snapshot } | null,
): ActivityRow[] {
  const known = histories(core.events.since(0));
  const rows: ActivityRow[] = [];
  for (const session of core.sessions.values()) {
    if (session.terminated) continue;
    const history = known.get(session.name);
    if (!history) continue;
    rows.push(clientRow(core, session, history, running));
  }
  for (const process of BACKGROUND_PROCESSES) rows.push(backgroundRow(core, process));
  return rows;
}
