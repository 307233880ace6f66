/**
 * What row locking needs of the engine: the tuple headers and transactions (through the lifecycle's
 * context), waiting on locks, and fresh MultiXact ids.
 */
import type { WaitContext } from '../waits/waitContext';
import type { XactContext } from '../xact/xactContext';

export interface RowLockContext extends XactContext, WaitContext {
  readonly now: number;
  newMultiXactId(): number;
}
