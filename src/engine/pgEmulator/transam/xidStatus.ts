/**
 * Transaction ids and their fate: the emulated commit log (clog) and subtransaction parents.
 * Ids are assigned lazily, in order, like PostgreSQL's; a subtransaction's id is larger than its parent's.
 */
export type Xid = number;

export type XidState = 'in progress' | 'committed' | 'aborted';

/** Where xids start: a fresh PostgreSQL 18 cluster hands out xids in the 700s, so the numbers look real. */
export const FIRST_XID = 740;

export class XidStatus {
  private nextXid: Xid = FIRST_XID;
  private readonly states = new Map<Xid, XidState>();
  private readonly parents = new Map<Xid, Xid>();
  /** The largest xid that has committed or aborted (snapshot xmax = this + 1). */
  private latestCompleted: Xid = FIRST_XID - 1;

  assign(parent: Xid | null): Xid {
    const xid = this.nextXid++;
    this.states.set(xid, 'in progress');
    if (parent !== null) this.parents.set(xid, parent);
    return xid;
  }

  /** The next xid that would be assigned (txid_current() peeks never use it). */
  peekNext(): Xid {
    return this.nextXid;
  }

  state(xid: Xid): XidState {
    const own = this.states.get(xid);
    if (own === undefined) return xid < FIRST_XID ? 'committed' : 'aborted';
    if (own !== 'committed') return own;
    // A committed subtransaction's fate is its parent's.
    const parent = this.parents.get(xid);
    return parent === undefined ? 'committed' : this.state(parent);
  }

  /** Top-level transaction of an xid. */
  topLevel(xid: Xid): Xid {
    let current = xid;
    for (let parent = this.parents.get(current); parent !== undefined; parent = this.parents.get(current)) {
      current = parent;
    }
    return current;
  }

  parentOf(xid: Xid): Xid | null {
    return this.parents.get(xid) ?? null;
  }

  /** Marks a subtransaction committed into its parent (RELEASE SAVEPOINT): still in progress for others. */
  subCommit(xid: Xid): void {
    this.states.set(xid, 'committed');
  }

  /** Ends xids (a top-level transaction and its subtransactions) for everyone. */
  finish(xids: readonly Xid[], outcome: 'committed' | 'aborted'): void {
    for (const xid of xids) {
      // A subtransaction that already aborted stays aborted when its parent commits.
      if (outcome === 'committed' && this.states.get(xid) === 'aborted') continue;
      this.states.set(xid, outcome);
      if (xid > this.latestCompleted) this.latestCompleted = xid;
    }
  }

  latestCompletedXid(): Xid {
    return this.latestCompleted;
  }

  /** Every xid still in progress (top-level and subtransactions), ascending. */
  running(): Xid[] {
    const out: Xid[] = [];
    for (const [xid, state] of this.states) {
      if (state === 'in progress' || (state === 'committed' && this.state(xid) === 'in progress'))
        out.push(xid);
    }
    return out.sort((a, b) => a - b);
  }
}
