/**
 * The wait-for graph: who waits on whom, from the sessions' views (each waiting session names the
 * sessions whose locks block it, as pg_blocking_pids does), with the edges that form a cycle — a
 * deadlock, until a deadlock check breaks it.
 */
import type { SessionView } from '../../engine/pgEmulator';

export interface WaitEdge {
  /** The waiting session. */
  from: string;
  /** A session it waits on. */
  to: string;
  /** What it waits for, in PostgreSQL's words (`ShareLock on transaction 746`). */
  label: string;
  inCycle: boolean;
}

export interface WaitForGraph {
  nodes: string[];
  edges: WaitEdge[];
  /** The sessions on a cycle, in order, or empty. */
  cycle: string[];
}

export function waitForGraph(sessions: readonly SessionView[]): WaitForGraph {
  const nodes = sessions.map((session) => session.name);
  const edges: WaitEdge[] = sessions.flatMap((session) =>
    (session.waiting?.blockedBy ?? [])
      .filter((blocker) => nodes.includes(blocker))
      .map((blocker) => ({
        from: session.name,
        to: blocker,
        label: session.waiting?.description ?? '',
        inCycle: false,
      })),
  );
  const cycle = findCycle(nodes, edges);
  for (const edge of edges) {
    const at = cycle.indexOf(edge.from);
    edge.inCycle = at >= 0 && cycle[(at + 1) % cycle.length] === edge.to;
  }
  return { nodes, edges, cycle };
}

/** The first cycle found by a depth-first walk from each node in order, or empty. */
function findCycle(nodes: readonly string[], edges: readonly WaitEdge[]): string[] {
  const next = (node: string) => edges.filter((edge) => edge.from === node).map((edge) => edge.to);
  for (const start of nodes) {
    const path: string[] = [];
    const walk = (node: string): string[] | null => {
      const at = path.indexOf(node);
      if (at >= 0) return path.slice(at);
      path.push(node);
      for (const target of next(node)) {
        const found = walk(target);
        if (found) return found;
      }
      path.pop();
      return null;
    };
    const cycle = walk(start);
    if (cycle) return cycle;
  }
  return [];
}
