import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SessionDriver } from '../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset();
});

describe('Engine.state: what a page shows, in one call', () => {
  it('leaves helper sessions, their events and their locks out, but counts their events', () => {
    d.setup('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)');
    d.engine.openSession('check', { helper: true });
    d.engine.submit('check', 'BEGIN; LOCK TABLE t IN ACCESS SHARE MODE');
    d.session('A').run('BEGIN').run('UPDATE t SET v = 1 WHERE id = 1').expectOk('A', { tag: 'UPDATE 1' });

    const state = d.engine.state({ afterSeq: 0, rowVersions: { table: null } });
    expect(state.sessions.map((s) => s.name)).toEqual(['A']);
    expect(state.events.some((e) => 'session' in e && (e.session === 'check' || e.session === 'setup'))).toBe(
      false,
    );
    expect(state.lastSeq).toBe(d.engine.lastEventSeq());
    expect(state.events.length).toBeLessThan(state.lastSeq);
    expect(state.locks.every((lock) => lock.session === 'A')).toBe(true);
    expect(d.engine.locks().some((lock) => lock.session === 'check')).toBe(true);
    expect(d.engine.sessions().find((s) => s.name === 'check')?.helper).toBe(true);
    expect(state.tables).toEqual([{ name: 't', columns: ['id', 'v'] }]);
    expect(state.rowVersions?.table).toBe('t');
    expect(state.rowVersions?.versions).toHaveLength(2);
    expect(state.now).toBe(d.engine.now());
  });

  it('returns only events after the given sequence number, and no row versions unless asked', () => {
    d.session('A').run('SELECT 1');
    const first = d.engine.state({ afterSeq: 0, rowVersions: null });
    d.session('A').run('SELECT 2');
    const next = d.engine.state({ afterSeq: first.lastSeq, rowVersions: null });
    expect(next.events.length).toBeGreaterThan(0);
    expect(next.events.every((e) => e.seq > first.lastSeq)).toBe(true);
    expect(next.rowVersions).toBeNull();
  });

  it('runs setup on a helper session that does not collide with a session named "setup"', () => {
    d.session('setup').run('SELECT 1');
    d.setup('CREATE TABLE u (id int)');
    expect(d.engine.sessions().map((s) => [s.name, s.helper])).toEqual([['setup', false]]);
  });

  it('checks its own invariants', () => {
    d.setup('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0)');
    d.session('A').run('BEGIN').run('UPDATE t SET v = 1 WHERE id = 1');
    d.session('B').run('DELETE FROM t WHERE id = 2').run('SELECT * FROM t FOR SHARE');
    expect(d.engine.selfCheck()).toEqual([]);
  });
});
