import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../engine/pgEmulator';
import { waitForGraph } from './waitForGraph';

function view(name: string, blockedBy: string[] = [], description = ''): SessionView {
  return {
    name,
    helper: false,
    pid: 1,
    status: 'in transaction',
    isolation: 'read committed',
    busy: blockedBy.length > 0,
    waiting:
      blockedBy.length > 0
        ? { lock: { locktype: 'transactionid', transactionid: 1 }, mode: 'ShareLock', blockedBy, description }
        : null,
    currentStatement: null,
    xid: null,
    vxid: null,
    snapshot: null,
  };
}

describe('waitForGraph', () => {
  it('draws an edge from each waiting session to each session blocking it', () => {
    const graph = waitForGraph([
      view('A'),
      view('B', ['A'], 'ShareLock on transaction 745'),
      view('C', ['A', 'B'], 'x'),
    ]);
    expect(graph.nodes).toEqual(['A', 'B', 'C']);
    expect(graph.edges.map((edge) => [edge.from, edge.to, edge.label, edge.inCycle])).toEqual([
      ['B', 'A', 'ShareLock on transaction 745', false],
      ['C', 'A', 'x', false],
      ['C', 'B', 'x', false],
    ]);
    expect(graph.cycle).toEqual([]);
  });

  it('finds a deadlock cycle and marks only its edges', () => {
    const graph = waitForGraph([view('A', ['B']), view('B', ['A']), view('C', ['A'])]);
    expect(graph.cycle).toEqual(['A', 'B']);
    expect(graph.edges.map((edge) => [edge.from, edge.to, edge.inCycle])).toEqual([
      ['A', 'B', true],
      ['B', 'A', true],
      ['C', 'A', false],
    ]);
  });

  it('ignores blockers that are not on screen', () => {
    expect(waitForGraph([view('A', ['setup'])]).edges).toEqual([]);
  });
});
