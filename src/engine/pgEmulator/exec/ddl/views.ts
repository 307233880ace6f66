/**
 * User views: CREATE [OR REPLACE] VIEW and DROP VIEW. PGlite holds each view over the tables' user
 * views, so reading through it sees the reader's snapshot. The engine adds what PostgreSQL's
 * catalog and locks do: an uncommitted view is invisible to other sessions, CREATE OR REPLACE and
 * DROP take AccessExclusiveLock on the view, and a read through a view locks the view and the
 * tables under it (see referencedTables.ts). Writes through views are not supported (0A000).
 */
import type { PgMessage, StatementOutcome } from '../../api/results';
import type { TableInfo, ViewInfo } from '../../catalog/catalog';
import { creationSchema, objectVisibleTo, searchPathSchemas } from '../../catalog/resolve';
import type { EngineCore } from '../../core';
import { PgError, unsupported } from '../../errors';
import { LockMode } from '../../locks/lockModes';
import { LEARNER_ROLE, quoteIdent, quoteLiteral } from '../../pglite/host';
import type { DropStmt, RangeVar, RenameStmt, ViewStmt } from '../../sql/ast';
import { asNode, makeNode, nameList } from '../../sql/ast';
import { deparse } from '../../sql/parser';
import type { Session, Task } from '../../session/session';
import { ensureXid, requireTransaction, transactionSnapshotBeforeLocks } from '../../xact/lifecycle';
import { activationSteps } from '../context';
import { commandOk } from '../outcome';
import { referencedTables } from '../referencedTables';
import { lockTable } from '../tableLocks';
import { emitNotices } from '../userQuery';
import { relationNameTaken } from './relationNames';
import { schemaExistsFor } from '../../catalog/resolve';
import { dependentViews, recreateViews } from './tableViews';
import { qualifiedView, resolveView } from './viewCatalog';

/** INSERT, UPDATE, DELETE and MERGE through a view: refused, naming what is not supported. */
export function rejectWriteThroughView(core: EngineCore, session: Session, target: RangeVar): void {
  if (resolveView(core, session, target) !== undefined) {
    throw unsupported('writing through views (INSERT, UPDATE or DELETE on a view)');
  }
}

/** PGlite's current OID of a relation by schema and name. */
function pgliteOid(core: EngineCore, schema: string, name: string): number {
  const [row] = core.host.rows(`SELECT format('%I.%I', $1::text, $2::text)::regclass::oid`, [schema, name]);
  return Number(row?.[0]);
}

/** The tables and views (by identity) a view's query reads, from PGlite's dependencies. */
function viewDependencies(core: EngineCore, viewOid: number): number[] {
  const rows = core.host.rows(
    `SELECT DISTINCT d.refobjid FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
      WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
        AND r.ev_class = $1::oid AND d.refobjid <> $1::oid`,
    [String(viewOid)],
  );
  const current = new Set(rows.map((row) => Number(row[0])));
  const out: number[] = [];
  for (const table of core.catalog.all()) if (current.has(table.viewOid ?? table.oid)) out.push(table.oid);
  for (const view of core.catalog.views.values())
    if (current.has(view.viewOid ?? view.oid)) out.push(view.oid);
  return out;
}

function withoutPosition(error: unknown): unknown {
  if (!(error instanceof PgError) || error.pg.position === undefined) return error;
  const pg = { ...error.pg };
  delete pg.position;
  return new PgError(pg);
}

function* lockView(
  core: EngineCore,
  session: Session,
  view: ViewInfo,
  mode: LockMode,
  rangeVar?: RangeVar,
): Task<void> {
  yield* lockTable(core, session, view, mode, rangeVar ? { rangeVar } : {});
}

export function* executeCreateView(
  core: EngineCore,
  session: Session,
  stmt: ViewStmt,
): Task<StatementOutcome> {
  const rangeVar = stmt.view;
  if (!rangeVar?.relname || !stmt.query) throw new Error('CREATE VIEW without a name or query');
  if (rangeVar.relpersistence === 't') throw unsupported('temporary views');
  transactionSnapshotBeforeLocks(core, session);
  const name = rangeVar.relname;
  const schema = rangeVar.schemaname ?? creationSchema(core, session);
  if (!schemaExistsFor(core, session, schema)) throw PgError.of('3F000', `schema "${schema}" does not exist`);
  // Parse analysis of the view's query locks what it reads.
  for (const { table, rangeVar: read } of referencedTables(core, session, stmt.query)) {
    yield* lockTable(core, session, table, LockMode.AccessShare, { rangeVar: read });
  }
  const existing = resolveView(core, session, { schemaname: schema, relname: name });
  if (existing === 'invisible' || (existing === undefined && relationNameTaken(core, schema, name))) {
    if (stmt.replace && core.catalog.findAll(schema, name).some((t) => t.droppedBy === null)) {
      throw PgError.of('42809', `"${name}" is not a view`);
    }
    throw PgError.of('42P07', `relation "${name}" already exists`);
  }
  if (existing && !stmt.replace) throw PgError.of('42P07', `relation "${name}" already exists`);
  if (existing) yield* lockView(core, session, existing, LockMode.AccessExclusive, rangeVar);
  const qualified = `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const previous = existing
    ? core.host.rows(`SELECT pg_get_viewdef(${quoteLiteral(qualified)}::regclass)`)[0]?.[0]
    : null;
  const sql = deparse(makeNode('ViewStmt', { ...stmt, view: { ...rangeVar, schemaname: schema } }));
  try {
    // The view's query is analysed with the session's search_path, as PostgreSQL would.
    core.host.pipeline([
      ...activationSteps(core, session),
      { sql },
      { sql: `GRANT SELECT ON ${qualified} TO ${LEARNER_ROLE}` },
    ]);
  } catch (error) {
    throw withoutPosition(error);
  }
  const xid = ensureXid(core, session);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  const level = transaction.currentLevel;
  const oid = pgliteOid(core, schema, name);
  if (existing) {
    const dependsOn = existing.dependsOn;
    existing.dependsOn = viewDependencies(core, oid);
    level.undo.push(() => {
      existing.dependsOn = dependsOn;
      try {
        core.host.script(`CREATE OR REPLACE VIEW ${qualifiedView(existing)} AS ${previous ?? ''}`);
      } catch {
        // The replacement added columns: only dropping the view (and re-creating the views over it) goes back.
        const dependents = dependentViews(core, existing.viewOid ?? existing.oid);
        core.host.script(
          [
            `DROP VIEW ${qualifiedView(existing)} CASCADE`,
            `CREATE VIEW ${qualifiedView(existing)} AS ${previous ?? ''}`,
            `GRANT SELECT ON ${qualifiedView(existing)} TO ${LEARNER_ROLE}`,
          ].join(';\n'),
        );
        existing.viewOid = pgliteOid(core, existing.schema, existing.storedAs ?? existing.name);
        recreateViews(core, dependents);
      }
    });
    return commandOk('CREATE VIEW');
  }
  const view: ViewInfo = {
    oid,
    schema,
    name,
    dependsOn: viewDependencies(core, oid),
    createdBy: xid,
    droppedBy: null,
  };
  core.catalog.views.set(oid, view);
  level.undo.push(() => {
    core.host.script(`DROP VIEW IF EXISTS ${qualifiedView(view)} CASCADE`);
    core.catalog.views.delete(view.oid);
  });
  level.onCommit.push(() => {
    view.createdBy = null;
  });
  yield* lockView(core, session, view, LockMode.AccessExclusive);
  return commandOk('CREATE VIEW');
}

/**
 * User views (engine identities) that read the given relation (by PGlite's current OID), directly or
 * not, leaving out those the session has already dropped.
 */
function viewsOver(core: EngineCore, session: Session, relationOid: number): ViewInfo[] {
  const out: ViewInfo[] = [];
  for (const dependent of dependentViews(core, relationOid)) {
    for (const view of core.catalog.views.values()) {
      if ((view.viewOid ?? view.oid) === dependent.oid && objectVisibleTo(core, session, view))
        out.push(view);
    }
  }
  return out;
}

function park(core: EngineCore, view: ViewInfo, storedAs: string | undefined): void {
  core.host.script(`ALTER VIEW ${qualifiedView(view)} RENAME TO ${quoteIdent(storedAs ?? view.name)}`);
  view.storedAs = storedAs;
}

/**
 * Drops views already resolved and locked: hidden from the session at once, gone when it commits,
 * back on rollback. Views over them must be in the list too (CASCADE), innermost first.
 */
export function dropViewsNow(core: EngineCore, session: Session, views: readonly ViewInfo[]): void {
  const xid = ensureXid(core, session);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  const level = transaction.currentLevel;
  for (const view of views) {
    view.droppedBy = xid;
    park(core, view, `${view.name}$dropped${view.oid}`);
    level.undo.push(() => {
      park(core, view, undefined);
      view.droppedBy = null;
    });
    level.onCommit.push(() => {
      core.host.script(`DROP VIEW IF EXISTS ${qualifiedView(view)} CASCADE`);
      core.catalog.views.delete(view.oid);
    });
  }
}

function qualifiedShown(view: ViewInfo, session: Session): string {
  return searchPathSchemas(session).includes(view.schema) ? view.name : `${view.schema}.${view.name}`;
}

/** DROP VIEW [IF EXISTS] … [CASCADE]. */
export function* executeDropViews(
  core: EngineCore,
  session: Session,
  stmt: DropStmt,
  options: { quiet?: boolean } = {},
): Task<StatementOutcome> {
  transactionSnapshotBeforeLocks(core, session);
  const notices: PgMessage[] = [];
  const views: ViewInfo[] = [];
  for (const object of stmt.objects ?? []) {
    const names = nameList(asNode(object, 'List')?.items);
    const rangeVar = names.length === 2 ? { schemaname: names[0], relname: names[1] } : { relname: names[0] };
    const view = resolveView(core, session, rangeVar);
    const shown = names.join('.');
    if (view === undefined || view === 'invisible') {
      const table = core.catalog.findAll(rangeVar.schemaname ?? 'public', rangeVar.relname ?? '')[0];
      if (view === undefined && table && table.droppedBy === null) {
        throw PgError.of('42809', `"${shown}" is not a view`, { hint: 'Use DROP TABLE to remove a table.' });
      }
      if (stmt.missing_ok) {
        notices.push({
          severity: 'NOTICE',
          sqlstate: '00000',
          message: `view "${shown}" does not exist, skipping`,
        });
        continue;
      }
      throw PgError.of('42P01', `view "${shown}" does not exist`);
    }
    if (!views.includes(view)) views.push(view);
  }
  const cascaded: ViewInfo[] = [];
  for (const view of views) {
    for (const dependent of viewsOver(core, session, view.viewOid ?? view.oid)) {
      if (views.includes(dependent) || cascaded.includes(dependent)) continue;
      if (stmt.behavior !== 'DROP_CASCADE') {
        throw PgError.of('2BP01', `cannot drop view ${view.name} because other objects depend on it`, {
          detail: `view ${qualifiedShown(dependent, session)} depends on view ${view.name}`,
          hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
        });
      }
      cascaded.push(dependent);
    }
  }
  for (const view of [...views, ...cascaded]) yield* lockView(core, session, view, LockMode.AccessExclusive);
  if (cascaded.length === 1) {
    notices.push({
      severity: 'NOTICE',
      sqlstate: '00000',
      message: `drop cascades to view ${qualifiedShown(cascaded[0] as ViewInfo, session)}`,
    });
  } else if (cascaded.length > 1) {
    notices.push({
      severity: 'NOTICE',
      sqlstate: '00000',
      message: `drop cascades to ${cascaded.length} other objects`,
      detail: cascaded.map((v) => `drop cascades to view ${qualifiedShown(v, session)}`).join('\n'),
    });
  }
  dropViewsNow(core, session, [...[...cascaded].reverse(), ...views]);
  if (!options.quiet) emitNotices(core, session, notices);
  return commandOk('DROP VIEW');
}

/** Views reading a table (innermost last), for DROP TABLE's dependency check. */
export function viewsOverTable(core: EngineCore, session: Session, table: TableInfo): ViewInfo[] {
  return viewsOver(core, session, table.viewOid ?? table.oid);
}

export function describeViewForDrop(view: ViewInfo, session: Session): string {
  return `view ${qualifiedShown(view, session)}`;
}

/** ALTER VIEW … RENAME TO (also ALTER TABLE … RENAME TO on a view): AccessExclusiveLock, undone on rollback. */
export function* executeRenameView(
  core: EngineCore,
  session: Session,
  stmt: RenameStmt,
): Task<StatementOutcome> {
  const rangeVar = stmt.relation;
  if (!rangeVar?.relname) throw new Error('ALTER VIEW … RENAME without a name');
  if (stmt.renameType !== 'OBJECT_VIEW' && stmt.renameType !== 'OBJECT_TABLE') {
    throw unsupported('renaming columns of views');
  }
  transactionSnapshotBeforeLocks(core, session);
  const view = resolveView(core, session, rangeVar);
  const tag = stmt.renameType === 'OBJECT_VIEW' ? 'ALTER VIEW' : 'ALTER TABLE';
  if (view === undefined || view === 'invisible') {
    if (stmt.missing_ok) {
      emitNotices(core, session, [
        {
          severity: 'NOTICE',
          sqlstate: '00000',
          message: `relation "${rangeVar.relname}" does not exist, skipping`,
        },
      ]);
      return commandOk(tag);
    }
    throw PgError.of('42P01', `relation "${rangeVar.relname}" does not exist`);
  }
  yield* lockView(core, session, view, LockMode.AccessExclusive, rangeVar);
  const from = view.name;
  const to = stmt.newname ?? '';
  if (relationNameTaken(core, view.schema, to)) throw PgError.of('42P07', `relation "${to}" already exists`);
  const rename = (name: string): void => {
    core.host.script(`ALTER VIEW ${qualifiedView(view)} RENAME TO ${quoteIdent(name)}`);
    view.name = name;
  };
  rename(to);
  ensureXid(core, session);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  transaction.currentLevel.undo.push(() => rename(from));
  return commandOk(tag);
}
