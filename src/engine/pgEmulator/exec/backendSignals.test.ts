/**
 * pg_cancel_backend on the engine: what PostgreSQL 18 answers (checked there with the same
 * statements: see src/lessons/expected/client-timeout-phases.out for the lock-wait case).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SessionDriver } from '../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)');
  d.session('holder').run('BEGIN').run('UPDATE t SET v = 1 WHERE id = 1');
});

const canceled = { sqlstate: '57014', message: 'canceling statement due to user request' };

describe('pg_cancel_backend', () => {
  it('cancels another session’s waiting statement: 57014, its transaction aborted, its lock wait gone', () => {
    d.session('A').run('BEGIN').run('UPDATE t SET v = 2 WHERE id = 1').expectWaiting('A', { on: 'holder' });
    const pid = d.engine.session('A').pid;
    d.session('B')
      .run(`SELECT pg_cancel_backend(${pid})`)
      .expectRows('B', [['t']]);
    d.expectError('A', canceled);
    expect(d.engine.session('A').status).toBe('in failed transaction');
    expect(d.engine.locks().filter((lock) => lock.session === 'A' && !lock.granted)).toEqual([]);
    d.session('holder')
      .run('COMMIT')
      .session('C')
      .run('SELECT v FROM t')
      .expectRows('C', [['1']]);
  });

  it('takes its pid from a query, names its column like PostgreSQL, and leaves an idle session alone', () => {
    d.session('A').run('SELECT 1');
    d.session('B')
      .run(`SELECT pg_cancel_backend(p) FROM (VALUES (${d.engine.session('A').pid})) AS v(p)`)
      .expectOk('B', { columns: ['pg_cancel_backend'], rows: [['t']] });
    d.session('A')
      .run('SELECT 2')
      .expectRows('A', [['2']]);
  });

  it('answers false with PostgreSQL’s WARNING for a pid that is no backend, and NULL for NULL', () => {
    d.session('B')
      .run('SELECT pg_cancel_backend(1)')
      .expectRows('B', [['f']]);
    expect(d.notices('B')).toEqual([
      { severity: 'WARNING', sqlstate: '01000', message: 'PID 1 is not a PostgreSQL backend process' },
    ]);
    d.run('SELECT pg_cancel_backend(NULL)').expectRows('B', [[null]]);
  });

  it('cancels the calling statement when a backend signals itself', () => {
    d.session('B').run('BEGIN').run('SELECT pg_cancel_backend(pg_backend_pid())').expectError('B', canceled);
    expect(d.engine.session('B').status).toBe('in failed transaction');
  });

  it('a closed session is no backend any more', () => {
    d.session('A').run('SELECT 1');
    const pid = d.engine.session('A').pid;
    d.engine.closeSession('A');
    d.session('B')
      .run(`SELECT pg_cancel_backend(${pid})`)
      .expectRows('B', [['f']]);
  });
});
