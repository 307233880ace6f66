/**
 * Row-lock strengths (LockTupleMode) and how they conflict, map to heavyweight tuple-lock modes
 * (heapam.c tupleLockExtraInfo) and read in SQL.
 */
import { LockMode, modesConflict } from '../locks/lockModes';

export enum RowLockMode {
  KeyShare = 0,
  Share = 1,
  NoKeyUpdate = 2,
  Update = 3,
}

/** The heavyweight mode taken on the tuple while waiting, which also gives the conflict table. */
export function tupleLockMode(mode: RowLockMode): LockMode {
  switch (mode) {
    case RowLockMode.KeyShare:
      return LockMode.AccessShare;
    case RowLockMode.Share:
      return LockMode.RowShare;
    case RowLockMode.NoKeyUpdate:
      return LockMode.Exclusive;
    case RowLockMode.Update:
      return LockMode.AccessExclusive;
  }
}

export function rowLocksConflict(a: RowLockMode, b: RowLockMode): boolean {
  return modesConflict(tupleLockMode(a), tupleLockMode(b));
}

export function rowLockClause(
  mode: RowLockMode,
): 'FOR KEY SHARE' | 'FOR SHARE' | 'FOR NO KEY UPDATE' | 'FOR UPDATE' {
  switch (mode) {
    case RowLockMode.KeyShare:
      return 'FOR KEY SHARE';
    case RowLockMode.Share:
      return 'FOR SHARE';
    case RowLockMode.NoKeyUpdate:
      return 'FOR NO KEY UPDATE';
    case RowLockMode.Update:
      return 'FOR UPDATE';
  }
}

/** The parse tree's LockClauseStrength names. */
export function rowLockModeFromStrength(strength: string): RowLockMode {
  switch (strength) {
    case 'LCS_FORKEYSHARE':
      return RowLockMode.KeyShare;
    case 'LCS_FORSHARE':
      return RowLockMode.Share;
    case 'LCS_FORNOKEYUPDATE':
      return RowLockMode.NoKeyUpdate;
    default:
      return RowLockMode.Update;
  }
}
