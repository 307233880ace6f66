/**
 * pg_prepared_statements: the reading session's named prepared statements. `statement` is the query
 * string the statement came from — for SQL PREPARE the whole string the client sent (other
 * statements in it included), for a protocol-level Parse the statement's text.
 */
import type { EngineEvent } from '../api/events';
import type { EmulationContext } from './emulationContext';
import type { Session } from '../session/session';
import { asNode } from '../sql/ast';
import { parseStatements } from '../sql/parser';
import { timestampText } from '../time/timestamps';

export interface PreparedStatementRow {
  name: string;
  statement: string;
  prepare_time: string;
  /** Type names (regtype input). */
  parameter_types: string[];
  /** Type OIDs (regtype input), or null for a statement that returns no rows. */
  result_types: number[] | null;
  from_sql: boolean;
  generic_plans: number;
  custom_plans: number;
}

function preparedName(sql: string): string | null {
  try {
    const [statement] = parseStatements(sql);
    return asNode(statement?.node, 'PrepareStmt')?.name ?? null;
  } catch {
    return null;
  }
}

/** For each statement name, the query string of the submission whose PREPARE last created it. */
function prepareSources(events: readonly EngineEvent[], sessionName: string): Map<string, string> {
  const submitted = new Map<number, string>();
  const sources = new Map<string, string>();
  for (const event of events) {
    if (event.type === 'sessionOpened' && event.session === sessionName) {
      submitted.clear();
      sources.clear();
    }
    if (event.type === 'submitted' && event.session === sessionName)
      submitted.set(event.submission, event.sql);
    if (
      event.type === 'statementFinished' &&
      event.session === sessionName &&
      event.outcome.kind === 'ok' &&
      event.outcome.command === 'PREPARE'
    ) {
      const name = preparedName(event.sql);
      const source = submitted.get(event.submission);
      if (name !== null && source !== undefined) sources.set(name, source);
    }
  }
  return sources;
}

export function preparedStatementRows(core: EmulationContext, session: Session): PreparedStatementRow[] {
  const named = [...session.prepared.values()].filter((p) => p.name !== '');
  if (named.length === 0) return [];
  const sources = named.some((p) => p.fromSql)
    ? prepareSources(core.events.since(0), session.name)
    : new Map();
  return named.map((prepared) => ({
    name: prepared.name,
    statement: (prepared.fromSql ? sources.get(prepared.name) : undefined) ?? prepared.text,
    prepare_time: timestampText(prepared.preparedAt),
    parameter_types: prepared.parameterTypes,
    result_types: prepared.resultFields ? prepared.resultFields.map((f) => f.typeOid) : null,
    from_sql: prepared.fromSql,
    generic_plans: prepared.genericPlans,
    custom_plans: prepared.customPlans,
  }));
}
