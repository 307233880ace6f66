/**
 * Rows the engine has already computed, put back into a query with their types: the columns of a
 * query as parse analysis types them (format_type with the modifier: `character varying(10)`), and
 * those rows as a typed `VALUES` source or constant.
 */
import type { EngineCore } from '../core';
import { quoteIdent } from '../pglite/host';
import type { Node } from '../sql/ast';
import { asNode } from '../sql/ast';
import { parseStatements } from '../sql/parser';
import type { Session } from '../session/session';
import { activationSteps } from './context';

export interface TypedColumn {
  name: string;
  /** The type as SQL names it, modifier included. */
  type: string;
}

export interface TypedRows {
  columns: TypedColumn[];
  rows: (string | null)[][];
}

/** The result columns of `sql` for this session (its search_path), from parse analysis alone. */
export function describeColumns(core: EngineCore, session: Session, sql: string): TypedColumn[] {
  core.host.pipeline(activationSteps(core, session));
  const described = core.host.wire.describe(sql);
  if (described.error) throw new Error(`could not describe the engine's query: ${described.error.message}`);
  const fields = described.fields ?? [];
  if (fields.length === 0) return [];
  const [types] = core.host.rows(
    `SELECT ${fields.map((f) => `format_type(${f.typeOid}, ${f.typeModifier})`).join(', ')}`,
  );
  return fields.map((field, i) => ({ name: field.name, type: types?.[i] ?? 'text' }));
}

/** A value in text form as a constant of its type. */
export function typedLiteral(value: string | null | undefined, type: string): string {
  const text = value === null || value === undefined ? 'NULL' : `'${value.replace(/'/g, "''")}'`;
  return `CAST(${text} AS ${type})`;
}

function valuesSql(typed: TypedRows, alias: string): string {
  const names = typed.columns.map((c) => quoteIdent(c.name)).join(', ');
  if (typed.rows.length === 0) {
    const nulls = typed.columns.map((c) => `${typedLiteral(null, c.type)} AS ${quoteIdent(c.name)}`);
    return `SELECT * FROM (SELECT ${nulls.join(', ')} WHERE false) AS ${quoteIdent(alias)}`;
  }
  const rows = typed.rows.map(
    (row) => `(${row.map((value, i) => typedLiteral(value, typed.columns[i]?.type ?? 'text')).join(', ')})`,
  );
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS ${quoteIdent(alias)}(${names})`;
}

/** `SELECT * FROM (VALUES …) AS v(columns)`: the rows as a query of their own. */
export function typedRowsQuery(typed: TypedRows): Node {
  const [parsed] = parseStatements(valuesSql(typed, 'v'));
  if (!parsed) throw new Error('could not build a query of computed rows');
  return parsed.node;
}

/** `(VALUES …) AS alias(columns)`: the rows as a FROM item named `alias`. */
export function typedRowsSource(typed: TypedRows, alias: string): Node {
  const [parsed] = parseStatements(valuesSql(typed, alias));
  const item = asNode(parsed?.node, 'SelectStmt')?.fromClause?.[0];
  if (!item) throw new Error('could not build a FROM item of computed rows');
  return item;
}
