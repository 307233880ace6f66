/**
 * PostgreSQL's eight table-level lock modes and their conflict table (lock.c LockConflicts).
 */
import type { LockModeName } from '../api/events';

export enum LockMode {
  AccessShare = 1,
  RowShare = 2,
  RowExclusive = 3,
  ShareUpdateExclusive = 4,
  Share = 5,
  ShareRowExclusive = 6,
  Exclusive = 7,
  AccessExclusive = 8,
}

const bit = (mode: LockMode): number => 1 << mode;

/** For each mode, the bit set of modes it conflicts with. */
const CONFLICTS: Record<LockMode, number> = {
  [LockMode.AccessShare]: bit(LockMode.AccessExclusive),
  [LockMode.RowShare]: bit(LockMode.Exclusive) | bit(LockMode.AccessExclusive),
  [LockMode.RowExclusive]:
    bit(LockMode.Share) |
    bit(LockMode.ShareRowExclusive) |
    bit(LockMode.Exclusive) |
    bit(LockMode.AccessExclusive),
  [LockMode.ShareUpdateExclusive]:
    bit(LockMode.ShareUpdateExclusive) |
    bit(LockMode.Share) |
    bit(LockMode.ShareRowExclusive) |
    bit(LockMode.Exclusive) |
    bit(LockMode.AccessExclusive),
  [LockMode.Share]:
    bit(LockMode.RowExclusive) |
    bit(LockMode.ShareUpdateExclusive) |
    bit(LockMode.ShareRowExclusive) |
    bit(LockMode.Exclusive) |
    bit(LockMode.AccessExclusive),
  [LockMode.ShareRowExclusive]:
    bit(LockMode.RowExclusive) |
    bit(LockMode.ShareUpdateExclusive) |
    bit(LockMode.Share) |
    bit(LockMode.ShareRowExclusive) |
    bit(LockMode.Exclusive) |
    bit(LockMode.AccessExclusive),
  [LockMode.Exclusive]:
    bit(LockMode.RowShare) |
    bit(LockMode.RowExclusive) |
    bit(LockMode.ShareUpdateExclusive) |
    bit(LockMode.Share) |
    bit(LockMode.ShareRowExclusive) |
    bit(LockMode.Exclusive) |
    bit(LockMode.AccessExclusive),
  [LockMode.AccessExclusive]:
    bit(LockMode.AccessShare) |
    bit(LockMode.RowShare) |
    bit(LockMode.RowExclusive) |
    bit(LockMode.ShareUpdateExclusive) |
    bit(LockMode.Share) |
    bit(LockMode.ShareRowExclusive) |
    bit(LockMode.Exclusive) |
    bit(LockMode.AccessExclusive),
};

export const ALL_LOCK_MODES: readonly LockMode[] = [1, 2, 3, 4, 5, 6, 7, 8];

export function lockBit(mode: LockMode): number {
  return bit(mode);
}

/** Bit set of the modes that `mode` conflicts with. */
export function conflictMask(mode: LockMode): number {
  return CONFLICTS[mode];
}

export function modesConflict(a: LockMode, b: LockMode): boolean {
  return (CONFLICTS[a] & bit(b)) !== 0;
}

const NAMES: Record<LockMode, LockModeName> = {
  [LockMode.AccessShare]: 'AccessShareLock',
  [LockMode.RowShare]: 'RowShareLock',
  [LockMode.RowExclusive]: 'RowExclusiveLock',
  [LockMode.ShareUpdateExclusive]: 'ShareUpdateExclusiveLock',
  [LockMode.Share]: 'ShareLock',
  [LockMode.ShareRowExclusive]: 'ShareRowExclusiveLock',
  [LockMode.Exclusive]: 'ExclusiveLock',
  [LockMode.AccessExclusive]: 'AccessExclusiveLock',
};

export function lockModeName(mode: LockMode): LockModeName {
  return NAMES[mode];
}

/** The mode named in `LOCK TABLE … IN <mode> MODE` (parse tree `LockStmt.mode` uses the same numbers). */
export function lockModeFromNumber(value: number): LockMode {
  if (value < 1 || value > 8) throw new Error(`unknown lock mode ${value}`);
  return value as LockMode;
}
