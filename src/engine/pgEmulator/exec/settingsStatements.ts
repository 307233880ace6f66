/**
 * SET, RESET and SHOW. PGlite validates every value (so errors are PostgreSQL's own); parameters the
 * engine emulates (timeouts, transaction characteristics) are kept per session and never left
 * applied in PGlite; the others stay applied while the session runs.
 */
import type { PgMessage, StatementOutcome } from '../api/results';
import type { EngineCore } from '../core';
import { PgError } from '../errors';
import type { Node, VariableSetStmt, VariableShowStmt } from '../sql/ast';
import { asNode } from '../sql/ast';
import { deparse } from '../sql/parser';
import type { Session } from '../session/session';
import { ENGINE_SETTINGS, formatTimeSetting } from '../session/settings';
import { PGLITE_BASELINE, PGLITE_BASELINE_SQL } from '../pglite/host';
import { armTransactionTimeout, requireTransaction } from '../xact/lifecycle';
import { activationSteps, isEngineOnlySetting } from './context';
import { commandOk, rowsOk, TYPE_OID } from './outcome';
import { setTransactionOption } from './transactionControl';
import { emitNotices } from './userQuery';

const TRANSACTION_PARAMETERS = new Set([
  'transaction_isolation',
  'transaction_read_only',
  'transaction_deferrable',
]);

function warning(message: string): PgMessage {
  return { severity: 'WARNING', sqlstate: '25P01', message };
}

function constText(node: Node | undefined): string | boolean | undefined {
  const constant = asNode(node, 'A_Const');
  if (!constant) return undefined;
  if (constant.sval) return constant.sval.sval ?? '';
  if (constant.ival) return (constant.ival.ival ?? 0) !== 0;
  if (constant.boolval) return constant.boolval.boolval ?? false;
  return undefined;
}

/** Runs a SET/RESET in PGlite (session level) and returns the resulting value, PostgreSQL-validated. */
function applyInPglite(
  core: EngineCore,
  session: Session,
  stmt: VariableSetStmt,
  name: string,
): { shown: string; raw: string } {
  const text = deparse({ VariableSetStmt: { ...stmt, is_local: false } } as Node);
  const results = core.host.pipelineRaw([
    ...activationSteps(core, session),
    { sql: text },
    { sql: 'SELECT current_setting($1), (SELECT setting FROM pg_settings WHERE name = $1)', params: [name] },
  ]);
  for (const result of results) {
    if (result.error) {
      const error = { ...result.error };
      if (error.position !== undefined) delete error.position;
      throw new PgError(error);
    }
  }
  const row = results[results.length - 1]?.rows[0] ?? [];
  return { shown: row[0] ?? '', raw: row[1] ?? row[0] ?? '' };
}

function canonicalName(stmt: VariableSetStmt): string {
  return (stmt.name ?? '').toLowerCase();
}

export function executeSet(core: EngineCore, session: Session, stmt: VariableSetStmt): StatementOutcome {
  const notices: PgMessage[] = [];
  const outcome = runSet(core, session, stmt, notices);
  emitNotices(core, session, notices);
  return outcome;
}

function runSet(
  core: EngineCore,
  session: Session,
  stmt: VariableSetStmt,
  notices: PgMessage[],
): StatementOutcome {
  const kind = stmt.kind ?? '';
  const local = stmt.is_local === true;
  const inBlock = session.block === 'explicit' || session.block === 'implicit';
  if (kind === 'VAR_SET_MULTI' && stmt.name === 'TRANSACTION') {
    if (!inBlock) notices.push(warning('SET TRANSACTION can only be used in transaction blocks'));
    for (const arg of stmt.args ?? []) {
      const def = asNode(arg, 'DefElem');
      const value = constText(def?.arg);
      if (def?.defname && value !== undefined) setTransactionOption(session, def.defname, value);
    }
    return commandOk('SET');
  }
  if (kind === 'VAR_SET_MULTI' && stmt.name === 'SESSION CHARACTERISTICS') {
    for (const arg of stmt.args ?? []) {
      const def = asNode(arg, 'DefElem');
      const value = constText(def?.arg);
      if (!def?.defname || value === undefined) continue;
      const name = `default_${def.defname}`;
      session.settings.set(
        name,
        typeof value === 'boolean' ? (value ? 'on' : 'off') : value.toLowerCase(),
        false,
      );
    }
    return commandOk('SET');
  }
  if (kind === 'VAR_RESET_ALL') {
    core.host.pipeline([
      ...activationSteps(core, session),
      { sql: 'RESET ALL' },
      { sql: PGLITE_BASELINE_SQL },
    ]);
    core.appliedSettings.clear();
    session.settings.resetAll();
    return commandOk('RESET');
  }
  const name = canonicalName(stmt);
  if (TRANSACTION_PARAMETERS.has(name)) {
    if (kind === 'VAR_SET_VALUE') {
      const value = constText(stmt.args?.[0]);
      if (value !== undefined) setTransactionOption(session, name, value);
    }
    return commandOk(kind === 'VAR_RESET' ? 'RESET' : 'SET');
  }
  if (local && !inBlock) notices.push(warning('SET LOCAL can only be used in transaction blocks'));
  const { shown, raw } = applyInPglite(core, session, stmt, name);
  const resetting = kind === 'VAR_RESET' || kind === 'VAR_SET_DEFAULT';
  if (isEngineOnlySetting(name)) {
    // Keep the value for the engine, and make sure PGlite never enforces it.
    core.host.pipeline([
      { sql: `SELECT set_config($1, $2, false)`, params: [name, PGLITE_BASELINE[name] ?? null] },
    ]);
    session.settings.set(
      name,
      resetting ? null : ENGINE_SETTINGS[name]?.kind === 'time' ? raw : shown,
      local,
    );
  } else {
    session.settings.set(name, resetting ? null : shown, local);
    if (resetting) core.appliedSettings.delete(name);
    else core.appliedSettings.set(name, shown);
  }
  if (name === 'transaction_timeout' && session.transaction) armTransactionTimeout(core, session);
  return commandOk(kind === 'VAR_RESET' ? 'RESET' : 'SET');
}

function showValue(session: Session, name: string): string | undefined {
  if (name === 'transaction_isolation') {
    return session.transaction?.isolation ?? session.settings.get('default_transaction_isolation');
  }
  if (name === 'transaction_read_only') return requireTransaction(session).readOnly ? 'on' : 'off';
  if (name === 'transaction_deferrable') return requireTransaction(session).deferrable ? 'on' : 'off';
  const setting = ENGINE_SETTINGS[name];
  if (!setting || !isEngineOnlySetting(name)) return undefined;
  const value = session.settings.get(name) ?? '';
  return setting.kind === 'time' ? formatTimeSetting(Number(value)) : value;
}

export function executeShow(core: EngineCore, session: Session, stmt: VariableShowStmt): StatementOutcome {
  const name = (stmt.name ?? '').toLowerCase();
  const own = showValue(session, name);
  if (own !== undefined) return rowsOk('SHOW', [{ name, typeOid: TYPE_OID.text }], [[own]]);
  const results = core.host.pipelineRaw([
    ...activationSteps(core, session),
    { sql: deparse({ VariableShowStmt: stmt } as Node) },
  ]);
  const result = results[results.length - 1];
  if (!result) throw new Error('SHOW returned nothing');
  if (result.error) throw new PgError(result.error);
  if (name === 'all') {
    const rows = result.rows.map((row) => {
      const value = showValue(session, row[0] ?? '');
      return value === undefined ? row : [row[0] ?? null, value, row[2] ?? null];
    });
    return rowsOk('SHOW', result.fields ?? [], rows);
  }
  return rowsOk('SHOW', result.fields ?? [], result.rows);
}
