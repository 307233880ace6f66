/**
 * DROP of any kind: the one dispatcher, by the kind of object the statement names.
 */
import type { StatementOutcome } from '../../api/results';
import type { EngineCore } from '../../core';
import { unsupported } from '../../errors';
import type { DropStmt } from '../../sql/ast';
import type { Session, Task } from '../../session/session';
import { executeDropTables } from './dropTable';
import { executeDropSchemas } from './schemas';
import { executeDropSequences } from './sequences';
import { executeDropViews } from './views';

export function* executeDrop(core: EngineCore, session: Session, stmt: DropStmt): Task<StatementOutcome> {
  switch (stmt.removeType) {
    case 'OBJECT_TABLE':
      return yield* executeDropTables(core, session, stmt);
    case 'OBJECT_SEQUENCE':
      return yield* executeDropSequences(core, session, stmt);
    case 'OBJECT_VIEW':
      return yield* executeDropViews(core, session, stmt);
    case 'OBJECT_SCHEMA':
      return yield* executeDropSchemas(core, session, stmt);
    default:
      throw unsupported(`DROP ${(stmt.removeType ?? '').replace('OBJECT_', '')}`);
  }
}
