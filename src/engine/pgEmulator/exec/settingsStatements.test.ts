import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SessionDriver } from '../../testing';
import { Engine } from '../engine';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset();
});

/** What PGlite itself runs with, whatever the sessions say. */
function pgliteSynchronousCommit(): string | null | undefined {
  return Engine.coreOf(d.engine).host.rows('SHOW synchronous_commit')[0]?.[0];
}

describe('settings the engine answers for itself', () => {
  it('shows synchronous_commit per session while PGlite keeps its own baseline', () => {
    d.session('A')
      .run('SHOW synchronous_commit')
      .expectRows('A', [['on']]);
    d.run('SET synchronous_commit = local')
      .run('SHOW synchronous_commit')
      .expectRows('A', [['local']]);
    d.session('B')
      .run('SHOW synchronous_commit')
      .expectRows('B', [['on']]);
    expect(pgliteSynchronousCommit()).toBe('off');
    d.session('A')
      .run('RESET synchronous_commit')
      .run('SHOW synchronous_commit')
      .expectRows('A', [['on']]);
    expect(pgliteSynchronousCommit()).toBe('off');
  });

  it('keeps the baseline through RESET ALL and an engine reset', () => {
    d.session('A').run('SET synchronous_commit = remote_apply').run('RESET ALL');
    d.run('SHOW synchronous_commit').expectRows('A', [['on']]);
    expect(pgliteSynchronousCommit()).toBe('off');
    d.reset();
    expect(pgliteSynchronousCommit()).toBe('off');
  });

  it('rejects a bad value with PostgreSQL’s own message', () => {
    d.session('A').run('SET synchronous_commit = sometimes').expectError('A', {
      sqlstate: '22023',
      message: 'invalid value for parameter "synchronous_commit": "sometimes"',
    });
    d.run('SHOW synchronous_commit').expectRows('A', [['on']]);
  });
});

describe('settings PGlite enforces for each session', () => {
  it('keeps each session’s search_path when a statement fails', () => {
    d.setup(
      "CREATE SCHEMA s1; CREATE TABLE s1.t (v text); INSERT INTO s1.t VALUES ('s1'); CREATE TABLE t (v text); INSERT INTO t VALUES ('public')",
    );
    d.session('A')
      .run('SET search_path = s1, public')
      .run('SELECT v FROM t')
      .expectRows('A', [['s1']]);
    // B's first statement fails in PGlite right after its (default) search_path was put back.
    d.session('B').run('SELECT 1/0').expectError('B', { sqlstate: '22012' });
    d.run('SELECT v FROM t').expectRows('B', [['public']]);
    d.session('A')
      .run('SELECT v FROM t')
      .expectRows('A', [['s1']]);
  });
});
