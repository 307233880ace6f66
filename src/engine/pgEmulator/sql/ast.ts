/**
 * PostgreSQL parse-tree types (from @pgsql/types) and small helpers to read the tagged union.
 */
import type { Node, ResTarget } from '@pgsql/types';

export type * from '@pgsql/types';
export type { Node };

/** A parse-tree node's tag, e.g. `SelectStmt`. */
export type NodeTag = Node extends infer N
  ? N extends Record<infer K, unknown>
    ? K & string
    : never
  : never;

/** The payload of a node with the given tag. */
export type NodeOf<T extends NodeTag> = Extract<Node, Record<T, unknown>>[T];

export function tagOf(node: Node): NodeTag {
  return Object.keys(node)[0] as NodeTag;
}

/** The node's payload if it has the tag, otherwise undefined. */
export function asNode<T extends NodeTag>(node: Node | undefined, tag: T): NodeOf<T> | undefined {
  if (!node) return undefined;
  return (node as Record<string, unknown>)[tag] as NodeOf<T> | undefined;
}

/** Builds a node from a tag and payload. */
export function makeNode<T extends NodeTag>(tag: T, payload: NodeOf<T>): Node {
  return { [tag]: payload } as unknown as Node;
}

/** The string value of a `String` node (identifiers in name lists). */
export function stringValue(node: Node | undefined): string | undefined {
  return asNode(node, 'String')?.sval;
}

/** A dotted name list (e.g. a function name `pg_catalog.now`) as strings. */
export function nameList(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => stringValue(n) ?? '');
}

/** A column reference, e.g. `columnRef('t', 'id')` for `t.id`. */
export function columnRef(...fields: string[]): Node {
  return makeNode('ColumnRef', { fields: fields.map((sval) => ({ String: { sval } }) as Node) });
}

/** A target-list entry, optionally named (`AS name`). */
export function resTarget(val: Node, name?: string): Node {
  const target: ResTarget = { val };
  if (name) target.name = name;
  return makeNode('ResTarget', target);
}
