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

const FUNCTIONS_SQL = `
CREATE UNLOGGED TABLE IF NOT EXISTS _engine.session_sequences (
  pid int NOT NULL, seq oid NOT NULL, value bigint NOT NULL, used bigint NOT NULL, PRIMARY KEY (pid, seq));
CREATE SEQUENCE IF NOT EXISTS _engine.sequence_use;
CREATE OR REPLACE FUNCTION _emul.record_sequence_value(seq regclass, value bigint, called boolean) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER AS $$
  INSERT INTO _engine.session_sequences AS s
  SELECT (SELECT pid FROM _engine.ctx), seq, value, nextval('_engine.sequence_use') WHERE called
  ON CONFLICT (pid, seq) DO UPDATE SET value = EXCLUDED.value, used = EXCLUDED.used;
  SELECT value $$;
CREATE OR REPLACE FUNCTION _emul.session_currval(seq regclass) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER AS $$
  SELECT value FROM _engine.session_sequences WHERE pid = (SELECT pid FROM _engine.ctx) AND seq = $1 $$;
CREATE OR REPLACE FUNCTION _emul.session_lastval() RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER AS $$
  SELECT s.value FROM _engine.session_sequences s JOIN pg_class c ON c.oid = s.seq
   WHERE s.pid = (SELECT pid FROM _engine.ctx) ORDER BY s.used DESC LIMIT 1 $$;
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
  core.host.rows('DELETE FROM _engine.session_sequences WHERE pid = $1', [String(session.pid)]);
  initializedSessions.add(session);
}
