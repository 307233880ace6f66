/**
 * A prepared statement (SQL PREPARE or a protocol-level Parse): the raw parse tree is kept, and
 * the statement is re-analysed at each EXECUTE as PostgreSQL's plan cache does; the result
 * descriptor fixed at PREPARE must not change (0A000 "cached plan must not change result type").
 */
import type { ResultField } from '../api/results';
import type { Node } from '../sql/ast';

export interface PreparedStatement {
  name: string;
  /** The statement text after `PREPARE name [(types)] AS`, as written. */
  text: string;
  node: Node;
  /** Parameter type names given at PREPARE (may be fewer than the statement uses). */
  parameterTypes: string[];
  /** The result columns fixed at PREPARE time, or null for statements without a result. */
  resultFields: ResultField[] | null;
  /** Type modifiers of result columns, compared as PostgreSQL's equalRowTypes does. */
  resultTypmods: number[] | null;
  /** search_path when prepared: a different one forces re-analysis. */
  searchPath: string;
  /** Virtual time when prepared (pg_prepared_statements.prepare_time). */
  preparedAt: number;
  /** Prepared by SQL PREPARE (true) or by the protocol (false). */
  fromSql: boolean;
  genericPlans: number;
  customPlans: number;
}
