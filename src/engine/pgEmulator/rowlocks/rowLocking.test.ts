import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { SessionDriver } from '../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup(
    'CREATE TABLE acct (id int PRIMARY KEY, balance int NOT NULL); INSERT INTO acct VALUES (1, 100), (2, 100)',
  );
});

describe('row locks', () => {
  it('READ COMMITTED re-checks the newest version after waiting (EvalPlanQual)', () => {
    d.session('A').run('BEGIN').run('UPDATE acct SET balance = balance + 10 WHERE id = 1');
    d.session('B')
      .run('UPDATE acct SET balance = balance * 2 WHERE id = 1 RETURNING balance')
      .expectWaiting('B', { on: 'A' });
    d.session('A').run('COMMIT');
    d.expectOk('B', { tag: 'UPDATE 1', rows: [['220']] });
  });

  it('READ COMMITTED skips a row that no longer matches after the wait', () => {
    d.session('A').run('BEGIN').run('UPDATE acct SET balance = 0 WHERE id = 1');
    d.session('B').run('UPDATE acct SET balance = 1 WHERE balance = 100').expectWaiting('B', { on: 'A' });
    d.session('A').run('COMMIT');
    d.expectOk('B', { tag: 'UPDATE 1' });
    d.session('B')
      .run('SELECT id, balance FROM acct ORDER BY id')
      .expectRows('B', [
        ['1', '0'],
        ['2', '1'],
      ]);
  });

  it('REPEATABLE READ fails with 40001 when the row was updated concurrently', () => {
    d.session('B').run('BEGIN ISOLATION LEVEL REPEATABLE READ').run('SELECT 1');
    d.session('A').run('BEGIN').run('UPDATE acct SET balance = 0 WHERE id = 1');
    d.session('B').run('UPDATE acct SET balance = 5 WHERE id = 1').expectWaiting('B', { on: 'A' });
    d.session('A').run('COMMIT');
    d.expectError('B', { sqlstate: '40001', message: 'could not serialize access due to concurrent update' });
  });

  it('REPEATABLE READ reports a concurrent delete as such', () => {
    d.session('B').run('BEGIN ISOLATION LEVEL REPEATABLE READ').run('SELECT 1');
    d.session('A').run('DELETE FROM acct WHERE id = 1');
    d.session('B').run('UPDATE acct SET balance = 5 WHERE id = 1');
    d.expectError('B', { sqlstate: '40001', message: 'could not serialize access due to concurrent delete' });
  });

  it('NOWAIT and SKIP LOCKED', () => {
    d.session('A').run('BEGIN').run('SELECT * FROM acct WHERE id = 1 FOR UPDATE');
    d.session('B').run('SELECT * FROM acct WHERE id = 1 FOR UPDATE NOWAIT');
    d.expectError('B', { sqlstate: '55P03', message: 'could not obtain lock on row in relation "acct"' });
    d.run('SELECT id FROM acct ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED').expectRows('B', [['2']]);
  });

  it('a non-key update does not wait for FOR KEY SHARE', () => {
    d.session('A').run('BEGIN').run('SELECT * FROM acct WHERE id = 1 FOR KEY SHARE');
    d.session('B').run('UPDATE acct SET balance = 1 WHERE id = 1').expectOk('B', { tag: 'UPDATE 1' });
    d.run('UPDATE acct SET id = 3 WHERE id = 2').expectOk('B', { tag: 'UPDATE 1' });
    d.run('DELETE FROM acct WHERE id = 1').expectWaiting('B', { on: 'A' });
  });

  it('detects a deadlock after deadlock_timeout and reports it with PostgreSQL’s texts', () => {
    d.session('A')
      .run("SET deadlock_timeout = '100ms'")
      .run('BEGIN')
      .run('UPDATE acct SET balance = 1 WHERE id = 1');
    d.session('B')
      .run("SET deadlock_timeout = '10s'")
      .run('BEGIN')
      .run('UPDATE acct SET balance = 2 WHERE id = 2');
    d.session('A').run('UPDATE acct SET balance = 1 WHERE id = 2').expectWaiting('A', { on: 'B' });
    d.session('B').run('UPDATE acct SET balance = 2 WHERE id = 1').expectWaiting('B', { on: 'A' });
    d.advance(100);
    d.expectError('A', {
      sqlstate: '40P01',
      message: 'deadlock detected',
      hint: 'See server log for query details.',
      context: 'while updating tuple (0,2) in relation "acct"',
    });
    d.expectOk('B', { tag: 'UPDATE 1' });
  });

  it('unique keys wait for an in-progress inserter, then conflict if it commits', () => {
    d.session('A').run('BEGIN').run('INSERT INTO acct VALUES (3, 0)');
    d.session('B')
      .run('INSERT INTO acct VALUES (3, 1)')
      .expectWaiting('B', { on: 'A', lock: 'transactionid' });
    d.session('A').run('COMMIT');
    d.expectError('B', {
      sqlstate: '23505',
      message: 'duplicate key value violates unique constraint "acct_pkey"',
      detail: 'Key (id)=(3) already exists.',
    });
  });

  it('INSERT … ON CONFLICT DO UPDATE updates a row committed after the snapshot under READ COMMITTED', () => {
    d.session('A').run('BEGIN').run('INSERT INTO acct VALUES (5, 1)');
    d.session('B').run(
      'INSERT INTO acct VALUES (5, 2) ON CONFLICT (id) DO UPDATE SET balance = acct.balance + excluded.balance RETURNING balance',
    );
    d.expectWaiting('B', { on: 'A' });
    d.session('A').run('COMMIT');
    d.expectOk('B', { tag: 'INSERT 0 1', rows: [['3']] });
  });
});
