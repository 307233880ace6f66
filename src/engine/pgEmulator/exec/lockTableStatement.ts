/**
 * LOCK TABLE … IN … MODE [NOWAIT]: only inside a transaction block; tables locked in the order named.
 */
import type { StatementOutcome } from '../api/results';
import { relationDoesNotExist, resolveTable } from '../catalog/resolve';
import type { EngineCore } from '../core';
import { PgError, unsupported } from '../errors';
import { lockModeFromNumber } from '../locks/lockModes';
import type { LockStmt, RangeVar } from '../sql/ast';
import { asNode } from '../sql/ast';
import type { Session, Task } from '../session/session';
import { commandOk } from './outcome';
import { lockTable } from './tableLocks';

export function* executeLockTable(
  core: EngineCore,
  session: Session,
  stmt: LockStmt,
): Task<StatementOutcome> {
  if (session.block === 'none')
    throw PgError.of('25P01', 'LOCK TABLE can only be used in transaction blocks');
  const mode = lockModeFromNumber(stmt.mode ?? 8);
  for (const relation of stmt.relations ?? []) {
    const rangeVar = asNode(relation, 'RangeVar') as RangeVar;
    const table = resolveTable(core, session, rangeVar);
    if (!table) {
      if (rangeVar.schemaname === 'pg_catalog' || (rangeVar.relname ?? '').startsWith('pg_')) {
        throw unsupported('LOCK TABLE on system catalogs');
      }
      throw relationDoesNotExist(rangeVar);
    }
    yield* lockTable(core, session, table, mode, { noWait: stmt.nowait === true, rangeVar, indexes: false });
  }
  return commandOk('LOCK TABLE');
}
