/**
 * Transaction states as one session sees them (its own xids are "current").
 */
import type { RowLockContext } from './rowLockContext';
import type { Session } from '../session/session';
import type { XidOracle } from '../tuples/xmax';

export function xidOracle(core: RowLockContext, session: Session): XidOracle {
  const isOwn = (xid: number): boolean => session.transaction?.ownXids().includes(xid) ?? false;
  return {
    isOwn,
    inProgress: (xid) => isOwn(xid) || core.xids.state(xid) === 'in progress',
    committed: (xid) => !isOwn(xid) && core.xids.state(xid) === 'committed',
    aborted: (xid) => core.xids.state(xid) === 'aborted',
    newMultiXactId: () => core.newMultiXactId(),
  };
}
