/**
 * RETURNING of UPDATE and DELETE: evaluated on the version each row left (the new version of an
 * update, the deleted version of a delete), in the order the rows were changed; with FROM / USING,
 * together with the row of the other tables that the changed row was joined to.
 */
import type { ResultField } from '../api/results';
import type { EngineCore } from '../core';
import { unsupported } from '../errors';
import type { Node, SelectStmt } from '../sql/ast';
import { asNode, columnRef, makeNode, resTarget } from '../sql/ast';
import { parseExpression } from '../sql/expressions';
import { deparse } from '../sql/parser';
import type { Session } from '../session/session';
import { singleVersionRange, versionListRange } from '../storage/versionSources';
import type { ModifyTarget } from './modifyTarget';
import { expandStars, fromItemNames } from './queryBuilding';
import { describeColumns, typedRowsSource } from './typedRows';
import { runUserQuery } from './userQuery';

/** The other tables of UPDATE … FROM / DELETE … USING, and how a changed row joined them. */
export interface JoinedFrom {
  items: readonly Node[];
  whereClause: Node | undefined;
  /** Per changed row: the version of the target the join matched (the one that was changed). */
  joinedTids: readonly number[];
}

type Rows = { fields: ResultField[]; rows: (string | null)[][] };

function select(targetList: Node[], fromClause: Node[], sortBy?: string): string {
  const stmt: SelectStmt = { targetList, fromClause, limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' };
  if (sortBy)
    stmt.sortClause = [
      makeNode('SortBy', {
        node: columnRef(sortBy),
        sortby_dir: 'SORTBY_DEFAULT',
        sortby_nulls: 'SORTBY_NULLS_DEFAULT',
      }),
    ];
  return deparse(makeNode('SelectStmt', stmt));
}

/** `name.*` */
function allColumnsOf(name: string): Node {
  return makeNode('ColumnRef', { fields: [{ String: { sval: name } } as Node, { A_Star: {} } as Node] });
}

function refuseMergedColumns(items: readonly Node[]): void {
  const visit = (item: Node): void => {
    const join = asNode(item, 'JoinExpr');
    if (!join) return;
    if (join.usingClause?.length || join.isNatural || join.alias)
      throw unsupported('RETURNING with JOIN … USING, NATURAL JOIN or an aliased join in FROM / USING');
    if (join.larg) visit(join.larg);
    if (join.rarg) visit(join.rarg);
  };
  for (const item of items) visit(item);
}

/**
 * Each FROM item as the one row the changed row joined: `(VALUES (…)) AS name(columns)`, typed as
 * the item's columns are. Null when the join finds no row (the version was not changed by a join).
 */
function joinedRow(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  from: JoinedFrom,
  tid: number,
): Node[] | null {
  const names = fromItemNames(from.items);
  const source = [singleVersionRange(target.table, target.alias, tid), ...from.items];
  const targets = names.map((name) =>
    resTarget(
      makeNode('ColumnRef', { fields: [{ String: { sval: name } } as Node, { A_Star: {} } as Node] }),
    ),
  );
  const stmt: SelectStmt = {
    targetList: targets,
    fromClause: source,
    limitCount: parseExpression('1'),
    limitOption: 'LIMIT_OPTION_COUNT',
    op: 'SETOP_NONE',
  };
  if (from.whereClause) stmt.whereClause = from.whereClause;
  const sql = deparse(makeNode('SelectStmt', stmt));
  const row = runUserQuery(core, session, sql, {
    snapshot: target.snapshot,
    positionOffset: null,
    asEngine: true,
  }).rows?.[0];
  if (!row) return null;
  // Each item's columns and their types: parse analysis of `SELECT name.* …` per item.
  const out: Node[] = [];
  let offset = 0;
  for (const name of names) {
    const columns = describeColumns(
      core,
      session,
      deparse(makeNode('SelectStmt', { ...stmt, targetList: [resTarget(allColumnsOf(name))] })),
    );
    out.push(typedRowsSource({ columns, rows: [row.slice(offset, offset + columns.length)] }, name));
    offset += columns.length;
  }
  return out;
}

/** RETURNING over `tids` (the versions the rows left), in order. */
export function returningRows(
  core: EngineCore,
  session: Session,
  target: ModifyTarget,
  returning: readonly Node[],
  tids: readonly number[],
  from?: JoinedFrom,
): Rows {
  const table = target.table;
  const run = (sql: string): Rows => {
    const outcome = runUserQuery(core, session, sql, {
      snapshot: target.snapshot,
      positionOffset: null,
      asEngine: true,
    });
    return { fields: outcome.fields ?? [], rows: outcome.rows ?? [] };
  };
  if (!from || from.items.length === 0) {
    const exprs = expandStars(
      returning,
      [makeNode('RangeVar', { relname: target.alias })],
      new Map([[target.alias, table]]),
    );
    return run(select(exprs, [versionListRange(table, target.alias, tids)], '__pg_ord'));
  }
  refuseMergedColumns(from.items);
  const exprs = expandStars(
    returning,
    [makeNode('RangeVar', { relname: target.alias }), ...from.items],
    new Map([[target.alias, table]]),
  );
  let fields: ResultField[] | null = null;
  const rows: (string | null)[][] = [];
  tids.forEach((tid, i) => {
    const joined = joinedRow(core, session, target, from, from.joinedTids[i] ?? tid);
    if (!joined) return;
    const result = run(select(exprs, [singleVersionRange(table, target.alias, tid), ...joined]));
    fields = result.fields;
    rows.push(...result.rows);
  });
  // No row changed: the columns still come from parse analysis of the RETURNING list.
  fields ??= run(select(exprs, [singleVersionRange(table, target.alias, -1), ...from.items])).fields;
  return { fields, rows };
}
