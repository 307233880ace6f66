/**
 * CREATE, ALTER, DROP and RENAME of sequences. The sequences live in PGlite; the engine adds
 * PostgreSQL's locks and transactional behaviour:
 * - CREATE SEQUENCE: hidden from other sessions until commit, dropped on rollback;
 * - ALTER SEQUENCE: ShareRowExclusiveLock (nextval waits for it), and since PostgreSQL 10 a rollback
 *   restores the sequence as it was before the ALTER, including nextval calls made after it;
 * - DROP SEQUENCE: AccessExclusiveLock; the name is free at once, the sequence is gone at commit.
 * nextval/setval themselves stay non-transactional (see sequenceFunctions.ts).
 */
import type { PgMessage, StatementOutcome } from '../../api/results';
import type { SequenceInfo } from '../../catalog/catalog';
import { creationSchema, searchPathSchemas } from '../../catalog/resolve';
import type { EngineCore } from '../../core';
import { heapSchemaOf, userNamesInText } from '../../storage/heapLayout';
import { PgError, unsupported } from '../../errors';
import { LockMode } from '../../locks/lockModes';
import { LEARNER_ROLE, quoteIdent, quoteLiteral } from '../../pglite/host';
import type { AlterSeqStmt, CreateSeqStmt, DropStmt, Node, RenameStmt } from '../../sql/ast';
import { asNode, makeNode, nameList } from '../../sql/ast';
import { deparse } from '../../sql/parser';
import type { Session, Task } from '../../session/session';
import { ensureXid, requireTransaction, transactionSnapshotBeforeLocks } from '../../xact/lifecycle';
import { acquireLock } from '../../waits/lockWait';
import { commandOk } from '../outcome';
import { emitNotices } from '../userQuery';
import { relationNameTaken } from './relationNames';
import { schemaExistsFor } from '../../catalog/resolve';
import { qualifiedSequence, resolveSequence, sequenceTag } from './sequenceCatalog';
import { ensureSequenceFunctions } from './sequenceFunctions';

function withoutPosition(error: unknown): unknown {
  if (!(error instanceof PgError) || error.pg.position === undefined) return error;
  const pg = { ...error.pg };
  delete pg.position;
  return new PgError(pg);
}

/** Names of heaps in PostgreSQL's texts stand for the user tables (same name, the user's schema). */
function withoutHeapSchemas(error: unknown): unknown {
  if (!(error instanceof PgError)) return error;
  const strip = (text: string | undefined): string | undefined =>
    text === undefined ? undefined : userNamesInText(text);
  const pg = { ...error.pg, message: strip(error.pg.message) ?? '' };
  const detail = strip(error.pg.detail);
  if (detail !== undefined) pg.detail = detail;
  return new PgError(pg);
}

function rejectOwnedBy(options: readonly Node[] | undefined): void {
  for (const option of options ?? []) {
    if (asNode(option, 'DefElem')?.defname === 'owned_by') throw unsupported('sequences OWNED BY a column');
  }
}

function* lockSequence(
  core: EngineCore,
  session: Session,
  sequence: SequenceInfo,
  mode: LockMode,
): Task<void> {
  yield* acquireLock(core, session, sequenceTag(sequence), mode);
  if (!core.catalog.sequences.has(sequence.oid)) {
    throw PgError.of('42P01', `relation "${sequence.name}" does not exist`);
  }
}

export function* executeCreateSequence(
  core: EngineCore,
  session: Session,
  stmt: CreateSeqStmt,
): Task<StatementOutcome> {
  const rangeVar = stmt.sequence;
  if (!rangeVar?.relname) throw new Error('CREATE SEQUENCE without a name');
  if (rangeVar.relpersistence === 't') throw unsupported('temporary sequences');
  if (rangeVar.relpersistence === 'u') throw unsupported('unlogged sequences');
  rejectOwnedBy(stmt.options);
  transactionSnapshotBeforeLocks(core, session);
  ensureSequenceFunctions(core);
  const name = rangeVar.relname;
  const schema = rangeVar.schemaname ?? creationSchema(core, session);
  if (!schemaExistsFor(core, session, schema)) throw PgError.of('3F000', `schema "${schema}" does not exist`);
  if (relationNameTaken(core, schema, name)) {
    if (stmt.if_not_exists) {
      emitNotices(core, session, [
        { severity: 'NOTICE', sqlstate: '42P07', message: `relation "${name}" already exists, skipping` },
      ]);
      return commandOk('CREATE SEQUENCE');
    }
    throw PgError.of('42P07', `relation "${name}" already exists`);
  }
  const qualified = `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const sql = deparse(
    makeNode('CreateSeqStmt', {
      ...stmt,
      if_not_exists: false,
      sequence: { ...rangeVar, schemaname: schema },
    }),
  );
  try {
    core.host.script(`${sql};\nGRANT USAGE, SELECT, UPDATE ON SEQUENCE ${qualified} TO ${LEARNER_ROLE}`);
  } catch (error) {
    throw withoutPosition(error);
  }
  const [row] = core.host.rows(`SELECT ${quoteLiteral(qualified)}::regclass::oid`);
  const xid = ensureXid(core, session);
  const sequence: SequenceInfo = { oid: Number(row?.[0]), schema, name, createdBy: xid, droppedBy: null };
  core.catalog.sequences.set(sequence.oid, sequence);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  transaction.currentLevel.undo.push(() => {
    core.host.script(`DROP SEQUENCE IF EXISTS ${qualifiedSequence(sequence)}`);
    core.catalog.sequences.delete(sequence.oid);
  });
  transaction.currentLevel.onCommit.push(() => {
    sequence.createdBy = null;
  });
  yield* lockSequence(core, session, sequence, LockMode.AccessExclusive);
  return commandOk('CREATE SEQUENCE');
}

/** ALTER SEQUENCE's undo: every parameter and the current value as they were. */
function savedSequenceSql(core: EngineCore, sequence: SequenceInfo): string {
  const qualified = qualifiedSequence(sequence);
  const [row] = core.host.rows(
    `SELECT format_type(p.seqtypid, NULL), p.seqstart, p.seqincrement, p.seqmin, p.seqmax, p.seqcache, p.seqcycle,
            s.last_value, s.is_called
       FROM pg_sequence p, ${qualified} s WHERE p.seqrelid = $1::oid`,
    [String(sequence.oid)],
  );
  if (!row) throw new Error(`sequence ${qualified} has no pg_sequence row`);
  const [type, start, increment, min, max, cache, cycle, last, called] = row;
  return [
    `ALTER SEQUENCE ${qualified} AS ${type} INCREMENT BY ${increment} MINVALUE ${min} MAXVALUE ${max} START WITH ${start} CACHE ${cache} ${cycle === 't' ? 'CYCLE' : 'NO CYCLE'}`,
    `SELECT setval(${quoteLiteral(qualified)}::regclass, ${last}, ${called === 't'})`,
  ].join(';\n');
}

export function* executeAlterSequence(
  core: EngineCore,
  session: Session,
  stmt: AlterSeqStmt,
): Task<StatementOutcome> {
  const rangeVar = stmt.sequence;
  if (!rangeVar?.relname) throw new Error('ALTER SEQUENCE without a name');
  rejectOwnedBy(stmt.options);
  if (stmt.for_identity) throw unsupported('ALTER SEQUENCE of identity columns');
  transactionSnapshotBeforeLocks(core, session);
  const sequence = resolveSequence(core, session, rangeVar.schemaname, rangeVar.relname);
  if (sequence === undefined || sequence === 'invisible') {
    if (stmt.missing_ok) {
      emitNotices(core, session, [
        {
          severity: 'NOTICE',
          sqlstate: '00000',
          message: `relation "${rangeVar.relname}" does not exist, skipping`,
        },
      ]);
      return commandOk('ALTER SEQUENCE');
    }
    throw PgError.of('42P01', `relation "${rangeVar.relname}" does not exist`);
  }
  yield* lockSequence(core, session, sequence, LockMode.ShareRowExclusive);
  const restore = savedSequenceSql(core, sequence);
  const sql = deparse(
    makeNode('AlterSeqStmt', {
      ...stmt,
      missing_ok: false,
      sequence: { ...rangeVar, schemaname: sequence.schema, relname: sequence.storedAs ?? sequence.name },
    }),
  );
  try {
    core.host.script(sql);
  } catch (error) {
    throw withoutPosition(error);
  }
  ensureXid(core, session);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  transaction.currentLevel.undo.push(() => {
    core.host.script(restore);
  });
  return commandOk('ALTER SEQUENCE');
}

function park(core: EngineCore, sequence: SequenceInfo, storedAs: string | undefined): void {
  core.host.script(
    `ALTER SEQUENCE ${qualifiedSequence(sequence)} RENAME TO ${quoteIdent(storedAs ?? sequence.name)}`,
  );
  sequence.storedAs = storedAs;
}

export function* executeDropSequences(
  core: EngineCore,
  session: Session,
  stmt: DropStmt,
  options: { quiet?: boolean } = {},
): Task<StatementOutcome> {
  transactionSnapshotBeforeLocks(core, session);
  const notices: PgMessage[] = [];
  const sequences: SequenceInfo[] = [];
  for (const object of stmt.objects ?? []) {
    const names = nameList(asNode(object, 'List')?.items);
    const name = names[names.length - 1] ?? '';
    const schema = names.length > 1 ? names[names.length - 2] : undefined;
    const sequence = resolveSequence(core, session, schema, name);
    if (sequence === undefined || sequence === 'invisible') {
      const shown = names.join('.');
      if (stmt.missing_ok) {
        notices.push({
          severity: 'NOTICE',
          sqlstate: '00000',
          message: `sequence "${shown}" does not exist, skipping`,
        });
        continue;
      }
      throw PgError.of('42P01', `sequence "${shown}" does not exist`);
    }
    yield* lockSequence(core, session, sequence, LockMode.AccessExclusive);
    sequences.push(sequence);
  }
  // PostgreSQL's dependency check (a column default using the sequence), without dropping anything.
  if (sequences.length > 0) {
    const drop = `DROP SEQUENCE ${sequences.map(qualifiedSequence).join(', ')}`;
    const path = searchPathSchemas(session).flatMap((s) => [quoteIdent(heapSchemaOf(s)), quoteIdent(s)]);
    try {
      core.host.script(
        `BEGIN;\nSET LOCAL search_path TO ${path.join(', ') || 'pg_catalog'};\n${drop};\nROLLBACK`,
      );
    } catch (error) {
      core.host.script('ROLLBACK');
      if (stmt.behavior === 'DROP_CASCADE')
        throw unsupported('DROP SEQUENCE … CASCADE of a sequence a column default uses');
      throw withoutHeapSchemas(withoutPosition(error));
    }
  }
  const xid = ensureXid(core, session);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  for (const sequence of sequences) {
    sequence.droppedBy = xid;
    park(core, sequence, `${sequence.name}$dropped${sequence.oid}`);
    transaction.currentLevel.undo.push(() => {
      park(core, sequence, undefined);
      sequence.droppedBy = null;
    });
    transaction.currentLevel.onCommit.push(() => {
      core.host.script(`DROP SEQUENCE IF EXISTS ${qualifiedSequence(sequence)}`);
      core.catalog.sequences.delete(sequence.oid);
    });
  }
  if (!options.quiet) emitNotices(core, session, notices);
  return commandOk('DROP SEQUENCE');
}

export function* executeRenameSequence(
  core: EngineCore,
  session: Session,
  stmt: RenameStmt,
): Task<StatementOutcome> {
  const rangeVar = stmt.relation;
  if (!rangeVar?.relname) throw new Error('ALTER SEQUENCE … RENAME without a name');
  transactionSnapshotBeforeLocks(core, session);
  const sequence = resolveSequence(core, session, rangeVar.schemaname, rangeVar.relname);
  if (sequence === undefined || sequence === 'invisible') {
    if (stmt.missing_ok) {
      emitNotices(core, session, [
        {
          severity: 'NOTICE',
          sqlstate: '00000',
          message: `relation "${rangeVar.relname}" does not exist, skipping`,
        },
      ]);
      return commandOk('ALTER SEQUENCE');
    }
    throw PgError.of('42P01', `relation "${rangeVar.relname}" does not exist`);
  }
  yield* lockSequence(core, session, sequence, LockMode.AccessExclusive);
  const from = sequence.name;
  const to = stmt.newname ?? '';
  if (relationNameTaken(core, sequence.schema, to))
    throw PgError.of('42P07', `relation "${to}" already exists`);
  const rename = (name: string): void => {
    core.host.script(`ALTER SEQUENCE ${qualifiedSequence(sequence)} RENAME TO ${quoteIdent(name)}`);
    sequence.name = name;
  };
  rename(to);
  ensureXid(core, session);
  const transaction = requireTransaction(session);
  transaction.commandIdUsed = true;
  transaction.currentLevel.undo.push(() => rename(from));
  return commandOk('ALTER SEQUENCE');
}
