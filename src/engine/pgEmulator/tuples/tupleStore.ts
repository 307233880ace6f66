/**
 * Tuple headers of every row version, kept by the engine as PostgreSQL keeps them in the heap page:
 * xmin/cmin, the raw xmax (a single xid or a MultiXact of member statuses), cmax, the version's
 * own ctid and the link to its newer version. The heap table in PGlite mirrors the columns its
 * visibility views need; every locking decision reads these headers.
 */
import type { Xid } from '../transam/xidStatus';

/** MultiXactStatus (multixact.h), also used for the status of a single-xid xmax. */
export enum MemberStatus {
  ForKeyShare = 0,
  ForShare = 1,
  ForNoKeyUpdate = 2,
  ForUpdate = 3,
  NoKeyUpdate = 4,
  Update = 5,
}

export interface XmaxMember {
  xid: Xid;
  status: MemberStatus;
}

/** The raw xmax: none, one xid with its status, or a MultiXact (an immutable member list with an id). */
export type RawXmax =
  null | { multi: false; member: XmaxMember } | { multi: true; id: number; members: readonly XmaxMember[] };

export interface ItemPointer {
  page: number;
  offset: number;
}

export interface TupleHeader {
  /** Engine-wide id of this row version (the heap table's `__tid`). */
  readonly tid: number;
  readonly relationOid: number;
  readonly ctid: ItemPointer;
  readonly xmin: Xid;
  readonly cmin: number;
  xmax: RawXmax;
  cmax: number | null;
  /** The newer version this one was updated into (t_ctid pointing elsewhere), or null. */
  next: number | null;
  /** Approximate bytes the version occupies on its page (tuple plus line pointer). */
  readonly size: number;
}

export function formatItemPointer(pointer: ItemPointer): string {
  return `(${pointer.page},${pointer.offset})`;
}

/** Usable bytes per 8 kB heap page (BLCKSZ minus the page header). */
const PAGE_CAPACITY = 8192 - 24;

interface PageState {
  used: number;
  lastOffset: number;
}

/** Where new versions go: the page of the old version when it fits (HOT-like), else the last page, else a new page. */
class PageAllocator {
  private readonly pages: PageState[] = [];

  allocate(size: number, preferPage: number | null): ItemPointer {
    const fits = (page: PageState | undefined): page is PageState =>
      page !== undefined && page.used + size <= PAGE_CAPACITY;
    let pageNumber: number;
    if (preferPage !== null && fits(this.pages[preferPage])) pageNumber = preferPage;
    else if (fits(this.pages[this.pages.length - 1])) pageNumber = this.pages.length - 1;
    else {
      this.pages.push({ used: 0, lastOffset: 0 });
      pageNumber = this.pages.length - 1;
    }
    const page = this.pages[pageNumber] as PageState;
    page.used += size;
    page.lastOffset += 1;
    return { page: pageNumber, offset: page.lastOffset };
  }
}

/** A relation's storage taken out of the store (see `TupleStore.detachRelation`). */
export interface DetachedRelation {
  readonly relationOid: number;
  readonly headers: readonly TupleHeader[];
  readonly allocator: PageAllocator | undefined;
}

export class TupleStore {
  private readonly headers = new Map<number, TupleHeader>();
  private readonly allocators = new Map<number, PageAllocator>();

  allocate(relationOid: number, size: number, preferPage: number | null): ItemPointer {
    let allocator = this.allocators.get(relationOid);
    if (!allocator) {
      allocator = new PageAllocator();
      this.allocators.set(relationOid, allocator);
    }
    return allocator.allocate(size, preferPage);
  }

  add(header: TupleHeader): void {
    this.headers.set(header.tid, header);
  }

  get(tid: number): TupleHeader | undefined {
    return this.headers.get(tid);
  }

  remove(tid: number): void {
    this.headers.delete(tid);
  }

  /** Every version of a relation, in ctid order. */
  versionsOf(relationOid: number): TupleHeader[] {
    return [...this.headers.values()]
      .filter((h) => h.relationOid === relationOid)
      .sort((a, b) => a.ctid.page - b.ctid.page || a.ctid.offset - b.ctid.offset);
  }

  /** Drops a relation's versions and its page state (DROP TABLE, TRUNCATE). */
  dropRelation(relationOid: number): void {
    for (const [tid, header] of this.headers)
      if (header.relationOid === relationOid) this.headers.delete(tid);
    this.allocators.delete(relationOid);
  }

  /**
   * Takes a relation's versions and page state out of the store (a table rewrite or TRUNCATE gives
   * the table new storage); `attachRelation` puts them back if that rolls back.
   */
  detachRelation(relationOid: number): DetachedRelation {
    const headers = this.versionsOf(relationOid);
    for (const header of headers) this.headers.delete(header.tid);
    const allocator = this.allocators.get(relationOid);
    this.allocators.delete(relationOid);
    return { relationOid, headers, allocator };
  }

  /** Restores detached storage, replacing whatever the relation holds now. */
  attachRelation(detached: DetachedRelation): void {
    this.dropRelation(detached.relationOid);
    for (const header of detached.headers) this.headers.set(header.tid, header);
    if (detached.allocator) this.allocators.set(detached.relationOid, detached.allocator);
  }

  /** Removes versions inserted by the given (aborted) xids; returns their tids. */
  removeInsertedBy(xids: ReadonlySet<Xid>): number[] {
    const removed: number[] = [];
    for (const [tid, header] of this.headers) {
      if (xids.has(header.xmin)) {
        this.headers.delete(tid);
        removed.push(tid);
      }
    }
    return removed;
  }

  clear(): void {
    this.headers.clear();
    this.allocators.clear();
  }
}
