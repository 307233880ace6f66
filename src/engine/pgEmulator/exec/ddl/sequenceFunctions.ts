/**
 * nextval, currval, setval and lastval with PostgreSQL's per-session state on one PGlite.
 *
 * The sequences themselves live in PGlite: nextval and setval are non-transactional there as in
 * PostgreSQL. What PGlite cannot know is which playground session called them, so the learner's
 * calls are routed to `_emul` functions (exec/rewrite.ts) that record each session's last value
 * (keyed by the context row's pid). They are SQL functions PostgreSQL inlines, so an error raised by
 * the real nextval/currval/setval/lastval reaches the learner with no extra CONTEXT line: an
 * undefined currval/lastval clears PGlite's own sequence state first (DISCARD SEQUENCES) and then
 * lets the real function raise its error.
 */
import type { EngineCore } from '../../core';
import type { SqlHost } from '../../pglite/host';
import type { Session } from '../../session/session';

// Each session's currval and lastval live in custom settings keyed by its pid (set_config is much
// cheaper than a table write per nextval): `emul.cv<pid>_<sequence oid>` and `emul.lv<pid>`.
const FUNCTIONS_SQL = `
CREATE OR REPLACE FUNCTION _emul.record_sequence_value(seq regclass, value bigint, called boolean) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER AS $$
  SELECT set_config('emul.cv' || c.pid || '_' || seq::oid, value::text, false),
         set_config('emul.lv' || c.pid, seq::oid || ':' || value, false)
    FROM _engine.ctx c WHERE called;
  SELECT value $$;
CREATE OR REPLACE FUNCTION _emul.session_currval(seq regclass) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER AS $$
  SELECT NULLIF(current_setting('emul.cv' || c.pid || '_' || seq::oid, true), '')::bigint FROM _engine.ctx c $$;
CREATE OR REPLACE FUNCTION _emul.session_lastval() RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER AS $$
  SELECT split_part(v, ':', 2)::bigint
    FROM (SELECT NULLIF(current_setting('emul.lv' || c.pid, true), '') AS v FROM _engine.ctx c) s
   WHERE EXISTS (SELECT 1 FROM pg_class WHERE oid = split_part(s.v, ':', 1)::oid) $$;
CREATE OR REPLACE FUNCTION _emul.forget_session_sequences(session_pid int) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER AS $$
  SELECT count(set_config(name, '', false)) FROM pg_settings
   WHERE name LIKE 'emul.cv' || session_pid || '\\_%' OR name = 'emul.lv' || session_pid $$;
CREATE OR REPLACE FUNCTION _emul.forget_sequences() RETURNS bigint
  LANGUAGE plpgsql VOLATILE AS $$ BEGIN EXECUTE 'DISCARD SEQUENCES'; RETURN NULL; END $$;
CREATE OR REPLACE FUNCTION _emul.nextval(regclass) RETURNS bigint LANGUAGE sql VOLATILE
  AS 'SELECT _emul.record_sequence_value($1, pg_catalog.nextval($1), true)';
CREATE OR REPLACE FUNCTION _emul.setval(regclass, bigint) RETURNS bigint LANGUAGE sql VOLATILE
  AS 'SELECT _emul.record_sequence_value($1, pg_catalog.setval($1, $2), true)';
CREATE OR REPLACE FUNCTION _emul.setval(regclass, bigint, boolean) RETURNS bigint LANGUAGE sql VOLATILE
  AS 'SELECT _emul.record_sequence_value($1, pg_catalog.setval($1, $2, $3), $3)';
CREATE OR REPLACE FUNCTION _emul.currval(regclass) RETURNS bigint LANGUAGE sql VOLATILE
  AS 'SELECT COALESCE(_emul.session_currval($1), _emul.forget_sequences(), pg_catalog.currval($1))';
CREATE OR REPLACE FUNCTION _emul.lastval() RETURNS bigint LANGUAGE sql VOLATILE
  AS 'SELECT COALESCE(_emul.session_lastval(), _emul.forget_sequences(), pg_catalog.lastval())';
`;

/** The sequence functions the engine answers through `_emul`. */
export const SEQUENCE_FUNCTIONS = new Set(['nextval', 'currval', 'setval', 'lastval']);

const installed = new WeakSet<SqlHost>();
const initializedSessions = new WeakSet<Session>();

/** Creates the `_emul` sequence functions in PGlite once per PGlite instance. */
export function ensureSequenceFunctions(core: EngineCore): void {
  if (installed.has(core.host)) return;
  core.host.script(FUNCTIONS_SQL);
  installed.add(core.host);
}

/**
 * A new session starts with no currval/lastval: forgets what an earlier session with the same pid
 * (before an engine reset) recorded.
 */
export function startSessionSequences(core: EngineCore, session: Session): void {
  ensureSequenceFunctions(core);
  if (initializedSessions.has(session)) return;
  core.host.rows('SELECT _emul.forget_session_sequences($1)', [String(session.pid)]);
  initializedSessions.add(session);
}
