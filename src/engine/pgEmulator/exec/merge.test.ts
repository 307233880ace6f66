/**
 * MERGE on the engine: the actions, the tag, a target row matched twice (21000, as PostgreSQL 18
 * reports it) and what the engine refuses with 0A000, leaving the session usable. The concurrent
 * cases are in the scenario merge-concurrency and the conformance spec merge-insert-update.
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

const TWICE = {
  sqlstate: '21000',
  message: 'MERGE command cannot affect row a second time',
  hint: 'Ensure that not more than one source row matches any one target row.',
};

describe('MERGE', () => {
  it('updates matched rows and inserts the others, with the tag MERGE n', () => {
    d.session('A')
      .run(
        `MERGE INTO t USING (VALUES (1, 5), (3, 30)) s(id, v) ON t.id = s.id
         WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v)`,
      )
      .expectOk('A', { tag: 'MERGE 2' })
      .run(
        `MERGE INTO t USING (VALUES (4, 3)) s(id, v) ON t.id = s.id
         WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, DEFAULT)`,
      )
      .expectOk('A', { tag: 'MERGE 1' })
      .run('SELECT id, v FROM t ORDER BY id')
      .expectRows('A', [
        ['1', '5'],
        ['2', '20'],
        ['3', '30'],
        ['4', null],
      ]);
  });

  it('takes the first WHEN clause whose condition holds; DO NOTHING is not counted', () => {
    d.session('A')
      .run(
        `MERGE INTO t USING (VALUES (1), (2), (3)) s(id) ON t.id = s.id
         WHEN MATCHED AND t.v > 15 THEN DELETE
         WHEN MATCHED THEN DO NOTHING
         WHEN NOT MATCHED AND s.id > 5 THEN INSERT VALUES (s.id, 0)`,
      )
      .expectOk('A', { tag: 'MERGE 1' })
      .run('SELECT id, v FROM t ORDER BY id')
      .expectRows('A', [['1', '10']]);
  });

  it('refuses to change a target row twice (21000), for UPDATE and DELETE but not DO NOTHING', () => {
    d.session('A')
      .run(`MERGE INTO t USING (VALUES (1), (1)) s(id) ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = v + 1`)
      .expectError('A', TWICE)
      .run(`MERGE INTO t USING (VALUES (1), (1)) s(id) ON t.id = s.id WHEN MATCHED THEN DELETE`)
      .expectError('A', TWICE)
      .run(`MERGE INTO t USING (VALUES (1), (1)) s(id) ON t.id = s.id WHEN MATCHED THEN DO NOTHING`)
      .expectOk('A', { tag: 'MERGE 0' })
      .run('SELECT id, v FROM t ORDER BY id')
      .expectRows('A', [
        ['1', '10'],
        ['2', '20'],
      ]);
  });

  it('checks every WHEN clause before changing anything, as parse analysis does', () => {
    d.session('A')
      .run(
        `MERGE INTO t USING (VALUES (1)) s(id) ON t.id = s.id
         WHEN MATCHED THEN DO NOTHING WHEN NOT MATCHED THEN INSERT VALUES (s.nope, 0)`,
      )
      .expectError('A', { sqlstate: '42703', message: 'column s.nope does not exist' })
      .run(
        `MERGE INTO t USING (VALUES (3)) s(id) ON t.id = s.id
         WHEN MATCHED AND t.nope = 1 THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (s.id, 0)`,
      )
      .expectError('A', { sqlstate: '42703', message: 'column t.nope does not exist' })
      .run(
        `MERGE INTO t USING (VALUES (5, 50)) s(id, v) ON t.id = s.id WHEN NOT MATCHED THEN INSERT VALUES (id, v)`,
      )
      .expectOk('A', { tag: 'MERGE 1' })
      .run(
        `MERGE INTO t USING (VALUES (1, 1)) s(id, v) ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = v + 1`,
      )
      .expectError('A', { sqlstate: '42702', message: 'column reference "v" is ambiguous' })
      .run('SELECT id, v FROM t ORDER BY id')
      .expectRows('A', [
        ['1', '10'],
        ['2', '20'],
        ['5', '50'],
      ]);
  });

  it('returns the source and target columns and merge_action() for each row it changed', () => {
    d.session('A')
      .run(
        `MERGE INTO t USING (VALUES (1, 5), (2, 0), (3, 30)) s(id, w) ON t.id = s.id
         WHEN MATCHED AND s.w = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET v = s.w
         WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.w) RETURNING *`,
      )
      .expectOk('A', {
        tag: 'MERGE 3',
        columns: ['id', 'w', 'id', 'v'],
        rows: [
          ['1', '5', '1', '5'],
          ['2', '0', '2', '20'],
          ['3', '30', '3', '30'],
        ],
      })
      .run(
        `MERGE INTO t USING (VALUES (1, 5), (4, 0), (3, 30)) s(id, w) ON t.id = s.id
         WHEN MATCHED AND s.w = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET v = s.w + 1
         WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.w)
         RETURNING merge_action(), lower(merge_action()), merge_action() || 'x', t.*, s.w AS ww`,
      )
      .expectOk('A', {
        tag: 'MERGE 3',
        columns: ['merge_action', 'lower', '?column?', 'id', 'v', 'ww'],
        rows: [
          ['UPDATE', 'update', 'UPDATEx', '1', '6', '5'],
          ['INSERT', 'insert', 'INSERTx', '4', '0', '0'],
          ['UPDATE', 'update', 'UPDATEx', '3', '31', '30'],
        ],
      })
      .run(
        `MERGE INTO t USING (VALUES (9, 5)) s(id, w) ON t.id = s.id WHEN MATCHED THEN DELETE RETURNING merge_action(), t.*`,
      )
      .expectOk('A', { tag: 'MERGE 0', columns: ['merge_action', 'id', 'v'], rows: [] });
  });

  it('can be prepared and executed with parameters', () => {
    d.session('A')
      .run(
        `PREPARE p(int, text) AS MERGE INTO t USING (SELECT $1 AS id, $2 AS v) s ON t.id = s.id
         WHEN MATCHED THEN UPDATE SET v = s.v::int * 2 WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v::int)`,
      )
      .expectOk('A', { tag: 'PREPARE' })
      .run(`EXECUTE p(1, '7')`)
      .expectOk('A', { tag: 'MERGE 1' })
      .run(`EXECUTE p(5, '50')`)
      .expectOk('A', { tag: 'MERGE 1' })
      .run('SELECT id, v FROM t ORDER BY id')
      .expectRows('A', [
        ['1', '14'],
        ['2', '20'],
        ['5', '50'],
      ]);
  });

  it('refuses what it does not emulate with 0A000, and the session goes on', () => {
    const refusals: [string, string][] = [
      [
        `WITH s AS (SELECT 1 AS id) MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE`,
        'WITH on MERGE',
      ],
      [
        `MERGE INTO t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN DELETE RETURNING xmin`,
        'system columns (ctid, xmin, …) in MERGE … RETURNING',
      ],
      [
        `MERGE INTO t USING (SELECT 1 AS id) s ON t.id = s.id WHEN NOT MATCHED BY SOURCE THEN DELETE`,
        'MERGE … WHEN NOT MATCHED BY SOURCE',
      ],
      [
        `MERGE INTO t USING (SELECT 7 AS id) s ON t.id = s.id WHEN NOT MATCHED THEN INSERT OVERRIDING SYSTEM VALUE VALUES (s.id, 0)`,
        'MERGE … INSERT OVERRIDING SYSTEM/USER VALUE',
      ],
      [
        `MERGE INTO tv USING (SELECT 1 AS id) s ON tv.id = s.id WHEN MATCHED THEN DELETE`,
        'MERGE into a view',
      ],
      [
        `MERGE INTO t USING t AS a JOIN t AS b ON a.id = b.id ON t.id = a.id WHEN MATCHED THEN DELETE`,
        'MERGE … USING a join or a function (use a subquery)',
      ],
    ];
    d.session('A').run('CREATE VIEW tv AS SELECT * FROM t').expectOk('A');
    for (const [sql, what] of refusals) {
      d.run(sql).expectError('A', {
        sqlstate: '0A000',
        message: `the playground engine does not support ${what}`,
      });
    }
    d.run('SELECT count(*) FROM t').expectRows('A', [['2']]);
  });
});
