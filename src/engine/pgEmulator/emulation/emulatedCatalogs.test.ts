import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StatementOutcome } from '../api/results';
import { SessionDriver } from '../../testing';
import { PG_LOCKS_COLUMNS, PG_PREPARED_STATEMENTS_COLUMNS, PG_STAT_ACTIVITY_COLUMNS } from './catalogSql';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup("CREATE TABLE t (id int NOT NULL, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
});

function rows(outcome: StatementOutcome | undefined): (string | null)[][] {
  if (!outcome || outcome.kind !== 'ok') throw new Error(`not a result: ${JSON.stringify(outcome)}`);
  return outcome.rows ?? [];
}

/** A waits for B's row lock; C observes. */
function rowWait(): void {
  d.session('A').run('BEGIN').run("UPDATE t SET v = 'x' WHERE id = 1");
  d.session('B').run('BEGIN').run("UPDATE t SET v = 'y' WHERE id = 1").expectWaiting('B', { on: 'A' });
}

describe('column names and types', () => {
  it.each([
    ['pg_locks', PG_LOCKS_COLUMNS],
    ['pg_stat_activity', PG_STAT_ACTIVITY_COLUMNS],
    ['pg_prepared_statements', PG_PREPARED_STATEMENTS_COLUMNS],
  ] as const)('%s has PostgreSQL 18’s columns', (view, expected) => {
    // The real catalog view in PGlite is the reference for names, order and types.
    d.session('A').run(
      `SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
        WHERE a.attrelid = 'pg_catalog.${view}'::regclass AND a.attnum > 0 ORDER BY a.attnum`,
    );
    expect(rows(d.lastOutcome('A'))).toEqual(expected.map(([name, type]) => [name, type]));
    d.run(`SELECT * FROM ${view} LIMIT 0`).expectOk('A', {
      columns: expected.map(([name]) => name),
    });
  });
});

describe('pg_locks', () => {
  it('shows holders and the waiter of a row lock, as PostgreSQL does', () => {
    rowWait();
    d.session('C').run(
      `SELECT locktype, relation::regclass, mode, granted, fastpath, page, tuple, waitstart IS NOT NULL
         FROM pg_locks WHERE pid <> pg_backend_pid() ORDER BY 1, 2, 3, 4`,
    );
    expect(rows(d.lastOutcome('C'))).toEqual([
      ['relation', 't', 'RowExclusiveLock', 't', 't', null, null, 'f'],
      ['relation', 't', 'RowExclusiveLock', 't', 't', null, null, 'f'],
      ['transactionid', null, 'ExclusiveLock', 't', 'f', null, null, 'f'],
      ['transactionid', null, 'ExclusiveLock', 't', 'f', null, null, 'f'],
      ['transactionid', null, 'ShareLock', 'f', 'f', null, null, 't'],
      ['tuple', 't', 'ExclusiveLock', 't', 'f', '0', '1', 'f'],
      ['virtualxid', null, 'ExclusiveLock', 't', 't', null, null, 'f'],
      ['virtualxid', null, 'ExclusiveLock', 't', 't', null, null, 'f'],
    ]);
  });

  it('shows the reader’s own lock on pg_locks and pg_stat_activity’s catalogs (shared ones in database 0)', () => {
    d.session('C')
      .run('BEGIN')
      .run('SELECT count(*) FROM pg_stat_activity')
      .run(
        `SELECT relation::regclass, mode, fastpath, database = 0 FROM pg_catalog.pg_locks
          WHERE pid = pg_backend_pid() AND locktype = 'relation' ORDER BY 1`,
      );
    expect(rows(d.lastOutcome('C'))).toEqual([
      ['pg_authid', 'AccessShareLock', 'f', 't'],
      ['pg_database', 'AccessShareLock', 'f', 't'],
      ['pg_database_datname_index', 'AccessShareLock', 'f', 't'],
      ['pg_database_oid_index', 'AccessShareLock', 'f', 't'],
      ['pg_authid_rolname_index', 'AccessShareLock', 'f', 't'],
      ['pg_authid_oid_index', 'AccessShareLock', 'f', 't'],
      ['pg_locks', 'AccessShareLock', 't', 'f'],
      ['pg_stat_activity', 'AccessShareLock', 't', 'f'],
    ]);
    d.run('COMMIT').run("SELECT count(*) FROM pg_locks WHERE relation = 'pg_stat_activity'::regclass");
    expect(rows(d.lastOutcome('C'))).toEqual([['0']]);
  });

  it('moves weak locks off the fast path when a strong lock is requested', () => {
    d.session('A').run('BEGIN').run('SELECT count(*) FROM t');
    d.session('B').run('BEGIN').run('LOCK TABLE t IN ACCESS EXCLUSIVE MODE').expectWaiting('B', { on: 'A' });
    d.session('C').run(
      `SELECT mode, granted, fastpath FROM pg_locks WHERE relation = 't'::regclass ORDER BY granted DESC`,
    );
    expect(rows(d.lastOutcome('C'))).toEqual([
      ['AccessShareLock', 't', 'f'],
      ['AccessExclusiveLock', 'f', 'f'],
    ]);
  });

  it('shows advisory locks with their keys', () => {
    d.session('A').run('SELECT pg_advisory_lock(1, 2)').run('SELECT pg_advisory_lock(42)');
    d.session('B').run(
      `SELECT classid, objid, objsubid, mode, granted, virtualtransaction ~ '^[0-9]+/0$'
         FROM pg_locks WHERE locktype = 'advisory' ORDER BY objsubid`,
    );
    expect(rows(d.lastOutcome('B'))).toEqual([
      ['0', '42', '1', 'ExclusiveLock', 't', 't'],
      ['1', '2', '2', 'ExclusiveLock', 't', 't'],
    ]);
  });

  it('shows a statement’s locks on the table’s indexes, but none for a plain INSERT or LOCK TABLE', () => {
    d.setup('CREATE TABLE k (id int PRIMARY KEY, code text UNIQUE)');
    const indexLocks = (session: string): (string | null)[][] => {
      d.session('C').run(
        `SELECT relation::regclass, mode, fastpath FROM pg_locks
          WHERE locktype = 'relation' AND pid = ${d.engine.session(session).pid} ORDER BY relation::regclass::text, mode`,
      );
      return rows(d.lastOutcome('C'));
    };
    d.session('A').run('BEGIN').run("INSERT INTO k VALUES (1, 'a')");
    expect(indexLocks('A')).toEqual([['k', 'RowExclusiveLock', 't']]);
    d.session('A').run('SELECT count(*) FROM k');
    expect(indexLocks('A')).toEqual([
      ['k', 'AccessShareLock', 't'],
      ['k', 'RowExclusiveLock', 't'],
      ['k_code_key', 'AccessShareLock', 't'],
      ['k_pkey', 'AccessShareLock', 't'],
    ]);
    d.session('B').run('BEGIN').run('LOCK TABLE k IN ROW SHARE MODE');
    expect(indexLocks('B')).toEqual([['k', 'RowShareLock', 't']]);
    d.session('C')
      .run(
        "SELECT 'k_pkey'::regclass, 'k_pkey'::regclass::oid = (SELECT relation FROM pg_locks WHERE relation = 'k_pkey'::regclass)",
      )
      .expectRows('C', [['k_pkey', 't']]);
    d.session('A').run('COMMIT');
    expect(indexLocks('A')).toEqual([]);
  });

  it('leaves a CTE named pg_locks alone', () => {
    d.session('A')
      .run('WITH pg_locks AS (SELECT 1 AS x) SELECT * FROM pg_locks')
      .expectRows('A', [['1']]);
  });
});

describe('pg_stat_activity', () => {
  it('shows each session’s state, wait event and query', () => {
    rowWait();
    d.session('D').run('BEGIN').run('SELECT 1/0');
    d.session('C').run(
      `SELECT pid = pg_backend_pid(), state, wait_event_type, wait_event, query, xact_start IS NOT NULL,
              backend_xid IS NOT NULL, backend_xmin IS NOT NULL, backend_type
         FROM pg_stat_activity WHERE backend_type = 'client backend' ORDER BY pid`,
    );
    expect(rows(d.lastOutcome('C'))).toEqual([
      [
        'f',
        'idle in transaction',
        'Client',
        'ClientRead',
        "UPDATE t SET v = 'x' WHERE id = 1",
        't',
        't',
        'f',
        'client backend',
      ],
      [
        'f',
        'active',
        'Lock',
        'transactionid',
        "UPDATE t SET v = 'y' WHERE id = 1",
        't',
        't',
        't',
        'client backend',
      ],
      [
        'f',
        'idle in transaction (aborted)',
        'Client',
        'ClientRead',
        'SELECT 1/0',
        'f',
        'f',
        'f',
        'client backend',
      ],
      [
        't',
        'active',
        null,
        null,
        expect.stringMatching(/^SELECT pid = pg_backend_pid\(\)/) as unknown as string,
        't',
        'f',
        't',
        'client backend',
      ],
    ]);
  });

  it('keeps times on the virtual clock', () => {
    d.session('A').run('BEGIN');
    d.advance(5000);
    d.session('A').run('SELECT 1');
    d.advance(2000);
    d.session('B').run(
      `SELECT round(extract(epoch FROM query_start - xact_start), 3), round(extract(epoch FROM now() - state_change), 3),
              now() - backend_start > interval '6 seconds'
         FROM pg_stat_activity WHERE state = 'idle in transaction'`,
    );
    // Virtual time, with PostgreSQL's microsecond steps between statements.
    expect(rows(d.lastOutcome('B'))).toEqual([['5.000', '2.000', 't']]);
  });

  it('lists the background processes too', () => {
    d.session('A').run(
      `SELECT backend_type, state, wait_event_type, query FROM pg_stat_activity
        WHERE backend_type <> 'client backend' ORDER BY 1 LIMIT 2`,
    );
    expect(rows(d.lastOutcome('A'))).toEqual([
      ['autovacuum launcher', null, 'Activity', ''],
      ['background writer', null, 'Activity', ''],
    ]);
  });
});

describe('pg_blocking_pids and pg_isolation_test_session_is_blocked', () => {
  it('answer from the lock manager', () => {
    rowWait();
    const pid = (name: string): string => String(d.engine.session(name).pid);
    d.session('C').run(
      `SELECT pg_blocking_pids(${pid('B')}), pg_blocking_pids(${pid('A')}), pg_blocking_pids(NULL),
              pg_isolation_test_session_is_blocked(${pid('B')}, '{${pid('A')}}'),
              pg_isolation_test_session_is_blocked(${pid('B')}, '{${pid('C')}}'),
              pg_catalog.pg_isolation_test_session_is_blocked(99999, '{}')`,
    );
    expect(rows(d.lastOutcome('C'))).toEqual([[`{${pid('A')}}`, '{}', null, 't', 'f', 'f']]);
  });
});

describe('pg_prepared_statements', () => {
  it('lists the session’s own statements with the query string they came from', () => {
    d.session('A')
      .run('PREPARE q(int) AS SELECT v FROM t WHERE id = $1; EXECUTE q(1)')
      .run(
        'SELECT name, statement, parameter_types, result_types, from_sql, generic_plans, custom_plans FROM pg_prepared_statements',
      )
      .expectRows('A', [
        [
          'q',
          'PREPARE q(int) AS SELECT v FROM t WHERE id = $1; EXECUTE q(1)',
          '{integer}',
          '{text}',
          't',
          '0',
          '1',
        ],
      ]);
    d.session('B')
      .run('SELECT count(*) FROM pg_prepared_statements')
      .expectRows('B', [['0']]);
  });
});

describe('privileges', () => {
  it('does not let learners read the engine’s state directly', () => {
    d.session('A').run('SELECT * FROM _engine.catalog_state').expectError('A', { sqlstate: '42501' });
  });
});

describe('pg_locks next to DDL', () => {
  it('refuses while a transaction that ran DDL locking more than the table is open, not while it waits', () => {
    d.session('A').run('BEGIN').run('SELECT count(*) FROM t');
    d.session('B').run('BEGIN').run('TRUNCATE t').expectWaiting('B', { on: 'A' });
    d.session('C')
      .run("SELECT count(*) FROM pg_locks WHERE relation = 't'::regclass")
      .expectRows('C', [['2']]);
    d.session('A').run('COMMIT');
    d.session('C').run('SELECT count(*) FROM pg_locks').expectError('C', {
      sqlstate: '0A000',
      message:
        'the playground engine does not support pg_locks while a transaction that ran TRUNCATE is open (session B)',
    });
    d.session('B').run('ROLLBACK');
    d.session('C')
      .run("SELECT count(*) FROM pg_locks WHERE relation = 't'::regclass")
      .expectRows('C', [['0']]);
  });

  it('answers after ALTER TABLE forms that lock the table only, and forgets DDL rolled back to a savepoint', () => {
    d.session('A')
      .run('BEGIN')
      .run('ALTER TABLE t ADD COLUMN z int DEFAULT 0')
      .run('ALTER TABLE t RENAME COLUMN z TO y');
    d.session('C')
      .run("SELECT mode FROM pg_locks WHERE relation = 't'::regclass")
      .expectRows('C', [['AccessExclusiveLock']]);
    d.session('A').run('SAVEPOINT s').run('CREATE INDEX t_v ON t (v)');
    d.session('C').run('SELECT count(*) FROM pg_locks').expectError('C', { sqlstate: '0A000' });
    d.session('A').run('ROLLBACK TO SAVEPOINT s');
    d.session('C')
      .run("SELECT mode FROM pg_locks WHERE relation = 't'::regclass")
      .expectRows('C', [['AccessExclusiveLock']]);
    d.session('A').run('ROLLBACK');
  });

  it('lets a new relation take the name of a dropped table’s index', () => {
    d.setup('CREATE TABLE k (id int PRIMARY KEY)');
    d.session('A').run('SELECT count(*) FROM k');
    d.session('A').run('DROP TABLE k').run('CREATE TABLE k_pkey (x int)').run('SELECT count(*) FROM k_pkey');
    d.session('A').expectRows('A', [['0']]);
  });
});
