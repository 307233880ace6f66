/**
 * The one PGlite instance behind the engine, with the engine's private schemas:
 * - `_engine`: the per-statement context row the visibility views read, and engine tables;
 * - `_emul`: functions that stand in for PostgreSQL's own where the engine must answer (pids, xids, time…);
 * - `_sys`: per-table views that expose hidden tuple-header columns to the engine;
 * - beside each user schema, its heap schema (storage/heapLayout.ts): the heap tables holding every
 *   row version.
 * Learners' SELECTs run as the role `playground_learner`, which can read user views, the `_sys` views
 * (for system columns) and the `_emul` stand-ins only.
 */
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { PgError } from '../errors';
import { advisoryFunctionsSql } from './advisorySql';
import { backendSignalsSql } from './backendSignalsSql';
import { Wire, type PipelineStep, type WireResult } from './wire';

export const LEARNER_ROLE = 'playground_learner';

/**
 * Settings PGlite keeps whatever learners SET or RESET. Nothing in PGlite needs durability, so commits
 * need not wait for their WAL record to be flushed (sessions keep their own synchronous_commit value:
 * the engine answers SHOW for it). Re-applied after every RESET ALL.
 */
export const PGLITE_BASELINE: Readonly<Record<string, string>> = { synchronous_commit: 'off' };

export const PGLITE_BASELINE_SQL = Object.entries(PGLITE_BASELINE)
  .map(([name, value]) => `SET ${name} = ${value};`)
  .join('\n');

const BOOTSTRAP = `
CREATE ROLE ${LEARNER_ROLE} NOLOGIN;
CREATE SCHEMA _engine;
CREATE SCHEMA _emul;
CREATE SCHEMA _sys;
CREATE UNLOGGED TABLE _engine.ctx (
  sxmax bigint NOT NULL,
  xip bigint[] NOT NULL,
  own bigint[] NOT NULL,
  cid int NOT NULL,
  pid int NOT NULL,
  xid bigint,
  now_ts timestamptz NOT NULL,
  stmt_ts timestamptz NOT NULL,
  clock_ts timestamptz NOT NULL,
  sxmin bigint NOT NULL,
  top_xid bigint,
  sleep_ms double precision NOT NULL,
  advisory jsonb NOT NULL
);
INSERT INTO _engine.ctx VALUES (0, '{}', '{}', 0, 0, NULL, now(), now(), now(), 0, NULL, 0, '{}');
ANALYZE _engine.ctx;
${PGLITE_BASELINE_SQL}
CREATE UNLOGGED TABLE _engine.advisory_actions (seq serial, action text, k1 bigint, k2 bigint, sub int, mode int, scope text);
CREATE SEQUENCE _engine.tid_seq;
CREATE FUNCTION _engine.current_xid() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT xid FROM _engine.ctx';
CREATE FUNCTION _engine.current_cid() RETURNS integer LANGUAGE sql STABLE AS 'SELECT cid FROM _engine.ctx';
GRANT USAGE ON SCHEMA _emul TO ${LEARNER_ROLE};
CREATE FUNCTION _emul.pg_backend_pid() RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER AS 'SELECT pid FROM _engine.ctx';
CREATE FUNCTION _emul.now() RETURNS timestamptz LANGUAGE sql STABLE SECURITY DEFINER AS 'SELECT now_ts FROM _engine.ctx';
CREATE FUNCTION _emul.transaction_timestamp() RETURNS timestamptz LANGUAGE sql STABLE SECURITY DEFINER AS 'SELECT now_ts FROM _engine.ctx';
CREATE FUNCTION _emul.statement_timestamp() RETURNS timestamptz LANGUAGE sql STABLE SECURITY DEFINER AS 'SELECT stmt_ts FROM _engine.ctx';
CREATE FUNCTION _emul.clock_timestamp() RETURNS timestamptz LANGUAGE sql VOLATILE SECURITY DEFINER AS 'SELECT clock_ts FROM _engine.ctx';
CREATE FUNCTION _emul.timeofday() RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER AS $$SELECT to_char(clock_ts, 'Dy Mon DD HH24:MI:SS.US YYYY TZ') FROM _engine.ctx$$;
CREATE FUNCTION _emul.txid_current() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER AS 'SELECT top_xid FROM _engine.ctx';
CREATE FUNCTION _emul.txid_current_if_assigned() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER AS 'SELECT top_xid FROM _engine.ctx';
CREATE FUNCTION _emul.pg_current_xact_id() RETURNS xid8 LANGUAGE sql STABLE SECURITY DEFINER AS 'SELECT top_xid::text::xid8 FROM _engine.ctx';
CREATE FUNCTION _emul.pg_current_xact_id_if_assigned() RETURNS xid8 LANGUAGE sql STABLE SECURITY DEFINER AS 'SELECT top_xid::text::xid8 FROM _engine.ctx';
CREATE FUNCTION _emul.pg_current_snapshot() RETURNS pg_snapshot LANGUAGE sql STABLE SECURITY DEFINER AS $$SELECT format('%s:%s:%s', sxmin, sxmax, array_to_string(xip, ','))::pg_snapshot FROM _engine.ctx$$;
CREATE FUNCTION _emul.txid_current_snapshot() RETURNS txid_snapshot LANGUAGE sql STABLE SECURITY DEFINER AS $$SELECT format('%s:%s:%s', sxmin, sxmax, array_to_string(xip, ','))::txid_snapshot FROM _engine.ctx$$;
${advisoryFunctionsSql()}
${backendSignalsSql()}
GRANT USAGE ON SCHEMA _sys TO ${LEARNER_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA _sys GRANT SELECT ON TABLES TO ${LEARNER_ROLE};
CREATE FUNCTION _emul.pg_sleep(double precision) RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER AS 'UPDATE _engine.ctx SET sleep_ms = sleep_ms + greatest($1, 0) * 1000';
CREATE FUNCTION _emul.pg_sleep_for(interval) RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER AS 'UPDATE _engine.ctx SET sleep_ms = sleep_ms + greatest(extract(epoch FROM $1), 0) * 1000';
CREATE FUNCTION _emul.pg_sleep_until(timestamptz) RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER AS 'UPDATE _engine.ctx SET sleep_ms = sleep_ms + greatest(extract(epoch FROM $1 - clock_ts), 0) * 1000';
GRANT USAGE ON SCHEMA public TO ${LEARNER_ROLE};
`;

export class SqlHost {
  /**
   * Statements that must run before the next query (the engine's changed tuple headers). They ride
   * in the same round trip, in their own Sync group so that a failing query cannot undo them.
   */
  pendingSteps: () => PipelineStep[] = () => [];

  private constructor(
    readonly pglite: PGlite,
    readonly wire: Wire,
  ) {}

  /**
   * Starts PGlite (with the caller's assets: WASM module, file-system bundle, prebuilt data directory)
   * and creates the engine's schemas, then runs `moreBootstrap` (the layers above add their own
   * objects: the emulated catalogs).
   */
  static async create(options: PGliteOptions = {}, moreBootstrap = ''): Promise<SqlHost> {
    const pglite = await PGlite.create(options);
    const host = new SqlHost(pglite, new Wire(pglite));
    host.script(`${BOOTSTRAP}\n${moreBootstrap}`);
    return host;
  }

  /** Runs engine-internal SQL (several statements allowed); any error is a PgError. */
  script(sql: string): WireResult[] {
    this.pipeline([]);
    const results = this.wire.simple(sql);
    for (const result of results) if (result.error) throw new PgError(result.error);
    return results;
  }

  /** Runs one engine-internal statement with parameters; returns its rows. */
  rows(sql: string, params: readonly (string | null)[] = [], statementName?: string): (string | null)[][] {
    const step: PipelineStep = { sql, params };
    if (statementName) step.statementName = statementName;
    const [result] = this.pipelineRaw([step]);
    if (!result) throw new Error('no result from PGlite');
    if (result.error) throw new PgError(result.error);
    return result.rows;
  }

  /** Runs several internal statements in one round trip; throws the first error. */
  pipeline(steps: readonly PipelineStep[]): WireResult[] {
    const results = this.pipelineRaw(steps);
    for (const result of results) if (result.error) throw new PgError(result.error);
    return results;
  }

  /** Runs steps in one round trip and returns their results as they are, errors included. */
  pipelineRaw(steps: readonly PipelineStep[]): WireResult[] {
    const pending = this.pendingSteps();
    if (pending.length === 0) return steps.length === 0 ? [] : this.wire.pipeline(steps);
    const last = pending.length - 1;
    const prefix = pending.map((step, i) => (i === last ? { ...step, syncAfter: true } : step));
    const results = this.wire.pipeline([...prefix, ...steps]);
    for (const result of results.slice(0, prefix.length)) if (result.error) throw new PgError(result.error);
    return results.slice(prefix.length);
  }

  async close(): Promise<void> {
    await this.pglite.close();
  }
}

/** Quotes an identifier the way PostgreSQL's quote_ident does. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

// Keywords that quote_ident quotes (reserved and column-name keywords that commonly appear as names).
const RESERVED = new Set([
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'column',
  'constraint',
  'create',
  'current_catalog',
  'current_date',
  'current_role',
  'current_time',
  'current_timestamp',
  'current_user',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'from',
  'grant',
  'group',
  'having',
  'in',
  'initially',
  'intersect',
  'into',
  'lateral',
  'leading',
  'limit',
  'localtime',
  'localtimestamp',
  'not',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'placing',
  'primary',
  'references',
  'returning',
  'select',
  'session_user',
  'some',
  'symmetric',
  'system_user',
  'table',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'variadic',
  'when',
  'where',
  'window',
  'with',
  'authorization',
  'binary',
  'collation',
  'concurrently',
  'cross',
  'current_schema',
  'freeze',
  'full',
  'ilike',
  'inner',
  'is',
  'isnull',
  'join',
  'left',
  'like',
  'natural',
  'notnull',
  'outer',
  'overlaps',
  'right',
  'similar',
  'tablesample',
  'verbose',
  'between',
  'bigint',
  'bit',
  'boolean',
  'char',
  'character',
  'coalesce',
  'dec',
  'decimal',
  'exists',
  'extract',
  'float',
  'greatest',
  'grouping',
  'inout',
  'int',
  'integer',
  'interval',
  'least',
  'national',
  'nchar',
  'none',
  'normalize',
  'nullif',
  'numeric',
  'out',
  'overlay',
  'position',
  'precision',
  'real',
  'row',
  'setof',
  'smallint',
  'substring',
  'time',
  'timestamp',
  'treat',
  'trim',
  'values',
  'varchar',
  'xmlattributes',
  'xmlconcat',
  'xmlelement',
  'xmlexists',
  'xmlforest',
  'xmlnamespaces',
  'xmlparse',
  'xmlpi',
  'xmlroot',
  'xmlserialize',
  'xmltable',
  'json',
  'json_array',
  'json_arrayagg',
  'json_exists',
  'json_object',
  'json_objectagg',
  'json_query',
  'json_scalar',
  'json_serialize',
  'json_table',
  'json_value',
  'merge_action',
]);
