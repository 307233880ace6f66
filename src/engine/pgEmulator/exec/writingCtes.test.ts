/**
 * Data-modifying statements in WITH: what the engine runs (the scenario writing-cte compares it
 * with PostgreSQL) and what it refuses with 0A000, leaving the session usable.
 */
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { SessionDriver } from '../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup(`CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 10), (2, 20);`);
});

describe('data-modifying statements in WITH', () => {
  it('runs the writes after the main query, on the same snapshot', () => {
    d.session('A')
      .run('BEGIN')
      .run(
        `WITH i AS (INSERT INTO t VALUES (3, 30)), u AS (UPDATE t SET v = 0 WHERE id = 1) SELECT id, v FROM t ORDER BY id`,
      )
      .expectRows('A', [
        ['1', '10'],
        ['2', '20'],
      ])
      .run('SELECT id, v FROM t ORDER BY id')
      .expectRows('A', [
        ['1', '0'],
        ['2', '20'],
        ['3', '30'],
      ]);
  });

  it('lets the write read the other CTEs of the WITH', () => {
    d.session('A')
      .run(
        `WITH src AS (SELECT id + 10 AS id, v FROM t), copy AS (INSERT INTO t SELECT id, v FROM src) SELECT 1 AS one`,
      )
      .expectRows('A', [['1']])
      .run('SELECT count(*) FROM t')
      .expectRows('A', [['4']]);
  });

  it('runs a write whose rows the query reads first; the query reads its RETURNING rows, not its changes', () => {
    d.session('A')
      .run(
        `WITH gone AS (DELETE FROM t WHERE id = 1 RETURNING *) SELECT g.id, g.v, (SELECT count(*) FROM t) AS still FROM gone g`,
      )
      .expectRows('A', [['1', '10', '2']])
      .run('SELECT count(*) FROM t')
      .expectRows('A', [['1']]);
  });

  it('feeds a write read by another write (PostgreSQL: the same snapshot, so the UPDATE misses the new row)', () => {
    d.session('A')
      .run(
        `WITH a AS (INSERT INTO t VALUES (7, 70) RETURNING id), b AS (UPDATE t SET v = 0 WHERE id IN (SELECT id FROM a) RETURNING id) SELECT * FROM a, b`,
      )
      .expectOk('A', { tag: 'SELECT 0' })
      .run('SELECT id, v FROM t ORDER BY id')
      .expectRows('A', [
        ['1', '10'],
        ['2', '20'],
        ['7', '70'],
      ]);
  });

  it('moves rows: WITH … DELETE … RETURNING feeding an INSERT', () => {
    d.session('A')
      .run('CREATE TABLE archive (id int, v int)')
      .run('WITH moved AS (DELETE FROM t WHERE id = 2 RETURNING *) INSERT INTO archive SELECT * FROM moved')
      .expectOk('A', { tag: 'INSERT 0 1' })
      .run('SELECT * FROM archive')
      .expectRows('A', [['2', '20']]);
  });

  it('skips a row the main UPDATE finds already changed by its own WITH (same command)', () => {
    d.session('A')
      .run(
        'WITH u AS (UPDATE t SET v = 9 WHERE id = 1 RETURNING *) UPDATE t SET v = u.v + 1 FROM u WHERE t.id = u.id RETURNING t.*',
      )
      .expectOk('A', { tag: 'UPDATE 0' })
      .run('SELECT v FROM t WHERE id = 1')
      .expectRows('A', [['9']]);
  });

  it('says so when a read write has no RETURNING, and the session goes on', () => {
    d.session('A')
      .run('WITH x AS (DELETE FROM t WHERE id = 5) SELECT * FROM x')
      .expectError('A', { sqlstate: '0A000', message: 'WITH query "x" does not have a RETURNING clause' })
      .run('SELECT count(*) FROM t')
      .expectRows('A', [['2']]);
  });

  it('refuses MERGE in WITH', () => {
    d.session('A')
      .run(
        `WITH m AS (MERGE INTO t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN DELETE) SELECT 1`,
      )
      .expectError('A', {
        sqlstate: '0A000',
        message: 'the playground engine does not support MERGE in WITH',
      });
  });
});
