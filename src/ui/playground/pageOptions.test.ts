import { describe, expect, it } from 'vitest';
import { defaultRunawayLimitMs, pageMode, runawayLimitMs, searchFor } from './pageOptions';

describe('page options', () => {
  it('open free play, a lesson (and one of its parts), or say a lesson is unknown', () => {
    expect(pageMode('')).toEqual({ kind: 'free play' });
    expect(pageMode('?lesson=lost-update')).toMatchObject({
      kind: 'lesson',
      lesson: { id: 'lost-update' },
      part: 0,
    });
    expect(pageMode('?lesson=lost-update&part=3')).toMatchObject({ kind: 'lesson', part: 2 });
    expect(pageMode('?lesson=lost-update&part=99')).toMatchObject({ kind: 'lesson', part: 0 });
    expect(pageMode('?lesson=no-such-thing')).toEqual({ kind: 'unknown lesson', id: 'no-such-thing' });
  });

  it('write the address of a mode, keeping other parameters', () => {
    const mode = pageMode('?lesson=lost-update&part=2');
    expect(searchFor(mode, '?runaway=3')).toBe('?runaway=3&lesson=lost-update&part=2');
    expect(searchFor({ kind: 'free play' }, '?lesson=lost-update&runaway=3')).toBe('?runaway=3');
    expect(searchFor({ kind: 'free play' }, '?lesson=x')).toBe('');
  });

  it('read the runaway guard’s limit, within bounds', () => {
    expect(runawayLimitMs('')).toBe(defaultRunawayLimitMs);
    expect(runawayLimitMs('?runaway=2')).toBe(2000);
    expect(runawayLimitMs('?runaway=0.1')).toBe(500);
    expect(runawayLimitMs('?runaway=nope')).toBe(defaultRunawayLimitMs);
  });
});
