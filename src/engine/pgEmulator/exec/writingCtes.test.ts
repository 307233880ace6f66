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

  it('refuses a write whose rows the query reads, and the session goes on', () => {
    d.session('A')
      .run(`WITH gone AS (DELETE FROM t WHERE id = 1 RETURNING *) SELECT * FROM gone`)
      .expectError('A', {
        sqlstate: '0A000',
        message:
          'the playground engine does not support data-modifying statements in WITH whose rows the query reads ("gone"): run the statement on its own with RETURNING',
      })
      .run('SELECT count(*) FROM t')
      .expectRows('A', [['2']]);
  });

  it('refuses a write read by another CTE', () => {
    d.session('A')
      .run(
        `WITH gone AS (DELETE FROM t RETURNING id), back AS (INSERT INTO t SELECT id, 0 FROM gone) SELECT 1`,
      )
      .expectError('A', {
        sqlstate: '0A000',
        message:
          'the playground engine does not support data-modifying statements in WITH whose rows the query reads ("gone"): run the statement on its own with RETURNING',
      })
      .run('SELECT count(*) FROM t')
      .expectRows('A', [['2']]);
  });

  it('refuses MERGE in WITH', () => {
    d.session('A')
      .run(
        `WITH m AS (MERGE INTO t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN DELETE) SELECT 1`,
      )
      .expectError('A', { sqlstate: '0A000', message: 'the playground engine does not support MERGE' });
  });
});
