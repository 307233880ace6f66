/**
 * A prepared statement (SQL PREPARE or a driver's protocol-level Parse). The raw parse tree is kept
 * and analysed again at each EXECUTE, as PostgreSQL's plan cache does after DDL or a search_path
 * change; the result columns fixed at PREPARE must not change ("cached plan must not change result
 * type").
 */
import type { ResultField } from '../api/results';
import type { Node } from '../sql/ast';

export interface DescribedField extends ResultField {
  typeModifier: number;
}

export interface PreparedStatement {
  name: string;
  /** The statement as written (after `PREPARE name [(types)] AS`). */
  text: string;
  node: Node;
  /** Parameter types as `format_type` prints them (declared, or inferred by PostgreSQL). */
  parameterTypes: string[];
  /** Result columns fixed at PREPARE, or null for a statement without a result. */
  resultFields: DescribedField[] | null;
  /** Virtual time when prepared (pg_prepared_statements.prepare_time). */
  preparedAt: number;
  /** Prepared by SQL PREPARE (true) or at protocol level (false). */
  fromSql: boolean;
  genericPlans: number;
  customPlans: number;
}
