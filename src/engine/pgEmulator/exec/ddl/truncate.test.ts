import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SessionDriver } from '../../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup(
    `CREATE TABLE p (id serial PRIMARY KEY, v text);
     CREATE TABLE c (pid int REFERENCES p);
     INSERT INTO p (v) VALUES ('a'), ('b'); INSERT INTO c VALUES (1)`,
  );
});

describe('TRUNCATE', () => {
  it('waits for readers and takes AccessExclusiveLock', () => {
    d.session('R').run('BEGIN').run('SELECT count(*) FROM c');
    d.session('A').run('TRUNCATE c').expectWaiting('A', { on: 'R', lock: 'relation' });
    d.session('R').run('COMMIT');
    d.expectOk('A', { tag: 'TRUNCATE TABLE' });
  });

  it('refuses a referenced table unless CASCADE, which says what it truncates too', () => {
    d.session('A').run('TRUNCATE p').expectError('A', {
      sqlstate: '0A000',
      message: 'cannot truncate a table referenced in a foreign key constraint',
      detail: 'Table "c" references "p".',
      hint: 'Truncate table "c" at the same time, or use TRUNCATE ... CASCADE.',
    });
    d.run('TRUNCATE p CASCADE').expectOk('A').expectNotice('A', 'truncate cascades to table "c"');
    d.run('SELECT (SELECT count(*) FROM p), (SELECT count(*) FROM c)').expectRows('A', [['0', '0']]);
  });

  it('is not MVCC-safe: an older snapshot sees the table empty', () => {
    d.session('B').run('BEGIN ISOLATION LEVEL REPEATABLE READ').run('SELECT 1');
    d.session('A').run('TRUNCATE c');
    d.session('B').run('SELECT * FROM c').expectOk('B', { rows: [] });
  });

  it('does not bring back rows the aborted transaction inserted before it truncated', () => {
    d.session('A')
      .run('BEGIN')
      .run("INSERT INTO p (v) VALUES ('x')")
      .run('TRUNCATE p CASCADE')
      .run('ROLLBACK');
    d.run('SELECT v FROM p ORDER BY id').expectRows('A', [['a'], ['b']]);
  });

  it('brings rows, row versions and the restarted sequence back on rollback', () => {
    d.session('A').run('SELECT ctid, xmin, * FROM p ORDER BY id');
    const before = d.lastOutcome('A');
    d.run('BEGIN').run('TRUNCATE p, c RESTART IDENTITY').run("INSERT INTO p (v) VALUES ('x') RETURNING id");
    d.expectRows('A', [['1']]).run('ROLLBACK');
    d.run('SELECT ctid, xmin, * FROM p ORDER BY id');
    expect(d.lastOutcome('A')).toEqual(before);
    d.run("INSERT INTO p (v) VALUES ('c') RETURNING id").expectRows('A', [['3']]);
  });
});
