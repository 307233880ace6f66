import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SessionDriver } from '../testing/sessionDriver';

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
  return d.engine.internals.host.rows('SHOW synchronous_commit')[0]?.[0];
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
    d.session('A')
      .run('SET synchronous_commit = sometimes')
      .expectError('A', {
        sqlstate: '22023',
        message: 'invalid value for parameter "synchronous_commit": "sometimes"',
      });
    d.run('SHOW synchronous_commit').expectRows('A', [['on']]);
  });
});
