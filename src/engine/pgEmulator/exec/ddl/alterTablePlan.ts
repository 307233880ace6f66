/**
 * What one ALTER TABLE will do, collected from its subcommands before anything changes: the
 * ALTER TABLE to run on the heap (and on a scratch copy first, to learn PostgreSQL's verdict and
 * whether it rewrites the table), extra SQL around it, how to reverse each change on rollback, the
 * checks of existing rows, and the changes to the engine's own catalog (keys, foreign keys).
 */
import type { PgMessage } from '../../api/results';
import type { ForeignKey, TableInfo, UniqueKey } from '../../catalog/catalog';
import type { EngineCore } from '../../core';
import type { Node } from '../../sql/ast';
import { makeNode } from '../../sql/ast';
import { deparse } from '../../sql/parser';
import type { Session } from '../../session/session';

/** SQL for a relation given by its qualified name (the heap, or the scratch copy). */
export type RelationSql = (relation: string) => string;

/** A check of the rows that exist when the ALTER runs (PostgreSQL's phase 3). */
export type ExistingRowCheck =
  | { kind: 'notNull'; column: string }
  | { kind: 'check'; constraint: CheckName }
  | { kind: 'unique'; key: UniqueKey }
  | { kind: 'foreignKey'; key: ForeignKey };

/** A CHECK constraint's name; null until PostgreSQL has chosen one for an unnamed constraint. */
export interface CheckName {
  name: string | null;
}

export class AlterTablePlan {
  /** Subcommands of the ALTER TABLE run on the heap (and on the scratch copy). */
  readonly heapCommands: Node[] = [];
  /** Subcommands run only on the scratch copy (what the engine does differently on the heap). */
  readonly probeCommands: Node[] = [];
  /** SQL before the heap's ALTER TABLE; `inProbe` ones also run on the scratch copy. */
  readonly before: { sql: RelationSql; inProbe: boolean }[] = [];
  /** SQL after the heap's ALTER TABLE (also on the scratch copy). */
  readonly after: RelationSql[] = [];
  /** SQL reversing the heap changes, in the order the changes were made (run backwards). */
  readonly inverse: RelationSql[] = [];
  /** SQL run on the heap when the transaction commits (removing parked columns). */
  readonly atCommit: RelationSql[] = [];
  /** Retyped columns and the expression (SQL over the old row) a rewrite computes them with. */
  readonly retyped = new Map<string, string>();
  readonly checks: ExistingRowCheck[] = [];
  /** CHECK constraints added without a name, in order: named from the heap once they exist. */
  readonly unnamedChecks: CheckName[] = [];
  /** Changes to the engine's catalog; each returns its undo. Applied after the heap changes. */
  readonly catalogChanges: (() => () => void)[] = [];
  readonly notices: PgMessage[] = [];
  /** Columns added by this statement (a rewrite does not copy them: they get their defaults). */
  readonly addedColumns = new Set<string>();
  /** Columns dropped (parked) by this statement (a rewrite does not copy them). */
  readonly droppedColumns = new Set<string>();
  /** Constraint names this statement adds (so two new ones do not collide). */
  readonly newConstraintNames = new Set<string>();
  /** Keys this statement adds. */
  readonly newKeys: UniqueKey[] = [];
  /** Columns this statement makes NOT NULL (once each). */
  readonly notNullColumns = new Set<string>();
  /** The column names the statement sees so far (see alterTableColumns.planColumns). */
  columnNames: Set<string> | undefined;
  /** A DROP COLUMN said CASCADE (the scratch copy drops with RESTRICT). */
  dropCascade = false;
  /** Whether PostgreSQL rewrites the table for this statement (known once the scratch copy ran). */
  rewrites = false;
  private parkedCount = 0;

  constructor(
    readonly core: EngineCore,
    readonly session: Session,
    readonly table: TableInfo,
    /** The altering (sub)transaction: names parked columns uniquely. */
    readonly xid: number,
  ) {}

  /** A hidden name for a dropped column while the drop has not committed. */
  parkedName(): string {
    this.parkedCount += 1;
    return `__dropped_${this.xid}_${this.parkedCount}`;
  }

  notice(message: string, sqlstate = '00000'): void {
    this.notices.push({ severity: 'NOTICE', sqlstate, message });
  }
}

const PLACEHOLDER = '__engine_relation__';

/** `ALTER TABLE <relation> <subcommands>` as SQL, for any relation given as qualified SQL. */
export function alterTableSql(commands: readonly Node[]): RelationSql {
  const sql = deparse(
    makeNode('AlterTableStmt', {
      relation: { relname: PLACEHOLDER, inh: true, relpersistence: 'p' },
      cmds: [...commands],
      objtype: 'OBJECT_TABLE',
    }),
  );
  const start = sql.indexOf(PLACEHOLDER);
  const before = sql.slice(0, start);
  const rest = sql.slice(start + PLACEHOLDER.length);
  return (relation) => `${before}${relation}${rest}`;
}
