/**
 * What PGlite's catalogs say about a table's heap: column types and defaults, and the constraints
 * kept there (CHECK and NOT NULL; keys and foreign keys are the engine's). ALTER TABLE reads these to
 * know what it changes and how to put it back on rollback.
 */
import type { TableInfo } from '../catalog/catalog';
import { qualifiedHeap } from './heapLayout';
import type { StorageContext } from './storageContext';

export interface HeapColumn {
  name: string;
  /** format_type, e.g. `character varying(10)`. */
  type: string;
  /** Collation name when it is not the type's default, else null. */
  collation: string | null;
  /** Default expression (pg_get_expr), or null. */
  defaultExpression: string | null;
  notNull: boolean;
  identity: boolean;
  generated: boolean;
}

export interface HeapConstraint {
  name: string;
  /** 'c' CHECK, 'n' NOT NULL. */
  type: 'c' | 'n';
  /** pg_get_constraintdef. */
  definition: string;
  columns: string[];
  validated: boolean;
}

/** One column of the heap (hidden and parked ones included), or undefined. */
export function heapColumn(core: StorageContext, table: TableInfo, name: string): HeapColumn | undefined {
  const [row] = core.host.rows(
    `SELECT a.attname, format_type(a.atttypid, a.atttypmod),
            CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(c.collname) END,
            pg_get_expr(d.adbin, d.adrelid), a.attnotnull, a.attidentity <> '', a.attgenerated <> ''
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_collation c ON c.oid = a.attcollation
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::regclass AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
    [qualifiedHeap(table), name],
  );
  if (!row) return undefined;
  return {
    name: row[0] as string,
    type: row[1] as string,
    collation: row[2] ?? null,
    defaultExpression: row[3] ?? null,
    notNull: row[4] === 't',
    identity: row[5] === 't',
    generated: row[6] === 't',
  };
}

/** Sequences a column's default draws from, as `schema.name` (quoted like quote_ident). */
export function columnDefaultSequences(core: StorageContext, table: TableInfo, column: string): string[] {
  return core.host
    .rows(
      `SELECT format('%I.%I', n.nspname, s.relname)
         FROM pg_attrdef ad
         JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
         JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_class'::regclass
         JOIN pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
         JOIN pg_namespace n ON n.oid = s.relnamespace
        WHERE ad.adrelid = $1::regclass AND a.attname = $2`,
      [qualifiedHeap(table), column],
    )
    .map((row) => row[0] as string);
}

/** The heap's CHECK and NOT NULL constraints, oldest first. */
export function heapConstraints(core: StorageContext, table: TableInfo): HeapConstraint[] {
  const rows = core.host.rows(
    `SELECT c.conname, c.contype, pg_get_constraintdef(c.oid), c.convalidated,
            ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) ORDER BY a.attnum)::text
       FROM pg_constraint c
      WHERE c.conrelid = $1::regclass AND c.contype IN ('c', 'n')
      ORDER BY c.oid`,
    [qualifiedHeap(table)],
  );
  return rows.map((row) => ({
    name: row[0] as string,
    type: row[1] as 'c' | 'n',
    definition: row[2] as string,
    validated: row[3] === 't',
    columns: parseNameArray(row[4] ?? '{}'),
  }));
}

/** The expression of a CHECK constraint, as SQL over the table's column names. */
export function checkExpression(core: StorageContext, table: TableInfo, name: string): string | undefined {
  const [row] = core.host.rows(
    `SELECT pg_get_expr(conbin, conrelid) FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2 AND contype = 'c'`,
    [qualifiedHeap(table), name],
  );
  return row?.[0] ?? undefined;
}

/** Parses a text[] literal of identifiers as PostgreSQL prints it. */
function parseNameArray(literal: string): string[] {
  const inner = literal.slice(1, -1);
  if (inner === '') return [];
  const out: string[] = [];
  let i = 0;
  while (i < inner.length) {
    if (inner[i] === '"') {
      let value = '';
      i++;
      while (i < inner.length && inner[i] !== '"') {
        if (inner[i] === '\\') i++;
        value += inner[i] ?? '';
        i++;
      }
      out.push(value);
      i += 2;
    } else {
      const end = inner.indexOf(',', i);
      out.push(inner.slice(i, end === -1 ? undefined : end));
      i = end === -1 ? inner.length : end + 1;
    }
  }
  return out;
}
