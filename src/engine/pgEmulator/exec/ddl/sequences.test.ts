import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { SessionDriver } from '../../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup('CREATE SEQUENCE s');
});

describe('sequences across sessions', () => {
  it('keeps nextval non-transactional and currval per session', () => {
    d.session('A')
      .run('BEGIN')
      .run("SELECT nextval('s')")
      .expectRows('A', [['1']])
      .run('ROLLBACK');
    d.session('B').run("SELECT currval('s')").expectError('B', {
      sqlstate: '55000',
      message: 'currval of sequence "s" is not yet defined in this session',
    });
    d.run("SELECT nextval('s'), currval('s'), lastval()").expectRows('B', [['2', '2', '2']]);
    d.session('A')
      .run("SELECT currval('s')")
      .expectRows('A', [['1']]);
    d.session('C').run('SELECT lastval()').expectError('C', {
      sqlstate: '55000',
      message: 'lastval is not yet defined in this session',
    });
  });

  it('makes nextval wait for an uncommitted ALTER SEQUENCE, and ALTER SEQUENCE for nextval', () => {
    d.session('A').run('BEGIN').run('ALTER SEQUENCE s MAXVALUE 2');
    d.session('B').run("SELECT nextval('s') FROM generate_series(1, 3)").expectWaiting('B', { on: 'A' });
    d.session('A').run('COMMIT');
    d.expectError('B', { message: 'nextval: reached maximum value of sequence "s" (2)' });
    d.session('A').run('ALTER SEQUENCE s MAXVALUE 20');
    d.session('B')
      .run('BEGIN')
      .run("SELECT nextval('s')")
      .expectRows('B', [['3']]);
    d.session('A').run('ALTER SEQUENCE s MAXVALUE 30').expectWaiting('A', { on: 'B' });
    d.session('B').run('COMMIT');
    d.expectOk('A', { tag: 'ALTER SEQUENCE' });
  });

  it('rolls ALTER SEQUENCE back, with the nextval calls made after it', () => {
    d.session('A').run("SELECT nextval('s')").run('BEGIN').run('ALTER SEQUENCE s RESTART WITH 100');
    d.run("SELECT nextval('s')")
      .expectRows('A', [['100']])
      .run('ROLLBACK');
    d.run("SELECT nextval('s')").expectRows('A', [['2']]);
  });

  it('hides an uncommitted CREATE SEQUENCE and frees a dropped name at once', () => {
    d.session('A').run('BEGIN').run('CREATE SEQUENCE t');
    d.session('B')
      .run("SELECT nextval('t')")
      .expectError('B', { sqlstate: '42P01', message: 'relation "t" does not exist' });
    d.session('A').run('DROP SEQUENCE s').run('CREATE SEQUENCE s START 10').run("SELECT nextval('s')");
    d.expectRows('A', [['10']]).run('ROLLBACK');
    d.session('B')
      .run("SELECT nextval('s')")
      .expectRows('B', [['1']]);
  });

  it('refuses to drop a sequence a column default uses', () => {
    d.setup('CREATE TABLE t (id serial, v text)');
    d.session('A').run('DROP SEQUENCE t_id_seq').expectError('A', {
      sqlstate: '2BP01',
      message: 'cannot drop sequence t_id_seq because other objects depend on it',
      detail: 'default value for column id of table t depends on sequence t_id_seq',
    });
  });

  it('gives serial columns a per-session currval and drops their sequence with the table', () => {
    d.setup('CREATE TABLE t (id serial, v text)');
    d.session('A')
      .run("INSERT INTO t (v) VALUES ('a')")
      .run("SELECT currval('t_id_seq')")
      .expectRows('A', [['1']]);
    d.session('B').run("SELECT currval('t_id_seq')").expectError('B', { sqlstate: '55000' });
    d.run('DROP TABLE t').run('CREATE TABLE t (id serial, v text)').expectOk('B', { tag: 'CREATE TABLE' });
  });
});
