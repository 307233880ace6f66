import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { SessionDriver } from '../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a')");
});

describe('transaction control', () => {
  it('warns on BEGIN inside a block and on COMMIT outside one', () => {
    d.session('A').run('BEGIN').run('BEGIN').expectOk('A', { tag: 'BEGIN' });
    d.expectNotice('A', 'there is already a transaction in progress');
    d.run('COMMIT')
      .run('COMMIT')
      .expectOk('A', { tag: 'COMMIT' })
      .expectNotice('A', 'there is no transaction in progress');
  });

  it('refuses commands in an aborted block and answers COMMIT with ROLLBACK', () => {
    d.session('A')
      .run('BEGIN')
      .run('SELECT 1/0')
      .expectError('A', { sqlstate: '22012', message: 'division by zero' });
    d.run('SELECT 1').expectError('A', {
      sqlstate: '25P02',
      message: 'current transaction is aborted, commands ignored until end of transaction block',
    });
    d.run('COMMIT').expectOk('A', { tag: 'ROLLBACK' });
    d.run('SELECT v FROM t').expectRows('A', [['a']]);
  });

  it('undoes the writes and the locks of a rolled-back savepoint', () => {
    d.session('A').run('BEGIN').run('SAVEPOINT s').run("UPDATE t SET v = 'b' WHERE id = 1");
    d.session('B')
      .run("UPDATE t SET v = 'c' WHERE id = 1")
      .expectWaiting('B', { on: 'A', lock: 'transactionid' });
    d.session('A').run('ROLLBACK TO SAVEPOINT s').expectOk('A', { tag: 'ROLLBACK' });
    d.expectOk('B', { tag: 'UPDATE 1' });
    d.session('A')
      .run('SELECT v FROM t')
      .expectRows('A', [['c']])
      .run('COMMIT');
  });

  it('keeps an error inside a savepoint from aborting the outer transaction', () => {
    d.session('A').run('BEGIN').run("INSERT INTO t VALUES (2, 'x')").run('SAVEPOINT s');
    d.run("INSERT INTO t VALUES (1, 'dup')").expectError('A', { sqlstate: '23505' });
    d.run('ROLLBACK TO s').run('COMMIT').expectOk('A', { tag: 'COMMIT' });
    d.run('SELECT id FROM t ORDER BY id').expectRows('A', [['1'], ['2']]);
  });

  it('runs a multi-statement string in one implicit transaction that an error rolls back', () => {
    d.session('A').run("INSERT INTO t VALUES (3, 'c'); SELECT 1/0").expectError('A', { sqlstate: '22012' });
    d.run('SELECT count(*) FROM t').expectRows('A', [['1']]);
  });

  it('refuses SAVEPOINT outside a transaction block', () => {
    d.session('A').run('SAVEPOINT s').expectError('A', {
      sqlstate: '25P01',
      message: 'SAVEPOINT can only be used in transaction blocks',
    });
  });

  it('refuses SET TRANSACTION ISOLATION LEVEL after the first query', () => {
    d.session('A').run('BEGIN').run('SELECT 1').run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    d.expectError('A', {
      sqlstate: '25001',
      message: 'SET TRANSACTION ISOLATION LEVEL must be called before any query',
    });
  });

  it('reverts SET at rollback and keeps it at commit; SET LOCAL lasts until the end of the transaction', () => {
    d.session('A')
      .run("BEGIN; SET lock_timeout = '5s'; ROLLBACK")
      .run('SHOW lock_timeout')
      .expectRows('A', [['0']]);
    d.run("BEGIN; SET lock_timeout = '5s'; COMMIT")
      .run('SHOW lock_timeout')
      .expectRows('A', [['5s']]);
    d.run("BEGIN; SET LOCAL lock_timeout = '7s'")
      .run('SHOW lock_timeout')
      .expectRows('A', [['7s']]);
    d.run('COMMIT')
      .run('SHOW lock_timeout')
      .expectRows('A', [['5s']]);
  });

  it('makes a REPEATABLE READ transaction keep the snapshot of its first query', () => {
    d.session('A').run('BEGIN ISOLATION LEVEL REPEATABLE READ').run('SELECT v FROM t');
    d.session('B').run("UPDATE t SET v = 'b' WHERE id = 1");
    d.session('A')
      .run('SELECT v FROM t')
      .expectRows('A', [['a']])
      .run('COMMIT')
      .run('SELECT v FROM t')
      .expectRows('A', [['b']]);
  });
});
