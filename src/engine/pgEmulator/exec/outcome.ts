/**
 * Building statement outcomes.
 */
import { splitCommandTag, type ResultField, type StatementSuccess } from '../api/results';

export function commandOk(tag: string): StatementSuccess {
  const { command, rowCount } = splitCommandTag(tag);
  return { kind: 'ok', tag, command, rowCount };
}

export function rowsOk(
  tag: string,
  fields: ResultField[],
  rows: (string | null)[][],
  truncated = false,
): StatementSuccess {
  const outcome: StatementSuccess = { ...commandOk(tag), fields, rows };
  if (truncated) outcome.truncated = true;
  return outcome;
}

/** A result as the page gets it: at most `limit` rows (the tag still counts them all). */
export function rowsShown(
  limit: number,
  tag: string,
  fields: ResultField[],
  rows: (string | null)[][],
): StatementSuccess {
  return rows.length > limit ? rowsOk(tag, fields, rows.slice(0, limit), true) : rowsOk(tag, fields, rows);
}

/** OIDs of the types the engine itself returns. */
export const TYPE_OID = {
  bool: 16,
  int8: 20,
  int4: 23,
  text: 25,
  oid: 26,
  xid: 28,
  timestamptz: 1184,
  void: 2278,
} as const;
