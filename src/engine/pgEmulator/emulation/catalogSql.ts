/**
 * Bootstrap SQL for the emulated system views and lock functions: one engine-owned row holding the
 * engine's state as JSON (written before a statement that reads it, see emulation/refresh.ts), and
 * `_emul` views and functions over it with exactly PostgreSQL 18's column names, order and types.
 */

/** pg_locks (pg_lock_status()): name and type of each column, in order. */
export const PG_LOCKS_COLUMNS = [
  ['locktype', 'text'],
  ['database', 'oid'],
  ['relation', 'oid'],
  ['page', 'integer'],
  ['tuple', 'smallint'],
  ['virtualxid', 'text'],
  ['transactionid', 'xid'],
  ['classid', 'oid'],
  ['objid', 'oid'],
  ['objsubid', 'smallint'],
  ['virtualtransaction', 'text'],
  ['pid', 'integer'],
  ['mode', 'text'],
  ['granted', 'boolean'],
  ['fastpath', 'boolean'],
  ['waitstart', 'timestamp with time zone'],
] as const;

/** pg_stat_activity. */
export const PG_STAT_ACTIVITY_COLUMNS = [
  ['datid', 'oid'],
  ['datname', 'name'],
  ['pid', 'integer'],
  ['leader_pid', 'integer'],
  ['usesysid', 'oid'],
  ['usename', 'name'],
  ['application_name', 'text'],
  ['client_addr', 'inet'],
  ['client_hostname', 'text'],
  ['client_port', 'integer'],
  ['backend_start', 'timestamp with time zone'],
  ['xact_start', 'timestamp with time zone'],
  ['query_start', 'timestamp with time zone'],
  ['state_change', 'timestamp with time zone'],
  ['wait_event_type', 'text'],
  ['wait_event', 'text'],
  ['state', 'text'],
  ['backend_xid', 'xid'],
  ['backend_xmin', 'xid'],
  ['query_id', 'bigint'],
  ['query', 'text'],
  ['backend_type', 'text'],
] as const;

/** pg_prepared_statements (the type arrays are written as type names and OIDs, then cast). */
export const PG_PREPARED_STATEMENTS_COLUMNS = [
  ['name', 'text'],
  ['statement', 'text'],
  ['prepare_time', 'timestamp with time zone'],
  ['parameter_types', 'regtype[]'],
  ['result_types', 'regtype[]'],
  ['from_sql', 'boolean'],
  ['generic_plans', 'bigint'],
  ['custom_plans', 'bigint'],
] as const;

type Columns = readonly (readonly [string, string])[];

/** A view whose rows are the JSON array in one column of `_engine.catalog_state`. */
function viewSql(name: string, column: string, columns: Columns, learnerRole: string): string {
  const names = columns.map(([n]) => `r.${n}`).join(', ');
  const record = columns.map(([n, type]) => `${n} ${type}`).join(', ');
  return `CREATE VIEW _emul.${name} AS SELECT ${names}
  FROM _engine.catalog_state s, jsonb_to_recordset(s.${column}) AS r(${record});
GRANT SELECT ON _emul.${name} TO ${learnerRole};`;
}

export function emulatedCatalogsSql(learnerRole: string): string {
  return `
CREATE UNLOGGED TABLE _engine.catalog_state (
  locks jsonb NOT NULL,
  activity jsonb NOT NULL,
  blocking jsonb NOT NULL,
  prepared jsonb NOT NULL
);
INSERT INTO _engine.catalog_state VALUES ('[]', '[]', '{}', '[]');
${viewSql('pg_locks', 'locks', PG_LOCKS_COLUMNS, learnerRole)}
${viewSql('pg_stat_activity', 'activity', PG_STAT_ACTIVITY_COLUMNS, learnerRole)}
${viewSql('pg_prepared_statements', 'prepared', PG_PREPARED_STATEMENTS_COLUMNS, learnerRole)}
CREATE FUNCTION _emul.pg_blocking_pids(integer) RETURNS integer[] LANGUAGE sql VOLATILE STRICT SECURITY DEFINER
  AS $$SELECT ARRAY(SELECT jsonb_array_elements_text(s.blocking -> $1::text)::integer FROM _engine.catalog_state s)$$;
CREATE FUNCTION _emul.pg_isolation_test_session_is_blocked(integer, integer[]) RETURNS boolean LANGUAGE sql VOLATILE STRICT SECURITY DEFINER
  AS $$SELECT _emul.pg_blocking_pids($1) && $2$$;
`;
}
