/**
 * The engine's catalog of user tables: columns, keys, foreign keys, and where each table's row
 * versions live. PostgreSQL's own catalogs (in PGlite) hold the user-visible view and the heap; this
 * catalog adds what the engine's executor needs and tracks which transaction created or dropped a
 * table, so that other sessions do not see uncommitted DDL.
 */
import type { Xid } from '../transam/xidStatus';

export interface ColumnInfo {
  name: string;
  /** Type as `format_type` prints it, e.g. `integer`, `character varying(10)`. */
  type: string;
  typeOid: number;
  notNull: boolean;
  /** GENERATED ALWAYS AS (…) STORED: recomputed, never copied. */
  generated: boolean;
  /** GENERATED ALWAYS AS IDENTITY: copies of a row version need OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
}

export interface UniqueKey {
  /** Constraint (and index) name, e.g. `t_pkey`. */
  name: string;
  columns: string[];
  primary: boolean;
}

export type ForeignKeyAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKey {
  name: string;
  columns: string[];
  referencedTableOid: number;
  referencedColumns: string[];
  onDelete: ForeignKeyAction;
  onUpdate: ForeignKeyAction;
  /** Added NOT VALID and not validated since: rows that existed then were never checked. */
  notValid?: boolean;
}

export interface TableInfo {
  /** OID of the user-visible relation (what `'t'::regclass` gives). */
  oid: number;
  schema: string;
  name: string;
  /** Schema of the heap table, which has the same name as the user table. */
  heapSchema: string;
  /** The engine's view with hidden columns, `_sys."<oid>"`. */
  sysView: string;
  columns: ColumnInfo[];
  uniqueKeys: UniqueKey[];
  foreignKeys: ForeignKey[];
  /** Transaction that created the table, while it has not committed; null once visible to all. */
  createdBy: Xid | null;
  /** Transaction that dropped the table, while it has not committed. */
  droppedBy: Xid | null;
  /** While a DROP is uncommitted, the name its view and heap are parked under (frees the name). */
  storedAs?: string;
  /** Sequences of its serial columns (qualified), dropped with the table as PostgreSQL's OWNED BY does. */
  ownedSequences?: string[];
  /**
   * PGlite's OID of the user view once an ALTER TABLE had to re-create it (a column dropped or
   * retyped). `oid` stays the table's identity for locks and row versions, so a session waiting for
   * the table keeps waiting for the same lock.
   */
  viewOid?: number;
}

/** A user view (CREATE VIEW): PGlite holds its definition over the tables' user views. */
export interface ViewInfo {
  /** OID of the view when it was created: its identity for locks (see TableInfo.viewOid). */
  oid: number;
  schema: string;
  name: string;
  /** PGlite's OID of the view, once re-creating it gave it a new one. */
  viewOid?: number;
  /** User tables and views (by identity OID) the view reads, in the order of its query. */
  dependsOn: number[];
  createdBy: Xid | null;
  droppedBy: Xid | null;
  storedAs?: string;
}

/** A user sequence (CREATE SEQUENCE or a serial column): it lives in PGlite under its own name. */
export interface SequenceInfo {
  oid: number;
  schema: string;
  name: string;
  createdBy: Xid | null;
  droppedBy: Xid | null;
  storedAs?: string;
}

/** A user schema created or dropped by a transaction that has not ended yet. */
export interface PendingSchema {
  name: string;
  createdBy: Xid | null;
  droppedBy: Xid | null;
}

export function qualifiedName(table: TableInfo): string {
  return `${quoteName(table.schema)}.${quoteName(table.storedAs ?? table.name)}`;
}

/** An identifier as SQL text: bare when it is a plain lower-case name, else double-quoted. */
export function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export class Catalog {
  private readonly byOid = new Map<number, TableInfo>();
  /** User views, by identity OID. */
  readonly views = new Map<number, ViewInfo>();
  /** User sequences, by OID. */
  readonly sequences = new Map<number, SequenceInfo>();
  /** Schemas whose CREATE or DROP has not committed yet, by name. */
  readonly pendingSchemas = new Map<string, PendingSchema>();

  add(table: TableInfo): void {
    this.byOid.set(table.oid, table);
  }

  remove(oid: number): void {
    this.byOid.delete(oid);
  }

  get(oid: number): TableInfo | undefined {
    return this.byOid.get(oid);
  }

  all(): TableInfo[] {
    return [...this.byOid.values()];
  }

  /** Finds a table by schema and name, including uncommitted ones (callers check visibility). */
  find(schema: string, name: string): TableInfo | undefined {
    return this.findAll(schema, name)[0];
  }

  /** Every table with this name: a dropped one and its re-created successor can coexist until commit. */
  findAll(schema: string, name: string): TableInfo[] {
    return [...this.byOid.values()].filter((table) => table.schema === schema && table.name === name);
  }

  /** Tables whose foreign keys reference the given table. */
  referencing(oid: number): { table: TableInfo; key: ForeignKey }[] {
    const out: { table: TableInfo; key: ForeignKey }[] = [];
    for (const table of this.byOid.values()) {
      for (const key of table.foreignKeys) if (key.referencedTableOid === oid) out.push({ table, key });
    }
    return out;
  }

  clear(): void {
    this.byOid.clear();
    this.views.clear();
    this.sequences.clear();
    this.pendingSchemas.clear();
  }
}

export function columnIndex(table: TableInfo, name: string): number {
  return table.columns.findIndex((c) => c.name === name);
}
