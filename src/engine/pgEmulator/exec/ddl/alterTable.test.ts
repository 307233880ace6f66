import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SessionDriver } from '../../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup(
    "CREATE TABLE t (id int PRIMARY KEY, v text, n int); INSERT INTO t VALUES (1, '10', 1), (2, '20', NULL)",
  );
});

/** The relation locks a session holds on a table, by mode name. */
function relationModes(session: string, relation: string): string[] {
  return d.engine
    .locks()
    .filter((l) => l.session === session && l.granted && l.lock.locktype === 'relation')
    .filter((l) => l.lock.locktype === 'relation' && l.lock.relation === relation)
    .map((l) => l.mode)
    .sort();
}

describe('ALTER TABLE lock levels', () => {
  it.each([
    ['ADD COLUMN w int', 'AccessExclusiveLock'],
    ['DROP COLUMN n', 'AccessExclusiveLock'],
    ['ALTER COLUMN n TYPE bigint', 'AccessExclusiveLock'],
    ['ALTER COLUMN n SET DEFAULT 0', 'AccessExclusiveLock'],
    ['ADD CONSTRAINT c CHECK (id > 0) NOT VALID', 'AccessExclusiveLock'],
    ['VALIDATE CONSTRAINT c', 'ShareUpdateExclusiveLock'],
  ])('%s takes %s', (command, mode) => {
    d.setup('ALTER TABLE t ADD CONSTRAINT c CHECK (id > 0) NOT VALID');
    if (command.startsWith('ADD CONSTRAINT c')) d.setup('ALTER TABLE t DROP CONSTRAINT c');
    d.session('A').run('BEGIN').run(`ALTER TABLE t ${command}`).expectOk('A', { tag: 'ALTER TABLE' });
    expect(relationModes('A', 't')).toEqual([mode]);
  });

  it('ADD FOREIGN KEY takes ShareRowExclusiveLock on both tables', () => {
    d.setup('CREATE TABLE c (tid int)');
    d.session('A').run('BEGIN').run('ALTER TABLE c ADD FOREIGN KEY (tid) REFERENCES t').expectOk('A');
    expect(relationModes('A', 'c')).toEqual(['ShareRowExclusiveLock']);
    expect(relationModes('A', 't')).toEqual(['ShareRowExclusiveLock']);
  });

  it('takes the strongest mode of its subcommands', () => {
    d.session('A').run('BEGIN').run('ALTER TABLE t VALIDATE CONSTRAINT t_pkey, ADD COLUMN w int');
    d.expectError('A', { sqlstate: '42809' });
    d.run('ROLLBACK').run('BEGIN').run('ALTER TABLE t ADD COLUMN w int, ADD CHECK (id > 0) NOT VALID');
    expect(relationModes('A', 't')).toEqual(['AccessExclusiveLock']);
  });
});

describe('ALTER TABLE and concurrent sessions', () => {
  it('keeps the lock identity of a table whose view had to be re-created', () => {
    d.session('A').run('BEGIN').run('ALTER TABLE t DROP COLUMN v').expectOk('A');
    d.session('B').run('SELECT * FROM t ORDER BY id').expectWaiting('B', { on: 'A', lock: 'relation' });
    d.session('A').run('COMMIT');
    d.expectOk('B', {
      columns: ['id', 'n'],
      rows: [
        ['1', '1'],
        ['2', null],
      ],
    });
    d.session('B')
      .run("SELECT tableoid = 't'::regclass FROM t LIMIT 1")
      .expectRows('B', [['t']]);
  });

  it('makes an old REPEATABLE READ snapshot see a rewritten table empty', () => {
    d.session('B').run('BEGIN ISOLATION LEVEL REPEATABLE READ').run('SELECT 1');
    d.session('A').run('ALTER TABLE t ALTER COLUMN v TYPE int USING v::int').expectOk('A');
    d.session('B').run('SELECT * FROM t').expectOk('B', { rows: [] });
    d.session('C')
      .run('SELECT v FROM t ORDER BY id')
      .expectRows('C', [['10'], ['20']]);
  });

  it('keeps the old versions for an old snapshot when nothing is rewritten', () => {
    d.session('B').run('BEGIN ISOLATION LEVEL REPEATABLE READ').run('SELECT 1');
    d.session('A').run('ALTER TABLE t ADD COLUMN w int DEFAULT 7').expectOk('A');
    d.session('B')
      .run('SELECT id, w FROM t ORDER BY id')
      .expectRows('B', [
        ['1', '7'],
        ['2', '7'],
      ]);
  });
});

describe('ALTER TABLE rollback', () => {
  it('brings a dropped column back with its values and its place', () => {
    d.session('A').run('BEGIN').run('ALTER TABLE t DROP COLUMN v').run('INSERT INTO t VALUES (3, 3)');
    d.run('ROLLBACK').run('SELECT * FROM t ORDER BY id');
    d.expectOk('A', {
      columns: ['id', 'v', 'n'],
      rows: [
        ['1', '10', '1'],
        ['2', '20', null],
      ],
    });
  });

  it('undoes a rewrite at ROLLBACK TO SAVEPOINT, row versions included', () => {
    d.session('A').run('BEGIN').run('SELECT ctid, xmin FROM t ORDER BY id');
    const before = d.lastOutcome('A');
    d.run('SAVEPOINT s').run('ALTER TABLE t ALTER COLUMN v TYPE int USING v::int, ADD COLUMN w serial');
    d.run('SELECT v, w FROM t ORDER BY id').expectRows('A', [
      ['10', '1'],
      ['20', '2'],
    ]);
    d.run('ROLLBACK TO SAVEPOINT s').run('SELECT ctid, xmin FROM t ORDER BY id');
    expect(d.lastOutcome('A')).toEqual(before);
    d.run('COMMIT')
      .run('SELECT pg_typeof(v)::text FROM t LIMIT 1')
      .expectRows('A', [['text']]);
  });

  it('leaves no version of the aborted transaction behind a rolled-back rewrite', () => {
    d.session('A')
      .run('BEGIN')
      .run('UPDATE t SET n = 10 WHERE id = 1')
      .run('ALTER TABLE t ALTER COLUMN n TYPE bigint');
    d.run('UPDATE t SET n = 20 WHERE id = 1').run('ROLLBACK');
    d.run('SELECT id, n FROM t ORDER BY id').expectRows('A', [
      ['1', '1'],
      ['2', null],
    ]);
    d.session('B')
      .run('BEGIN')
      .run('SELECT id FROM t WHERE id = 1 FOR UPDATE')
      .expectRows('B', [['1']]);
  });

  it('forgets constraints, keys and foreign keys added by the rolled-back transaction', () => {
    d.setup('CREATE TABLE c (tid int)');
    d.session('A')
      .run('BEGIN')
      .run('ALTER TABLE t ADD CONSTRAINT v_unique UNIQUE (v), ADD CHECK (n > 0)')
      .run('ALTER TABLE c ADD FOREIGN KEY (tid) REFERENCES t')
      .expectOk('A')
      .run('ROLLBACK');
    d.run("INSERT INTO t VALUES (3, '10', -1)").expectOk('A');
    d.run('INSERT INTO c VALUES (99)').expectOk('A');
  });

  it('keeps the table’s OID when columns are only added, or when nothing about them is undone', () => {
    d.session('A').run("SELECT 't'::regclass::oid");
    const before = d.lastOutcome('A');
    d.run('ALTER TABLE t ADD COLUMN w int').run('BEGIN').run('ALTER TABLE t ALTER COLUMN n SET DEFAULT 3');
    d.run('ALTER TABLE t ADD CHECK (n > 0)').run('ROLLBACK').run("SELECT 't'::regclass::oid");
    expect(d.lastOutcome('A')).toEqual(before);
  });

  it('renames back', () => {
    d.session('A').run('BEGIN').run('ALTER TABLE t RENAME TO u').run('ALTER TABLE u RENAME COLUMN v TO w');
    d.run('SELECT w FROM u ORDER BY id').expectRows('A', [['10'], ['20']]);
    d.run('ROLLBACK')
      .run('SELECT v FROM t ORDER BY id')
      .expectRows('A', [['10'], ['20']]);
  });
});

describe('ALTER TABLE errors', () => {
  it('checks the rows that exist, with PostgreSQL texts', () => {
    d.session('A').run('ALTER TABLE t ALTER COLUMN n SET NOT NULL').expectError('A', {
      sqlstate: '23502',
      message: 'column "n" of relation "t" contains null values',
    });
    d.run('ALTER TABLE t ADD CHECK (n > 1)').expectError('A', {
      sqlstate: '23514',
      message: 'check constraint "t_n_check" of relation "t" is violated by some row',
    });
    d.run("UPDATE t SET v = '10'").run('ALTER TABLE t ADD UNIQUE (v)').expectError('A', {
      sqlstate: '23505',
      message: 'could not create unique index "t_v_key"',
      detail: 'Key (v)=(10) is duplicated.',
    });
    d.setup('CREATE TABLE c (tid int); INSERT INTO c VALUES (5)');
    d.run('ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (tid) REFERENCES t').expectError('A', {
      sqlstate: '23503',
      message: 'insert or update on table "c" violates foreign key constraint "c_fk"',
      detail: 'Key (tid)=(5) is not present in table "t".',
    });
  });

  it('counts only the versions the latest snapshot sees', () => {
    d.session('A').run('UPDATE t SET n = 5 WHERE id = 2').run('DELETE FROM t WHERE id = 1');
    d.run('ALTER TABLE t ALTER COLUMN n SET NOT NULL').expectOk('A');
    d.run('ALTER TABLE t ADD CHECK (n > 1)').expectOk('A');
  });

  it('reports dependent foreign keys of a dropped column', () => {
    d.setup('CREATE TABLE c (tid int REFERENCES t)');
    d.session('A').run('ALTER TABLE t DROP COLUMN id').expectError('A', {
      sqlstate: '2BP01',
      message: 'cannot drop column id of table t because other objects depend on it',
      detail: 'constraint c_tid_fkey on table c depends on column id of table t',
      hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
    });
    d.run('ALTER TABLE t DROP COLUMN id CASCADE').expectOk('A');
    d.expectNotice('A', 'drop cascades to constraint c_tid_fkey on table c');
    d.run('INSERT INTO c VALUES (42)').expectOk('A');
  });

  it('refuses hidden header names and system column names', () => {
    d.session('A').run('ALTER TABLE t ADD COLUMN __tid int').expectError('A', { sqlstate: '0A000' });
    d.run('ALTER TABLE t ADD COLUMN xmin int').expectError('A', {
      sqlstate: '42701',
      message: 'column name "xmin" conflicts with a system column name',
    });
  });

  it('fails loudly for subcommands it does not emulate', () => {
    d.session('A').run('ALTER TABLE t SET UNLOGGED').expectError('A', {
      sqlstate: '0A000',
      message: 'the playground engine does not support ALTER TABLE … SET UNLOGGED',
    });
  });
});
