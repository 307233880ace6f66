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

describe('timeouts on the virtual clock', () => {
  it('lock_timeout fires after its time, with the wait’s CONTEXT', () => {
    d.session('A').run("SET lock_timeout = '50ms'").run('UPDATE t SET v = 2 WHERE id = 1').expectWaiting('A');
    d.advance(49).expectWaiting('A').advance(1);
    d.expectError('A', {
      sqlstate: '55P03',
      message: 'canceling statement due to lock timeout',
      context: 'while updating tuple (0,1) in relation "t"',
    });
  });

  it('statement_timeout covers a lock wait; a tie with lock_timeout is reported as the lock timeout', () => {
    d.session('A').run("SET statement_timeout = '30ms'").run('UPDATE t SET v = 2 WHERE id = 1');
    d.advance(30).expectError('A', {
      sqlstate: '57014',
      message: 'canceling statement due to statement timeout',
    });
    d.run("SET lock_timeout = '30ms'").run('UPDATE t SET v = 2 WHERE id = 1');
    d.advance(30).expectError('A', { sqlstate: '55P03', message: 'canceling statement due to lock timeout' });
  });

  it('a cancel ends a waiting statement with 57014 and frees its locks', () => {
    d.session('A').run('BEGIN').run('UPDATE t SET v = 2 WHERE id = 1').expectWaiting('A');
    d.cancel('A').expectError('A', { sqlstate: '57014', message: 'canceling statement due to user request' });
    expect(d.engine.session('A').status).toBe('in failed transaction');
  });

  it('pg_sleep takes virtual time and can be cancelled by statement_timeout', () => {
    d.session('A').run('SELECT pg_sleep(2)');
    expect(d.engine.isBusy('A')).toBe(true);
    d.advance(2000).expectOk('A', { tag: 'SELECT 1' });
    d.run("SET statement_timeout = '1s'").run('SELECT pg_sleep(2)').advance(1000);
    d.expectError('A', { message: 'canceling statement due to statement timeout' });
  });

  it('idle_in_transaction_session_timeout terminates the session and frees its locks', () => {
    d.session('A')
      .run("SET idle_in_transaction_session_timeout = '100ms'")
      .run('BEGIN')
      .run('SELECT * FROM t FOR SHARE');
    d.session('B').run('DELETE FROM t WHERE id = 1');
    d.session('holder').run('ROLLBACK');
    d.expectWaiting('B', { on: 'A' });
    d.advance(100);
    expect(d.engine.session('A').status).toBe('terminated');
    d.expectOk('B', { tag: 'DELETE 1' });
  });

  it('now() is fixed for the transaction and moves with the virtual clock', () => {
    // PostgreSQL 18: BEGIN is a statement of its own, so even the next one starts later.
    d.session('A')
      .run('BEGIN')
      .run('SELECT now() = statement_timestamp(), now() < statement_timestamp()')
      .expectRows('A', [['f', 't']]);
    d.session('B')
      .run('SELECT now() = statement_timestamp(), statement_timestamp() = clock_timestamp()')
      .expectRows('B', [['t', 'f']]);
    d.advance(1500)
      .session('A')
      .run('ROLLBACK')
      .run('BEGIN')
      .run(
        `SELECT now() = statement_timestamp(), clock_timestamp() - now() BETWEEN interval '0' AND interval '1 ms'`,
      )
      .expectRows('A', [['f', 't']]);
  });
});

describe('bad input', () => {
  it('returns PostgreSQL’s own syntax error and aborts an open block', () => {
    d.session('A')
      .run('BEGIN')
      .run('SELEC 1')
      .expectError('A', { sqlstate: '42601', message: 'syntax error at or near "SELEC"' });
    expect(d.engine.session('A').status).toBe('in failed transaction');
  });

  it('refuses unsupported statements with 0A000 and names them', () => {
    d.session('A')
      .run('COPY t TO STDOUT')
      .expectError('A', { sqlstate: '0A000', message: 'the playground engine does not support COPY' });
  });

  it('keeps learners out of the engine’s internal schemas', () => {
    d.session('A').run('SELECT * FROM _heap_public.t').expectError('A', { sqlstate: '42501' });
    d.run('SELECT * FROM t').expectOk('A');
  });

  it("shows the first rows of a huge result and says so, with PostgreSQL's command tag", () => {
    const outcome = d.session('A').run('SELECT g FROM generate_series(1, 20000) g').lastOutcome('A');
    expect(outcome).toMatchObject({ kind: 'ok', truncated: true, tag: 'SELECT 20000', rowCount: 20000 });
    expect(outcome?.kind === 'ok' ? outcome.rows?.length : 0).toBe(10000);
    expect(outcome?.kind === 'ok' ? outcome.rows?.[9999] : null).toEqual(['10000']);
  });

  it("runs every row of a statement whose result is cut: the effects and later statements are PostgreSQL's", () => {
    d.setup('CREATE SEQUENCE sq; CREATE TABLE big (id int PRIMARY KEY, v int)')
      .session('A')
      .run('SELECT nextval($$sq$$) FROM generate_series(1, 20000)')
      .run('SELECT last_value FROM sq')
      .expectRows('A', [['20000']])
      .run('INSERT INTO big SELECT g, 0 FROM generate_series(1, 20000) g')
      .expectOk('A', { tag: 'INSERT 0 20000' })
      .run('UPDATE big SET v = v + 1 WHERE id > 5000')
      .expectOk('A', { tag: 'UPDATE 15000' })
      .run('UPDATE big SET v = v + 1 RETURNING id')
      .expectOk('A', { tag: 'UPDATE 20000' });
    const returning = d.lastOutcome('A');
    expect(returning).toMatchObject({ truncated: true });
    expect(returning?.kind === 'ok' ? returning.rows?.length : 0).toBe(10000);
    d.session('A')
      .run('DELETE FROM big WHERE v = 2')
      .expectOk('A', { tag: 'DELETE 15000' })
      .run('SELECT count(*), sum(v) FROM big')
      .expectRows('A', [['5000', '5000']]);
    expect(d.engine.selfCheck()).toEqual([]);
  });
});
