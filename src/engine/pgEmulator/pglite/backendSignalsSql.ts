/**
 * pg_cancel_backend inside a query (see exec/backendSignals.ts): the stand-in checks the pid
 * against the open sessions the engine wrote just before and records the call, for the engine to
 * apply (a cancel, or PostgreSQL's WARNING for a pid that is no backend) once the statement has run.
 * A SQL function, not PL/pgSQL: a RAISE there would add a CONTEXT line PostgreSQL does not send.
 */

/** The signal functions the engine answers. */
export const BACKEND_SIGNAL_FUNCTIONS: ReadonlySet<string> = new Set(['pg_cancel_backend']);

/** The tables and the `_emul` stand-in, for PGlite's bootstrap. */
export function backendSignalsSql(): string {
  return `
CREATE UNLOGGED TABLE _engine.live_backends (pid integer PRIMARY KEY);
CREATE UNLOGGED TABLE _engine.backend_signals (seq serial PRIMARY KEY, pid integer NOT NULL, live boolean NOT NULL);
CREATE FUNCTION _emul.pg_cancel_backend(integer) RETURNS boolean
LANGUAGE sql STRICT VOLATILE SECURITY DEFINER AS $$
  INSERT INTO _engine.backend_signals (pid, live)
  SELECT $1, EXISTS (SELECT 1 FROM _engine.live_backends b WHERE b.pid = $1)
  RETURNING live
$$;
`;
}
