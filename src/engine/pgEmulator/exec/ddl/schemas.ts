/**
 * CREATE SCHEMA and DROP SCHEMA. Each user schema has a heap schema `_heap_<name>` beside it, and
 * the learner role may use it. A schema created by an open transaction is invisible to other
 * sessions (a second CREATE SCHEMA of the same name waits for it, as on PostgreSQL's unique index);
 * DROP SCHEMA … CASCADE drops its tables, views and sequences like their own DROP statements, and
 * the schema is gone when the transaction commits.
 */
import type { PgMessage, StatementOutcome } from '../../api/results';
import type { PendingSchema } from '../../catalog/catalog';
import { objectVisibleTo, schemaExistsFor, searchPathSchemas } from '../../catalog/resolve';
import { executeDropTables } from './dropTable';
import type { EngineCore } from '../../core';
import { heapSchemaOf } from '../../storage/heapLayout';
import { PgError, unsupported } from '../../errors';
import { LockMode } from '../../locks/lockModes';
import { LEARNER_ROLE, quoteIdent } from '../../pglite/host';
import type { CreateSchemaStmt, DropStmt, Node } from '../../sql/ast';
import { makeNode, stringValue } from '../../sql/ast';
import type { Session, Task } from '../../session/session';
import { ensureXid, requireTransaction, transactionSnapshotBeforeLocks } from '../../xact/lifecycle';
import { acquireLock, currentOwner } from '../../waits/lockWait';
import { commandOk } from '../outcome';
import { emitNotices } from '../userQuery';
import { executeDropSequences } from './sequences';
import { executeDropViews } from './views';

/** Waits for the transaction that created or dropped a schema to end (the unique-index wait). */
function* waitForSchemaCreator(core: EngineCore, session: Session, pending: PendingSchema): Task<void> {
  const xid = pending.createdBy;
  if (xid === null) return;
  const tag = { type: 'transactionid', xid } as const;
  yield* acquireLock(core, session, tag, LockMode.Share);
  core.locks.release(tag, session.pid, currentOwner(session), LockMode.Share);
}

export function* executeCreateSchema(
  core: EngineCore,
  session: Session,
  stmt: CreateSchemaStmt,
): Task<StatementOutcome> {
  if ((stmt.schemaElts ?? []).length > 0)
    throw unsupported('CREATE SCHEMA with elements (create them one by one)');
  if (stmt.authrole) throw unsupported('CREATE SCHEMA … AUTHORIZATION');
  const name = stmt.schemaname ?? '';
  if (name === '') throw unsupported('CREATE SCHEMA without a name');
  transactionSnapshotBeforeLocks(core, session);
  const pending = core.catalog.pendingSchemas.get(name);
  if (pending && !objectVisibleTo(core, session, pending) && pending.createdBy !== null) {
    const own = new Set(session.transaction?.ownXids() ?? []);
    if (!own.has(pending.createdBy)) {
      yield* waitForSchemaCreator(core, session, pending);
      if (core.schemas.has(name)) {
        throw PgError.of(
          '23505',
          'duplicate key value violates unique constraint "pg_namespace_nspname_index"',
          {
            detail: `Key (nspname)=(${name}) already exists.`,
          },
        );
      }
    }
  }
  if (core.schemas.has(name)) {
    if (stmt.if_not_exists) {
      emitNotices(core, session, [
        { severity: 'NOTICE', sqlstate: '42P06', message: `schema "${name}" already exists, skipping` },
      ]);
      return commandOk('CREATE SCHEMA');
    }
    throw PgError.of('42P06', `schema "${name}" already exists`);
  }
  const heap = quoteIdent(heapSchemaOf(name));
  try {
    core.host.script(
      [
        `CREATE SCHEMA ${quoteIdent(name)}`,
        `CREATE SCHEMA ${heap}`,
        `GRANT USAGE ON SCHEMA ${quoteIdent(name)} TO ${LEARNER_ROLE}`,
      ].join(';\n'),
    );
  } catch (error) {
    if (error instanceof PgError) delete error.pg.position;
    throw error;
  }
  const xid = ensureXid(core, session);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  const created: PendingSchema = { name, createdBy: xid, droppedBy: null };
  core.schemas.add(name);
  core.catalog.pendingSchemas.set(name, created);
  transaction.currentLevel.undo.push(() => {
    core.host.script(
      `DROP SCHEMA IF EXISTS ${quoteIdent(name)} CASCADE;\nDROP SCHEMA IF EXISTS ${heap} CASCADE`,
    );
    core.schemas.delete(name);
    core.catalog.pendingSchemas.delete(name);
  });
  transaction.currentLevel.onCommit.push(() => {
    if (core.catalog.pendingSchemas.get(name) === created) core.catalog.pendingSchemas.delete(name);
  });
  return commandOk('CREATE SCHEMA');
}

function dropStatement(removeType: DropStmt['removeType'], names: readonly [string, string][]): DropStmt {
  return {
    removeType,
    behavior: 'DROP_CASCADE',
    objects: names.map(([schema, name]) =>
      makeNode('List', { items: [makeNode('String', { sval: schema }), makeNode('String', { sval: name })] }),
    ),
  };
}

/** The relations in a schema, as PostgreSQL's dependency report names them, in creation order. */
function schemaContents(core: EngineCore, session: Session, schema: string) {
  const visiblePath = searchPathSchemas(session).includes(schema);
  const shown = (kind: string, name: string): string => `${kind} ${visiblePath ? name : `${schema}.${name}`}`;
  const tables = core.catalog.all().filter((t) => t.schema === schema && objectVisibleTo(core, session, t));
  const views = [...core.catalog.views.values()].filter(
    (v) => v.schema === schema && objectVisibleTo(core, session, v),
  );
  const owned = new Set(core.catalog.all().flatMap((t) => t.ownedSequences ?? []));
  const sequences = core.host
    .rows(
      `SELECT c.relname, c.oid, format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY c.oid`,
      [schema],
    )
    .filter((row) => !owned.has(row[2] as string) && !(row[0] as string).includes('$dropped'))
    .map((row) => ({ name: row[0] as string, oid: Number(row[1]) }));
  const inSchema = new Set(tables.map((t) => t.oid));
  const foreignKeys = tables.flatMap((t) =>
    core.catalog
      .referencing(t.oid)
      .filter(({ table: child }) => !inSchema.has(child.oid))
      .map(({ table: child, key }) => ({
        oid: t.oid + 0.5,
        text: `constraint ${key.name} on table ${child.name}`,
      })),
  );
  const lines = [
    ...tables.map((t) => ({ oid: t.oid, text: shown('table', t.name) })),
    ...foreignKeys,
    ...views.map((v) => ({ oid: v.oid, text: shown('view', v.name) })),
    ...sequences.map((s) => ({ oid: s.oid, text: shown('sequence', s.name) })),
  ]
    .sort((a, b) => a.oid - b.oid)
    .map((l) => l.text);
  return { tables, views, sequences, lines };
}

export function* executeDropSchemas(
  core: EngineCore,
  session: Session,
  stmt: DropStmt,
): Task<StatementOutcome> {
  transactionSnapshotBeforeLocks(core, session);
  const notices: PgMessage[] = [];
  const names: string[] = [];
  for (const object of stmt.objects ?? []) {
    const name = stringValue(object as Node) ?? '';
    if (!schemaExistsFor(core, session, name)) {
      if (stmt.missing_ok) {
        notices.push({
          severity: 'NOTICE',
          sqlstate: '00000',
          message: `schema "${name}" does not exist, skipping`,
        });
        continue;
      }
      throw PgError.of('3F000', `schema "${name}" does not exist`);
    }
    names.push(name);
  }
  for (const name of names) {
    const contents = schemaContents(core, session, name);
    if (contents.lines.length > 0 && stmt.behavior !== 'DROP_CASCADE') {
      throw PgError.of('2BP01', `cannot drop schema ${name} because other objects depend on it`, {
        detail: contents.lines.map((line) => `${line} depends on schema ${name}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    if (contents.lines.length === 1) {
      notices.push({
        severity: 'NOTICE',
        sqlstate: '00000',
        message: `drop cascades to ${contents.lines[0] ?? ''}`,
      });
    } else if (contents.lines.length > 1) {
      notices.push({
        severity: 'NOTICE',
        sqlstate: '00000',
        message: `drop cascades to ${contents.lines.length} other objects`,
        detail: contents.lines.map((line) => `drop cascades to ${line}`).join('\n'),
      });
    }
    if (contents.views.length > 0) {
      yield* executeDropViews(
        core,
        session,
        dropStatement(
          'OBJECT_VIEW',
          contents.views.map((v) => [v.schema, v.name]),
        ),
        {
          quiet: true,
        },
      );
    }
    if (contents.tables.length > 0) {
      yield* executeDropTables(
        core,
        session,
        dropStatement(
          'OBJECT_TABLE',
          contents.tables.map((t) => [t.schema, t.name]),
        ),
        {
          quiet: true,
        },
      );
    }
    if (contents.sequences.length > 0) {
      yield* executeDropSequences(
        core,
        session,
        dropStatement(
          'OBJECT_SEQUENCE',
          contents.sequences.map((s) => [name, s.name]),
        ),
        { quiet: true },
      );
    }
  }
  const xid = ensureXid(core, session);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  for (const name of names) {
    const previous = core.catalog.pendingSchemas.get(name);
    const dropped: PendingSchema = { name, createdBy: previous?.createdBy ?? null, droppedBy: xid };
    core.catalog.pendingSchemas.set(name, dropped);
    transaction.currentLevel.undo.push(() => {
      if (previous) core.catalog.pendingSchemas.set(name, previous);
      else core.catalog.pendingSchemas.delete(name);
    });
    transaction.currentLevel.onCommit.push(() => {
      core.host.script(
        `DROP SCHEMA IF EXISTS ${quoteIdent(name)} CASCADE;\nDROP SCHEMA IF EXISTS ${quoteIdent(heapSchemaOf(name))} CASCADE`,
      );
      core.schemas.delete(name);
      core.catalog.pendingSchemas.delete(name);
    });
  }
  emitNotices(core, session, notices);
  return commandOk('DROP SCHEMA');
}
