/** What a pg_locks row locks, in a few words: `accounts`, `accounts (0,1)`, `transaction 745`. */
import type { LockTagView } from '../../engine/pgEmulator';

export function lockTarget(lock: LockTagView): string {
  switch (lock.locktype) {
    case 'relation':
      return lock.relation;
    case 'tuple':
      return `${lock.relation} (${lock.page},${lock.tuple})`;
    case 'transactionid':
      return `transaction ${lock.transactionid}`;
    case 'virtualxid':
      return `virtual transaction ${lock.virtualxid}`;
    case 'advisory':
      return `key ${lock.key}`;
    case 'object':
      return lock.description;
  }
}
