import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { SessionDriver } from '../../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup(
    `CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b');
     CREATE VIEW v AS SELECT id, upper(v) AS u FROM t`,
  );
});

describe('user views', () => {
  it('read with the reader’s snapshot', () => {
    d.session('A').run('BEGIN').run("INSERT INTO t VALUES (3, 'c')");
    d.session('B')
      .run('SELECT u FROM v ORDER BY id')
      .expectRows('B', [['A'], ['B']]);
    d.session('A')
      .run('SELECT count(*) FROM v')
      .expectRows('A', [['3']]);
  });

  it('lock the tables under them', () => {
    d.session('A').run('BEGIN').run('ALTER TABLE t ADD COLUMN w int');
    d.session('B').run('SELECT * FROM v').expectWaiting('B', { on: 'A', lock: 'relation' });
    d.session('A').run('ROLLBACK');
    d.expectOk('B', { columns: ['id', 'u'] });
    d.session('B').run('BEGIN').run('SELECT * FROM v');
    d.session('A').run('ALTER TABLE t ADD COLUMN w int').expectWaiting('A', { on: 'B' });
    d.session('B').run('COMMIT');
    d.expectOk('A');
  });

  it('are invisible to others until committed, and a DROP VIEW is waited for', () => {
    d.session('A').run('BEGIN').run('CREATE VIEW w AS SELECT id FROM t');
    d.session('B')
      .run('SELECT * FROM w')
      .expectError('B', { sqlstate: '42P01', message: 'relation "w" does not exist' });
    d.session('A').run('COMMIT').run('BEGIN').run('DROP VIEW w');
    d.session('B').run('SELECT * FROM w').expectWaiting('B', { on: 'A' });
    d.session('A').run('ROLLBACK');
    d.expectRows('B', [['1'], ['2']]);
  });

  it('refuse writes through them', () => {
    d.session('A').run("INSERT INTO v VALUES (3, 'c')").expectError('A', {
      sqlstate: '0A000',
      message:
        'the playground engine does not support writing through views (INSERT, UPDATE or DELETE on a view)',
    });
    d.run('DELETE FROM v').expectError('A', { sqlstate: '0A000' });
  });

  it('keep a table from being dropped without CASCADE', () => {
    d.session('A').run('DROP TABLE t').expectError('A', {
      sqlstate: '2BP01',
      message: 'cannot drop table t because other objects depend on it',
      detail: 'view v depends on table t',
    });
    d.run('BEGIN').run('DROP TABLE t CASCADE').expectNotice('A', 'drop cascades to view v');
    d.run('SELECT * FROM v').expectError('A', { sqlstate: '42P01' });
    d.run('ROLLBACK')
      .run('SELECT count(*) FROM v')
      .expectRows('A', [['2']]);
  });

  it('survive an ALTER TABLE that re-creates the table’s view', () => {
    d.setup('ALTER TABLE t ADD COLUMN extra int');
    d.session('A').run('ALTER TABLE t DROP COLUMN extra').run('SELECT u FROM v ORDER BY id');
    d.expectRows('A', [['A'], ['B']]);
  });
});
