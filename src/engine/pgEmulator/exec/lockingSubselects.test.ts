import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SessionDriver } from '../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset();
  d.setup(`CREATE TABLE jobs (id int PRIMARY KEY, state text NOT NULL, note varchar(10));
           INSERT INTO jobs SELECT g, 'ready', 'n' || g FROM generate_series(1, 5) g`);
});

describe('locking sub-selects the engine runs first (checked against PostgreSQL 18)', () => {
  it('a scalar sub-select reads two rows: the second is 21000, after both were locked', () => {
    d.session('A')
      .run('BEGIN')
      .run('SELECT id FROM jobs WHERE id = (SELECT id FROM jobs ORDER BY id FOR UPDATE)')
      .expectError('A', {
        sqlstate: '21000',
        message: 'more than one row returned by a subquery used as an expression',
      })
      .run('ROLLBACK')
      .run('BEGIN')
      .run('SELECT (SELECT id, state FROM jobs LIMIT 1 FOR UPDATE)')
      .expectError('A', { sqlstate: '42601', message: 'subquery must return only one column' });
  });

  it('keeps the sub-select’s types (varchar(10) stays varchar(10), NULL when nothing was locked)', () => {
    d.session('A')
      .run('BEGIN')
      .run(`SELECT pg_typeof(n), n FROM (SELECT note AS n FROM jobs WHERE id = 2 FOR UPDATE) s`)
      .expectRows('A', [['character varying', 'n2']])
      .run(`SELECT (SELECT note FROM jobs WHERE id = 99 FOR UPDATE) IS NULL`)
      .expectRows('A', [['t']])
      .run(
        `SELECT EXISTS (SELECT 1 FROM jobs WHERE id = 3 FOR SHARE), ARRAY(SELECT id FROM jobs WHERE id < 3 ORDER BY id FOR SHARE)`,
      )
      .expectRows('A', [['t', '{1,2}']]);
  });

  it('an INSERT … SELECT … FOR UPDATE locks the rows it copies', () => {
    d.session('A')
      .run('BEGIN')
      .run(`INSERT INTO jobs SELECT id + 10, 'copy', note FROM jobs WHERE id <= 2 FOR UPDATE`)
      .expectOk('A', { tag: 'INSERT 0 2' })
      .session('B')
      .run('SELECT id FROM jobs WHERE id <= 3 ORDER BY id FOR UPDATE SKIP LOCKED')
      .expectRows('B', [['3']]);
  });

  it('refuses what depends on how much of the sub-select PostgreSQL reads', () => {
    const refused = (sql: string, message: RegExp): void => {
      d.session('A').run('BEGIN').run(sql).expectError('A', { sqlstate: '0A000' });
      const outcome = d.lastOutcome('A');
      expect(outcome?.kind === 'error' ? outcome.error.message : '').toMatch(message);
      d.run('ROLLBACK');
    };
    refused('WITH c AS (SELECT id FROM jobs ORDER BY id FOR UPDATE) SELECT * FROM c LIMIT 1', /LIMIT/);
    refused('SELECT * FROM (SELECT id FROM jobs FOR UPDATE) s WHERE s.id = 3', /pushes/);
    refused(
      'SELECT s.id FROM (SELECT id FROM jobs FOR UPDATE) s JOIN (SELECT 3 AS id) t ON s.id = t.id',
      /pushes/,
    );
    refused(
      'SELECT * FROM jobs j WHERE EXISTS (SELECT 1 FROM jobs k WHERE k.id = j.id FOR UPDATE)',
      /correlated/,
    );
    refused('SELECT * FROM (SELECT * FROM (SELECT id FROM jobs FOR UPDATE) x) y', /top level/);
  });

  it('an error inside the sub-select is PostgreSQL’s own, not a refusal', () => {
    d.session('A')
      .run('BEGIN')
      .run('UPDATE jobs SET state = 1 WHERE id = (SELECT idd FROM jobs LIMIT 1 FOR UPDATE)')
      .expectError('A', { sqlstate: '42703', message: 'column "idd" does not exist' });
  });
});
