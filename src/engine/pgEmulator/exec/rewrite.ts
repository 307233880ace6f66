/**
 * Rewriting a learner's query so that what PostgreSQL answers from server state comes from the
 * engine: backend pids, transaction ids and snapshots, time on the virtual clock, pg_sleep, the
 * current role, the lock and activity views (pg_locks, pg_stat_activity, pg_prepared_statements,
 * pg_blocking_pids: see emulation/). Queries needing none of this run exactly as written.
 */
import type { FuncCall, Node, SQLValueFunction } from '../sql/ast';
import { asNode, nameList, tagOf } from '../sql/ast';
import type { ParsedStatement } from '../sql/parser';
import { ADVISORY_FUNCTION_NAMES } from '../pglite/advisorySql';
import { SEQUENCE_FUNCTIONS } from './ddl/sequenceFunctions';
import { BACKEND_SIGNAL_FUNCTIONS } from '../pglite/backendSignalsSql';
import { LOCK_STATUS_FUNCTIONS, replaceEmulatedRelations } from '../emulation/catalogNames';

/** Functions answered by the engine: name → the `_emul` function that replaces it. */
const EMULATED_FUNCTIONS = new Set([
  'pg_backend_pid',
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'clock_timestamp',
  'timeofday',
  'txid_current',
  'txid_current_if_assigned',
  'pg_current_xact_id',
  'pg_current_xact_id_if_assigned',
  'txid_current_snapshot',
  'pg_current_snapshot',
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  ...ADVISORY_FUNCTION_NAMES,
  ...LOCK_STATUS_FUNCTIONS,
  ...SEQUENCE_FUNCTIONS,
  ...BACKEND_SIGNAL_FUNCTIONS,
]);

/** Functions whose call assigns the top-level transaction id before the query runs. */
export const ASSIGNS_XID = new Set(['txid_current', 'pg_current_xact_id']);

export const SLEEP_FUNCTIONS = new Set(['pg_sleep', 'pg_sleep_for', 'pg_sleep_until']);

export interface Rewritten {
  node: Node;
  /** Emulated functions the statement calls. */
  calls: Set<string>;
}

function functionName(call: FuncCall): string | null {
  const names = nameList(call.funcname);
  if (names.length === 1) return names[0] as string;
  if (names.length === 2 && names[0] === 'pg_catalog') return names[1] as string;
  return null;
}

function emulatedCall(name: string, args: Node[] | undefined, location: number | undefined): Node {
  return {
    FuncCall: {
      funcname: [{ String: { sval: '_emul' } }, { String: { sval: name } }],
      args: args ?? [],
      funcformat: 'COERCE_EXPLICIT_CALL',
      location: location ?? -1,
    },
  } as Node;
}

function castTo(expr: Node, type: string[], typmod?: number): Node {
  const typeName: Record<string, unknown> = {
    names: type.map((sval) => ({ String: { sval } })),
    typemod: -1,
  };
  if (typmod !== undefined && typmod >= 0) typeName['typmods'] = [{ A_Const: { ival: { ival: typmod } } }];
  return { TypeCast: { arg: expr, typeName, location: -1 } } as Node;
}

/** The replacement of a SQL value function (CURRENT_TIMESTAMP, CURRENT_USER, …), or null to keep it. */
function replaceValueFunction(fn: SQLValueFunction): { node: Node; name: string } | null {
  const now = emulatedCall('now', [], fn.location);
  const typmod = fn.typmod ?? -1;
  switch (fn.op) {
    case 'SVFOP_CURRENT_TIMESTAMP':
      return { node: typmod >= 0 ? castTo(now, ['timestamptz'], typmod) : now, name: 'current_timestamp' };
    case 'SVFOP_CURRENT_TIMESTAMP_N':
      return { node: castTo(now, ['timestamptz'], typmod), name: 'current_timestamp' };
    case 'SVFOP_LOCALTIMESTAMP':
    case 'SVFOP_LOCALTIMESTAMP_N':
      return { node: castTo(now, ['timestamp'], typmod), name: 'localtimestamp' };
    case 'SVFOP_CURRENT_DATE':
      return { node: castTo(now, ['date']), name: 'current_date' };
    case 'SVFOP_CURRENT_TIME':
    case 'SVFOP_CURRENT_TIME_N':
      return { node: castTo(now, ['timetz'], typmod), name: 'current_time' };
    case 'SVFOP_LOCALTIME':
    case 'SVFOP_LOCALTIME_N':
      return { node: castTo(now, ['time'], typmod), name: 'localtime' };
    case 'SVFOP_CURRENT_USER':
    case 'SVFOP_CURRENT_ROLE':
    case 'SVFOP_USER':
    case 'SVFOP_SESSION_USER': {
      const label = {
        SVFOP_CURRENT_USER: 'current_user',
        SVFOP_CURRENT_ROLE: 'current_role',
        SVFOP_USER: 'current_user',
        SVFOP_SESSION_USER: 'session_user',
      }[fn.op];
      return { node: castTo({ A_Const: { sval: { sval: 'postgres' } } } as Node, ['name']), name: label };
    }
    default:
      return null;
  }
}

/** Replaces nodes in place, recursively; `replace` returns a substitute or undefined. */
function transform(value: unknown, replace: (node: Node) => Node | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => transform(item, replace));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && /^[A-Z]/.test(keys[0] as string)) {
    const substitute = replace(value as Node);
    if (substitute) return substitute;
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = transform(child, replace);
  return out;
}

/**
 * Returns the rewritten parse tree when the statement needs the engine's answers, else null.
 * Top-level output columns keep the names PostgreSQL would give them.
 */
export function rewriteStatement(statement: ParsedStatement): Rewritten | null {
  // A prepared statement's body is kept as written and rewritten each time it runs.
  if (tagOf(statement.node) === 'PrepareStmt') return null;
  const calls = new Set<string>();
  let changed = false;
  const replace = (node: Node): Node | undefined => {
    const tag = tagOf(node);
    if (tag === 'FuncCall') {
      const call = asNode(node, 'FuncCall') as FuncCall;
      const name = functionName(call);
      if (name && EMULATED_FUNCTIONS.has(name) && !call.agg_star && !call.over) {
        calls.add(name);
        changed = true;
        const args = (call.args ?? []).map((a) => transform(a, replace) as Node);
        return emulatedCall(name, args, call.location);
      }
    }
    if (tag === 'SQLValueFunction') {
      const replacement = replaceValueFunction(asNode(node, 'SQLValueFunction') as SQLValueFunction);
      if (replacement) {
        changed = true;
        calls.add(replacement.name);
        return replacement.node;
      }
    }
    return undefined;
  };
  // Top-level targets: keep the column name of a replaced value function.
  const root = transform(statement.node, (node) => {
    const target = asNode(node, 'ResTarget');
    if (target && !target.name && target.val && tagOf(target.val) === 'SQLValueFunction') {
      const replacement = replaceValueFunction(asNode(target.val, 'SQLValueFunction') as SQLValueFunction);
      if (replacement) {
        changed = true;
        return { ResTarget: { ...target, name: replacement.name, val: replacement.node } } as Node;
      }
    }
    return replace(node);
  }) as Node;
  // pg_locks, pg_stat_activity, pg_prepared_statements: the engine's stand-ins (emulation/).
  const relations = replaceEmulatedRelations(root);
  for (const name of relations.names) calls.add(name);
  if (!changed && relations.names.size === 0) return null;
  return { node: relations.node, calls };
}
