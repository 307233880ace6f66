/**
 * Single SQL expressions: parse text into a parse-tree node and back.
 */
import { asNode, makeNode, type Node } from './ast';
import { deparse, parseStatements } from './parser';

/** Parses one expression (as it would appear in a SELECT list). */
export function parseExpression(sql: string): Node {
  const [statement] = parseStatements(`SELECT ${sql}`);
  const target = asNode(asNode(statement?.node, 'SelectStmt')?.targetList?.[0], 'ResTarget');
  if (!target?.val) throw new Error(`not an expression: ${sql}`);
  return target.val;
}

/** Deparses one expression node. */
export function deparseExpression(node: Node): string {
  const sql = deparse(
    makeNode('SelectStmt', {
      targetList: [makeNode('ResTarget', { val: node })],
      limitOption: 'LIMIT_OPTION_DEFAULT',
      op: 'SETOP_NONE',
    }),
  );
  return sql.replace(/^SELECT\s+/i, '').trim();
}
