/**
 * System columns (xmin, xmax, cmin, cmax, ctid, tableoid) in learners' queries. A user table is a
 * view without them; a query that names one reads every user table through its `_sys` view, which
 * has them computed from the engine's tuple headers (the xmax of a row locked by several
 * transactions is the MultiXact id, as PostgreSQL shows it). Stars expand to the user's columns.
 */
import { resolveTable } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { PgError } from '../errors';
import type { Node } from '../sql/ast';
import { asNode, tagOf } from '../sql/ast';
import { walk } from '../sql/walk';
import type { Session } from '../session/session';
import { isReservedColumnName } from '../storage/heapLayout';
import { referenceName } from './queryBuilding';
import { sysRange } from '../storage/versionSources';
import { replaceTableSources, type SourcePicker } from './sourceReplacement';

const SYSTEM_COLUMNS = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid']);

/** How refusals name a query rewritten for system columns. */
export const SYSTEM_COLUMNS_PURPOSE = 'in a query that reads system columns';

/** The column a ColumnRef names (its last field), or null for `*`. */
function columnName(node: Node): string | null {
  const fields = asNode(node, 'ColumnRef')?.fields ?? [];
  const last = fields[fields.length - 1];
  return last && tagOf(last) === 'String' ? (asNode(last, 'String')?.sval ?? null) : null;
}

/** Does the statement name a system column anywhere? */
export function referencesSystemColumns(node: Node): boolean {
  let found = false;
  walk(node, {
    enter(child, tag) {
      if (found) return false;
      if (tag === 'ColumnRef') {
        const name = columnName(child);
        if (name !== null && SYSTEM_COLUMNS.has(name)) found = true;
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/** The engine's hidden columns exist in `_sys` views only; to a learner they do not exist. */
export function refuseHiddenColumns(node: Node): void {
  walk(node, {
    enter(child, tag) {
      if (tag !== 'ColumnRef') return undefined;
      const name = columnName(child);
      if (name !== null && isReservedColumnName(name)) {
        throw PgError.of('42703', `column "${name}" does not exist`);
      }
      return false;
    },
  });
}

/** Picks every user table this session can see: its `_sys` view, under the name the query uses. */
export function systemColumnSource(core: EngineCore, session: Session): SourcePicker {
  return (rangeVar, cteNames) => {
    if (!rangeVar.schemaname && cteNames.has(rangeVar.relname ?? '')) return null;
    const table = resolveTable(core, session, rangeVar);
    return table ? { table, source: sysRange(table, referenceName(rangeVar)) } : null;
  };
}

/** The query with every user table read through its `_sys` view, so system columns resolve. */
export function withSystemColumns(core: EngineCore, session: Session, node: Node): Node {
  refuseHiddenColumns(node);
  return replaceTableSources(node, systemColumnSource(core, session), SYSTEM_COLUMNS_PURPOSE);
}
