/**
 * What name resolution needs of the engine: the catalog of tables, the user schemas that exist, and
 * the transactions' states (uncommitted DDL is visible only to its own transaction).
 */
import type { XidStatus } from '../transam/xidStatus';
import type { Catalog } from './catalog';

export interface CatalogContext {
  readonly catalog: Catalog;
  /** User schemas that exist (each has a heap schema beside it). */
  readonly schemas: ReadonlySet<string>;
  readonly xids: XidStatus;
}
