/**
 * What the heap storage needs of the engine: PGlite, the catalog of tables, the tuple headers, the
 * transactions' states, and the list of headers to write back to the heaps.
 */
import type { Catalog } from '../catalog/catalog';
import type { SqlHost } from '../pglite/host';
import type { XidStatus } from '../transam/xidStatus';
import type { TupleHeader, TupleStore } from '../tuples/tupleStore';

export interface StorageContext {
  readonly host: SqlHost;
  readonly catalog: Catalog;
  readonly tuples: TupleStore;
  readonly xids: XidStatus;
  /** Records that a version's header changed (written to its heap before PGlite's next query). */
  markHeaderDirty(header: TupleHeader): void;
}
