/**
 * A session's open transaction: isolation, lazily assigned xids (top level and per savepoint),
 * command ids, the transaction snapshot of REPEATABLE READ / SERIALIZABLE, and the heap tables each
 * (sub)transaction wrote, so an abort can remove its row versions.
 */
import type { IsolationLevelName } from '../api/views';
import type { Snapshot } from './snapshot';
import type { Xid } from './xidStatus';

/** One level of the transaction: the top level (index 0) or a savepoint. */
export interface TransactionLevel {
  /** Savepoint name; null for the top level. */
  name: string | null;
  /** Lock owner id of this level. */
  owner: number;
  xid: Xid | null;
  /** True once an error aborted this level (the block is then in the aborted state). */
  aborted: boolean;
  /** Undo actions for DDL done at this level, run in reverse on abort. */
  undo: (() => void)[];
  /** Actions to run when the top level commits (e.g. dropping a heap after DROP TABLE). */
  onCommit: (() => void)[];
  /**
   * DDL run at this level whose locks pg_locks cannot show as PostgreSQL does (on indexes, TOAST
   * tables, catalogs, new relations): while it is there, reading pg_locks is refused.
   */
  unshownLocks: string[];
}

export class Transaction {
  isolation: IsolationLevelName;
  readOnly: boolean;
  deferrable: boolean;
  /** The transaction snapshot (REPEATABLE READ, SERIALIZABLE) once the first statement took it. */
  snapshot: Snapshot | null = null;
  /** True once any statement took a snapshot: isolation can no longer change (25001). */
  snapshotTaken = false;
  commandId = 0;
  /** The current command id was used by a write (so it must advance after the statement). */
  commandIdUsed = false;
  readonly levels: TransactionLevel[];
  /** Every xid this transaction assigned, top level first. */
  readonly xids: Xid[] = [];
  /** Subtransaction xids rolled back (their row versions are gone). */
  readonly abortedXids = new Set<Xid>();
  /** Heap tables (by OID) any level wrote into, so abort cleanup knows where to look. */
  readonly writtenTables = new Set<number>();

  constructor(
    readonly vxid: string,
    /** Virtual time at transaction start: now() / transaction_timestamp(). */
    readonly startTime: number,
    /** Begun by BEGIN / START TRANSACTION (otherwise implicit). */
    public explicit: boolean,
    isolation: IsolationLevelName,
    readOnly: boolean,
    deferrable: boolean,
    topOwner: number,
  ) {
    this.isolation = isolation;
    this.readOnly = readOnly;
    this.deferrable = deferrable;
    this.levels = [newLevel(null, topOwner)];
  }

  get topLevel(): TransactionLevel {
    return this.levels[0] as TransactionLevel;
  }

  get currentLevel(): TransactionLevel {
    return this.levels[this.levels.length - 1] as TransactionLevel;
  }

  get topXid(): Xid | null {
    return this.topLevel.xid;
  }

  /** True in the aborted state: some level is aborted and not yet rolled back. */
  get failed(): boolean {
    return this.levels.some((l) => l.aborted);
  }

  /** Xids whose writes this transaction sees as its own: all it assigned, minus rolled-back savepoints. */
  ownXids(): Xid[] {
    return this.xids.filter((xid) => !this.abortedXids.has(xid));
  }

  /** IsolationUsesXactSnapshot: REPEATABLE READ and SERIALIZABLE keep the first statement's snapshot. */
  usesTransactionSnapshot(): boolean {
    return this.isolation === 'repeatable read' || this.isolation === 'serializable';
  }

  pushSavepoint(name: string, owner: number): TransactionLevel {
    const level = newLevel(name, owner);
    this.levels.push(level);
    return level;
  }
}

function newLevel(name: string | null, owner: number): TransactionLevel {
  return { name, owner, xid: null, aborted: false, undo: [], onCommit: [], unshownLocks: [] };
}
