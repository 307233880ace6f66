/**
 * INSERT … ON CONFLICT DO NOTHING / DO UPDATE, as ExecInsert's speculative-insertion loop runs it:
 * each proposed row first looks for a conflicting row on the arbiter keys (waiting for an
 * in-progress inserter, updater or deleter of one); without a conflict it is inserted; with one,
 * DO NOTHING skips it and DO UPDATE locks the existing row and updates it.
 */
import type { StatementOutcome } from '../api/results';
import type { TableInfo, UniqueKey } from '../catalog/catalog';
import type { EngineCore } from '../core';
import { discardVersion } from '../storage/heapWrites';
import { sameKeyVersions } from '../storage/versionReads';

/** Other versions with the same arbiter key as the proposed row, key by key. */
function conflictCandidates(
  core: EngineCore,
  table: TableInfo,
  keys: readonly UniqueKey[],
  proposal: number,
): number[] {
  const byKey = sameKeyVersions(core, table, keys, [proposal]);
  return keys.flatMap((_, i) => byKey.get(`${proposal}:${i}`) ?? []);
}
import { PgError, serializationFailure, unsupported } from '../errors';
import { quoteIdent } from '../pglite/host';
import { heapLockTuple } from '../rowlocks/lockTuple';
import { heapUpdateDecision } from '../rowlocks/modifyTuple';
import { RowLockMode } from '../tuples/rowLockModes';
import { visibleInSnapshot } from '../rowlocks/snapshotVisibility';
import { xactLockTableWait } from '../rowlocks/xactWait';
import { xidOracle } from '../rowlocks/xidOracle';
import type { InsertStmt, Node, OnConflictClause, ResTarget } from '../sql/ast';
import { asNode, makeNode, tagOf, columnRef, resTarget } from '../sql/ast';
import { deparseExpression, parseExpression } from '../sql/expressions';
import { deparse } from '../sql/parser';
import type { Session, Task } from '../session/session';
import { formatItemPointer, type TupleHeader } from '../tuples/tupleStore';
import {
  cleanHeapError,
  newVersionStatement,
  registerVersions,
  storedColumns,
} from '../storage/versionWrites';
import type { Snapshot } from '../transam/snapshot';
import { ensureXid, requireTransaction } from '../xact/lifecycle';
import { fireForeignKeyTriggers, type RowChange, type WriteRunner } from './riTriggers';
import { insertIntoHeap } from './heapInsert';
import { commandOk, rowsShown } from './outcome';
import { expandStars } from './queryBuilding';
import { singleVersionRange } from '../storage/versionSources';
import { checkUniqueKeys, dirtyState } from './uniqueCheck';
import { runUserQuery } from './userQuery';

function arbiterKeys(table: TableInfo, clause: OnConflictClause): UniqueKey[] {
  const infer = clause.infer;
  if (!infer) {
    if (clause.action === 'ONCONFLICT_UPDATE') {
      throw PgError.of('42601', 'ON CONFLICT DO UPDATE requires inference specification or constraint name', {
        hint: 'For example, ON CONFLICT (column_name).',
      });
    }
    return table.uniqueKeys;
  }
  if (infer.conname) {
    const key = table.uniqueKeys.find((k) => k.name === infer.conname);
    if (!key)
      throw PgError.of('42704', `constraint "${infer.conname}" for table "${table.name}" does not exist`);
    return [key];
  }
  if (infer.whereClause) throw unsupported('ON CONFLICT with a partial-index predicate');
  const columns = (infer.indexElems ?? []).map((e) => {
    const elem = asNode(e, 'IndexElem');
    if (!elem?.name) throw unsupported('ON CONFLICT on expressions');
    return elem.name;
  });
  const keys = table.uniqueKeys.filter(
    (k) => k.columns.length === columns.length && k.columns.every((c) => columns.includes(c)),
  );
  if (keys.length === 0) {
    throw PgError.of(
      '42P10',
      'there is no unique or exclusion constraint matching the ON CONFLICT specification',
    );
  }
  return keys;
}

/** ExecUpdateLockMode: a key column named in SET means the strong lock. */
function conflictUpdateLockMode(table: TableInfo, clause: OnConflictClause): RowLockMode {
  const keyColumns = new Set(table.uniqueKeys.flatMap((k) => k.columns));
  const setsKey = (clause.targetList ?? []).some((t) => keyColumns.has(asNode(t, 'ResTarget')?.name ?? ''));
  return setsKey ? RowLockMode.Update : RowLockMode.NoKeyUpdate;
}

/** DO UPDATE's new version: SET evaluated over the existing row (target name) and `excluded`. */
function writeConflictUpdate(
  core: EngineCore,
  session: Session,
  table: TableInfo,
  stmt: InsertStmt,
  clause: OnConflictClause,
  existing: number,
  proposal: number,
  snapshot: Snapshot,
): { tid: number; size: number; keyIntact: boolean } | null {
  const alias = stmt.relation?.alias?.aliasname ?? table.name;
  const sets = (clause.targetList ?? []).map((t) => asNode(t, 'ResTarget') as ResTarget);
  for (const set of sets) {
    if (!set.val || tagOf(set.val) === 'MultiAssignRef' || (set.indirection ?? []).length > 0) {
      throw unsupported('this form of DO UPDATE SET');
    }
  }
  const keyColumns = new Set(table.uniqueKeys.flatMap((k) => k.columns));
  const keyTests = sets
    .filter((s) => keyColumns.has(s.name ?? ''))
    .map(
      (s) =>
        `((${deparseExpression(s.val as Node)}) IS NOT DISTINCT FROM ${quoteIdent(alias)}.${quoteIdent(s.name ?? '')})`,
    );
  const insert = newVersionStatement(table, {
    values: storedColumns(table).map(
      (column) => sets.find((s) => s.name === column.name)?.val ?? columnRef(alias, column.name),
    ),
    fromClause: [singleVersionRange(table, alias, existing), singleVersionRange(table, 'excluded', proposal)],
    whereClause: clause.whereClause,
  });
  // The key test reads the existing row and the SET values before the insert.
  const keyIntact =
    keyTests.length === 0 ||
    runUserQuery(
      core,
      session,
      deparse(
        makeNode('SelectStmt', {
          targetList: [resTarget(parseExpression(keyTests.join(' AND ')))],
          fromClause: [
            singleVersionRange(table, alias, existing),
            singleVersionRange(table, 'excluded', proposal),
          ],
          limitOption: 'LIMIT_OPTION_DEFAULT',
          op: 'SETOP_NONE',
        }),
      ),
      { snapshot, positionOffset: null, asEngine: true },
    ).rows?.[0]?.[0] === 't';
  let rows;
  try {
    rows = runUserQuery(core, session, deparse(insert), {
      snapshot,
      positionOffset: null,
      asEngine: true,
    }).rows;
  } catch (error) {
    throw cleanHeapError(error);
  }
  const row = rows?.[0];
  return row ? { tid: Number(row[0]), size: Number(row[1]), keyIntact } : null;
}

export function* executeInsertOnConflict(
  core: EngineCore,
  session: Session,
  table: TableInfo,
  stmt: InsertStmt,
  snapshot: Snapshot,
  runWrite: WriteRunner,
): Task<StatementOutcome> {
  const clause = stmt.onConflictClause as OnConflictClause;
  const keys = arbiterKeys(table, clause);
  const otherKeys = table.uniqueKeys.filter((k) => !keys.includes(k));
  const transaction = requireTransaction(session);
  const xid = ensureXid(core, session);
  const cid = transaction.commandId;
  const oracle = xidOracle(core, session);
  const usesSnapshot = transaction.usesTransactionSnapshot();
  const proposals = insertIntoHeap(core, session, table, stmt, snapshot, { register: false });
  const changes: RowChange[] = [];
  const returningTids: number[] = [];

  for (const proposal of proposals.versions) {
    retry: for (;;) {
      let conflict: TupleHeader | null = null;
      for (const other of conflictCandidates(core, table, keys, proposal.tid)) {
        const header = core.tuples.get(other);
        if (!header) continue;
        const state = dirtyState(header, oracle);
        if (!state.visible) continue;
        if (state.waitFor !== null) {
          yield* xactLockTableWait(
            core,
            session,
            state.waitFor,
            `while inserting index tuple ${formatItemPointer(header.ctid)} in relation "${table.name}"`,
          );
          continue retry;
        }
        conflict = header;
        break;
      }
      if (!conflict) {
        registerVersions(core, table, [proposal], xid, cid);
        yield* checkUniqueKeys(core, session, table, [proposal.tid], otherKeys);
        changes.push({ oldTid: null, newTid: proposal.tid });
        returningTids.push(proposal.tid);
        break;
      }
      const invisibleToUs = (): boolean =>
        !oracle.isOwn(conflict.xmin) &&
        !visibleInSnapshot(conflict, transaction.snapshot ?? snapshot, oracle, cid);
      if (clause.action === 'ONCONFLICT_NOTHING') {
        if (usesSnapshot && invisibleToUs()) throw serializationFailure('update');
        discardVersion(core, table, proposal.tid);
        break;
      }
      const result = yield* heapLockTuple(
        core,
        session,
        table,
        conflict.tid,
        conflictUpdateLockMode(table, clause),
        'block',
        false,
      );
      if (result === 'Invisible') {
        if (oracle.isOwn(conflict.xmin)) {
          throw PgError.of('21000', 'ON CONFLICT DO UPDATE command cannot affect row a second time', {
            hint: 'Ensure that no rows proposed for insertion within the same command have duplicate constrained values.',
          });
        }
        throw new Error('attempted to lock invisible tuple');
      }
      if (result === 'Updated' || result === 'Deleted') {
        if (usesSnapshot) throw serializationFailure(result === 'Updated' ? 'update' : 'delete');
        continue retry;
      }
      if (result !== 'Ok') throw new Error(`unexpected self-updated tuple (${result})`);
      if (usesSnapshot && invisibleToUs()) throw serializationFailure('update');
      const update = writeConflictUpdate(
        core,
        session,
        table,
        stmt,
        clause,
        conflict.tid,
        proposal.tid,
        snapshot,
      );
      discardVersion(core, table, proposal.tid);
      if (!update) break;
      const decision = yield* heapUpdateDecision(core, session, table, conflict, update.keyIntact);
      if (decision.result !== 'Ok')
        throw new Error(`unexpected heap_update result ${decision.result} after locking`);
      registerVersions(core, table, [update], xid, cid, {
        preferPage: conflict.ctid.page,
        xmax: decision.carriedXmax ?? null,
      });
      conflict.xmax = decision.newXmax ?? null;
      conflict.cmax = cid;
      conflict.next = update.tid;
      core.markHeaderDirty(conflict);
      if (!update.keyIntact) yield* checkUniqueKeys(core, session, table, [update.tid]);
      changes.push({ oldTid: conflict.tid, newTid: update.tid });
      returningTids.push(update.tid);
      break;
    }
  }

  yield* fireForeignKeyTriggers(core, session, table, changes, runWrite);
  const tag = `INSERT 0 ${returningTids.length}`;
  const returning = stmt.returningClause?.exprs ?? [];
  if (returning.length === 0) return commandOk(tag);
  const alias = stmt.relation?.alias?.aliasname ?? table.name;
  const exprs = expandStars(returning, [makeNode('RangeVar', { relname: alias })], new Map([[alias, table]]));
  const rows: (string | null)[][] = [];
  let fields = proposals.returning?.fields ?? [];
  for (const tid of returningTids) {
    const outcome = runUserQuery(
      core,
      session,
      deparse(
        makeNode('SelectStmt', {
          targetList: exprs,
          fromClause: [singleVersionRange(table, alias, tid)],
          limitOption: 'LIMIT_OPTION_DEFAULT',
          op: 'SETOP_NONE',
        }),
      ),
      { snapshot, positionOffset: null, asEngine: true },
    );
    fields = outcome.fields ?? fields;
    rows.push(...(outcome.rows ?? []));
  }
  return rowsShown(core.options.maxResultRows, tag, fields, rows);
}
