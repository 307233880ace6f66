import { describe, expect, it } from 'vitest';
import { MemberStatus, type RawXmax } from './tupleStore';
import { RowLockMode } from './rowLockModes';
import { computeNewXmax, doesConflict, isLockOnly, keysUpdated, updateXid, type XidOracle } from './xmax';

/** xids 100.. are ours; 200.. run in other sessions; 300.. committed; 400.. aborted. */
function oracle(): XidOracle {
  let multi = 1;
  return {
    isOwn: (x) => x >= 100 && x < 200,
    inProgress: (x) => x < 300,
    committed: (x) => x >= 300 && x < 400,
    aborted: (x) => x >= 400,
    newMultiXactId: () => multi++,
  };
}

const single = (xid: number, status: MemberStatus): RawXmax => ({ multi: false, member: { xid, status } });

describe('computeNewXmax', () => {
  it('records a plain lock on a tuple without xmax', () => {
    expect(computeNewXmax(null, 100, RowLockMode.Share, false, oracle())).toEqual(
      single(100, MemberStatus.ForShare),
    );
  });

  it('combines our lock with another running locker into a MultiXact', () => {
    const result = computeNewXmax(
      single(200, MemberStatus.ForShare),
      100,
      RowLockMode.Share,
      false,
      oracle(),
    );
    expect(result).toEqual({
      multi: true,
      id: 1,
      members: [
        { xid: 200, status: MemberStatus.ForShare },
        { xid: 100, status: MemberStatus.ForShare },
      ],
    });
  });

  it('forgets a finished locker and an aborted updater', () => {
    expect(
      computeNewXmax(single(300, MemberStatus.ForUpdate), 100, RowLockMode.KeyShare, false, oracle()),
    ).toEqual(single(100, MemberStatus.ForKeyShare));
    expect(
      computeNewXmax(single(400, MemberStatus.Update), 100, RowLockMode.KeyShare, false, oracle()),
    ).toEqual(single(100, MemberStatus.ForKeyShare));
  });

  it('keeps a committed updater next to a new locker (KEY SHARE on an old version)', () => {
    const result = computeNewXmax(
      single(300, MemberStatus.NoKeyUpdate),
      100,
      RowLockMode.KeyShare,
      false,
      oracle(),
    );
    expect(result?.multi && result.members).toEqual([
      { xid: 300, status: MemberStatus.NoKeyUpdate },
      { xid: 100, status: MemberStatus.ForKeyShare },
    ]);
    expect(updateXid(result)).toBe(300);
  });

  it('turns an update after our own FOR UPDATE into a key update', () => {
    const result = computeNewXmax(
      single(100, MemberStatus.ForUpdate),
      100,
      RowLockMode.NoKeyUpdate,
      true,
      oracle(),
    );
    expect(result).toEqual(single(100, MemberStatus.Update));
    expect(keysUpdated(result)).toBe(true);
    expect(isLockOnly(result)).toBe(false);
  });
});

describe('doesConflict', () => {
  it('ignores our own members and non-conflicting lockers', () => {
    const xmax: RawXmax = {
      multi: true,
      id: 9,
      members: [
        { xid: 100, status: MemberStatus.ForUpdate },
        { xid: 200, status: MemberStatus.ForKeyShare },
      ],
    };
    expect(doesConflict(xmax, RowLockMode.NoKeyUpdate, oracle())).toEqual({
      conflict: false,
      currentIsMember: true,
    });
    expect(doesConflict(xmax, RowLockMode.Update, oracle())).toEqual({
      conflict: true,
      currentIsMember: true,
    });
  });
});
