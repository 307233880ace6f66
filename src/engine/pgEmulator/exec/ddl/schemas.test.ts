import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { SessionDriver } from '../../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup('CREATE SCHEMA s; CREATE TABLE s.t (id int); INSERT INTO s.t VALUES (1)');
});

describe('schemas', () => {
  it('hide an uncommitted schema; a second CREATE SCHEMA waits for the first', () => {
    d.session('A').run('BEGIN').run('CREATE SCHEMA n');
    d.session('B').run('CREATE TABLE n.x (id int)').expectError('B', {
      sqlstate: '3F000',
      message: 'schema "n" does not exist',
    });
    d.run('CREATE SCHEMA n').expectWaiting('B', { on: 'A', lock: 'transactionid' });
    d.session('A').run('COMMIT');
    d.expectError('B', {
      sqlstate: '23505',
      message: 'duplicate key value violates unique constraint "pg_namespace_nspname_index"',
      detail: 'Key (nspname)=(n) already exists.',
    });
    d.session('B')
      .run('CREATE SCHEMA IF NOT EXISTS n')
      .expectNotice('B', 'schema "n" already exists, skipping');
  });

  it('refuse DROP SCHEMA of a schema with contents unless CASCADE', () => {
    d.session('A').run('DROP SCHEMA s').expectError('A', {
      sqlstate: '2BP01',
      message: 'cannot drop schema s because other objects depend on it',
      detail: 'table s.t depends on schema s',
    });
    d.run('BEGIN').run('DROP SCHEMA s CASCADE').expectNotice('A', 'drop cascades to table s.t');
    d.session('B').run('SELECT * FROM s.t').expectWaiting('B', { on: 'A' });
    d.session('A').run('COMMIT');
    d.expectError('B', { sqlstate: '42P01', message: 'relation "s.t" does not exist' });
    d.session('A').run('CREATE SCHEMA s').expectOk('A', { tag: 'CREATE SCHEMA' });
  });

  it('lets the learner read tables in a new schema', () => {
    d.session('A').run('CREATE SCHEMA n').run('CREATE TABLE n.x (id int)').run('INSERT INTO n.x VALUES (5)');
    d.run('SELECT * FROM n.x').expectRows('A', [['5']]);
  });
});
