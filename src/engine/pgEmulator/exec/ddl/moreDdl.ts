/**
 * Routes the DDL beyond CREATE/DROP TABLE and CREATE INDEX to its executors: ALTER TABLE, RENAME,
 * TRUNCATE, schemas, sequences and views. dispatch.ts sends these statement types here.
 */
import type { StatementOutcome } from '../../api/results';
import type { EngineCore } from '../../core';
import { unsupported } from '../../errors';
import type { Node } from '../../sql/ast';
import { asNode, tagOf } from '../../sql/ast';
import type { Session, Task } from '../../session/session';
import { executeAlterTable } from './alterTable';
import { executeRenameTable } from './renameTable';
import { executeAlterSequence, executeCreateSequence, executeRenameSequence } from './sequences';
import { executeCreateSchema } from './schemas';
import { executeTruncate } from './truncate';
import { isVisibleView } from './viewCatalog';
import { executeCreateView, executeRenameView } from './views';

export function* executeMoreDdl(core: EngineCore, session: Session, node: Node): Task<StatementOutcome> {
  const tag = tagOf(node);
  switch (tag) {
    case 'AlterTableStmt':
      return yield* executeAlterTable(core, session, asNode(node, 'AlterTableStmt') ?? {});
    case 'RenameStmt': {
      const rename = asNode(node, 'RenameStmt') ?? {};
      if (rename.renameType === 'OBJECT_SEQUENCE') return yield* executeRenameSequence(core, session, rename);
      if (
        rename.renameType === 'OBJECT_VIEW' ||
        (rename.relation && isVisibleView(core, session, rename.relation))
      ) {
        return yield* executeRenameView(core, session, rename);
      }
      return yield* executeRenameTable(core, session, rename);
    }
    case 'CreateSchemaStmt':
      return yield* executeCreateSchema(core, session, asNode(node, 'CreateSchemaStmt') ?? {});
    case 'ViewStmt':
      return yield* executeCreateView(core, session, asNode(node, 'ViewStmt') ?? {});
    case 'CreateSeqStmt':
      return yield* executeCreateSequence(core, session, asNode(node, 'CreateSeqStmt') ?? {});
    case 'AlterSeqStmt':
      return yield* executeAlterSequence(core, session, asNode(node, 'AlterSeqStmt') ?? {});
    case 'TruncateStmt':
      return yield* executeTruncate(core, session, asNode(node, 'TruncateStmt') ?? {});
    default:
      throw unsupported(`the ${tag.replace(/Stmt$/, '')} statement`);
  }
}
