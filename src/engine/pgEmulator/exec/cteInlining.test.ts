/**
 * WITH on INSERT, UPDATE and DELETE (the scenario cte-in-writes compares the supported forms with
 * PostgreSQL): the forms the engine cannot inline faithfully fail with 0A000, and nothing changes.
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

const refused = (what: string) => ({
  sqlstate: '0A000',
  message: `the playground engine does not support ${what}`,
});

describe('WITH on INSERT, UPDATE and DELETE', () => {
  it('inlines a CTE read through a subquery, and one read by a later CTE', () => {
    d.session('A')
      .run(
        'WITH a AS (SELECT 1 AS id), b AS (SELECT id FROM a) DELETE FROM t WHERE id IN (SELECT id FROM b) RETURNING *',
      )
      .expectRows('A', [['1', '10']])
      .run('WITH x(id) AS (SELECT 50) INSERT INTO t SELECT id, 1 FROM x RETURNING id')
      .expectRows('A', [['50']]);
  });

  it('keeps a target named like a CTE as the table', () => {
    d.session('A')
      .run('WITH t AS (SELECT 2 AS id) UPDATE t SET v = 0 WHERE id = 1')
      .expectOk('A', { tag: 'UPDATE 1' })
      .run('SELECT v FROM t WHERE id = 1')
      .expectRows('A', [['0']]);
  });

  it('refuses RECURSIVE and a function-calling CTE read twice', () => {
    d.session('A')
      .run('WITH RECURSIVE r AS (SELECT 1) DELETE FROM t')
      .expectError('A', refused('WITH RECURSIVE on DELETE'))
      .run('WITH r AS (SELECT random() AS x) UPDATE t SET v = 1 FROM r, r AS r2')
      .expectError(
        'A',
        refused('a CTE that calls functions and is read more than once by INSERT, UPDATE or DELETE ("r")'),
      )
      .run('SELECT id, v FROM t ORDER BY id')
      .expectRows('A', [
        ['1', '10'],
        ['2', '20'],
      ]);
  });

  it('runs a write in the WITH of a write after it, on the same snapshot (PostgreSQL 18: the DELETE finds the rows already updated)', () => {
    d.session('A')
      .run('WITH g AS (DELETE FROM t RETURNING id) UPDATE t SET v = 1')
      .expectOk('A', { tag: 'UPDATE 2' })
      .run('SELECT id, v FROM t ORDER BY id')
      .expectRows('A', [
        ['1', '1'],
        ['2', '1'],
      ]);
  });
});
