import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StatementOutcome } from '../api/results';
import { SessionDriver } from '../../testing';

let d: SessionDriver;
beforeAll(async () => {
  d = await SessionDriver.create();
});
afterAll(() => d.close());
beforeEach(() => {
  d.reset().setup(
    "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');" +
      "CREATE TABLE u (id int, w text); INSERT INTO u VALUES (1, 'u1')",
  );
});

function columns(outcome: StatementOutcome | undefined): string[] {
  if (!outcome || outcome.kind !== 'ok') throw new Error(`not a result: ${JSON.stringify(outcome)}`);
  return (outcome.fields ?? []).map((f) => `${f.name}:${f.typeOid}`);
}

const XID = 28;
const CID = 29;
const TID = 27;
const OID = 26;

describe('system columns in plain SELECTs', () => {
  it('gives xmin, xmax, cmin, cmax, ctid, tableoid with their types, and * as the user columns', () => {
    d.session('A').run('SELECT xmin, xmax, cmin, cmax, ctid, tableoid, * FROM t ORDER BY id');
    expect(columns(d.lastOutcome('A'))).toEqual([
      `xmin:${XID}`,
      `xmax:${XID}`,
      `cmin:${CID}`,
      `cmax:${CID}`,
      `ctid:${TID}`,
      `tableoid:${OID}`,
      'id:23',
      'v:25',
    ]);
    d.run('SELECT ctid, xmax, tableoid::regclass, t.* FROM t ORDER BY id').expectRows('A', [
      ['(0,1)', '0', 't', '1', 'a'],
      ['(0,2)', '0', 't', '2', 'b'],
      ['(0,3)', '0', 't', '3', 'c'],
    ]);
  });

  it('filters by ctid and keeps aliases, joins and subqueries working', () => {
    d.session('A')
      .run("SELECT t.ctid, t.* FROM t WHERE ctid = '(0,2)'")
      .expectRows('A', [['(0,2)', '2', 'b']])
      .run('SELECT a.ctid, b.ctid, * FROM t a JOIN u b ON a.id = b.id')
      .expectRows('A', [['(0,1)', '(0,1)', '1', 'a', '1', 'u1']])
      .run('SELECT public.t.ctid, id FROM public.t WHERE id IN (SELECT id FROM u WHERE u.xmin IS NOT NULL)')
      .expectRows('A', [['(0,1)', '1']])
      .run('WITH c AS (SELECT ctid, * FROM t) SELECT * FROM c WHERE id = 3')
      .expectRows('A', [['(0,3)', '3', 'c']])
      .run('SELECT * FROM (SELECT ctid, * FROM t) s, generate_series(1, 1) WHERE s.id = 1')
      .expectRows('A', [['(0,1)', '1', 'a', '1']]);
    expect(columns(d.lastOutcome('A'))).toEqual([`ctid:${TID}`, 'id:23', 'v:25', 'generate_series:23']);
  });

  it('shows the updater in xmax and the new version’s ctid, xmin and cmin', () => {
    d.session('A').run('BEGIN').run("UPDATE t SET v = 'x' WHERE id = 1");
    d.run('SELECT ctid, xmin = pg_current_xact_id()::xid, xmax, cmin FROM t WHERE id = 1').expectRows('A', [
      ['(0,4)', 't', '0', '0'],
    ]);
    d.session('B')
      .run(
        'SELECT ctid, xmax::text = (SELECT backend_xid::text FROM pg_stat_activity WHERE backend_xid IS NOT NULL) FROM t WHERE id = 1',
      )
      .expectRows('B', [['(0,1)', 't']]);
  });

  it('shows a MultiXact id in xmax when two transactions share-lock a row', () => {
    d.session('A').run('BEGIN').run('SELECT id FROM t WHERE id = 1 FOR SHARE');
    d.session('B').run('BEGIN').run('SELECT id FROM t WHERE id = 1 FOR SHARE');
    d.session('C')
      .run('SELECT xmax FROM t WHERE id = 1')
      .expectRows('C', [['1']])
      .run(
        "SELECT xmax IN (SELECT transactionid FROM pg_locks WHERE locktype = 'transactionid') FROM t WHERE id = 1",
      )
      .expectRows('C', [['f']]);
  });

  it('agrees between a locking SELECT and a plain one', () => {
    d.session('A').run('BEGIN').run('SELECT xmin, xmax, ctid, * FROM t WHERE id = 2 FOR UPDATE');
    expect(columns(d.lastOutcome('A'))).toEqual([
      `xmin:${XID}`,
      `xmax:${XID}`,
      `ctid:${TID}`,
      'id:23',
      'v:25',
    ]);
    // The row as read before it was locked, like PostgreSQL's LockRows returns it.
    d.run('SELECT xmax, ctid, * FROM t WHERE id = 3 FOR UPDATE').expectRows('A', [['0', '(0,3)', '3', 'c']]);
    d.run('SELECT xmax::text = pg_current_xact_id()::text, ctid FROM t WHERE id = 2').expectRows('A', [
      ['t', '(0,2)'],
    ]);
    d.run('SELECT a.ctid, u.ctid, * FROM t a, u WHERE a.id = u.id FOR UPDATE OF a').expectRows('A', [
      ['(0,1)', '(0,1)', '1', 'a', '1', 'u1'],
    ]);
  });

  it('reads them in INSERT … SELECT', () => {
    d.session('A')
      .run("INSERT INTO u SELECT id, ctid::text FROM t WHERE xmax = '0' AND id < 3")
      .run('SELECT w FROM u ORDER BY w')
      .expectRows('A', [['(0,1)'], ['(0,2)'], ['u1']]);
  });

  it('works in prepared statements', () => {
    d.session('A').run('PREPARE p AS SELECT xmin, xmax, ctid, * FROM t WHERE id = $1').run('EXECUTE p(3)');
    expect(columns(d.lastOutcome('A'))).toEqual([
      `xmin:${XID}`,
      `xmax:${XID}`,
      `ctid:${TID}`,
      'id:23',
      'v:25',
    ]);
    d.run('PREPARE q AS SELECT xmax, ctid, * FROM t WHERE id = $1')
      .run('EXECUTE q(3)')
      .expectRows('A', [['0', '(0,3)', '3', 'c']]);
  });
});

describe('query shapes refused with 0A000', () => {
  it('refuses NATURAL JOIN, * over JOIN … USING and whole-row references', () => {
    d.session('A')
      .run('SELECT * FROM t NATURAL JOIN u WHERE t.xmin IS NOT NULL')
      .expectError('A', { sqlstate: '0A000' })
      .run('SELECT * FROM t JOIN u USING (id) WHERE t.xmin IS NOT NULL')
      .expectError('A', {
        sqlstate: '0A000',
        message:
          'the playground engine does not support SELECT * over JOIN … USING in a query that reads system columns',
      })
      .run('SELECT row_to_json(t), xmin FROM t')
      .expectError('A', {
        sqlstate: '0A000',
        message:
          'the playground engine does not support whole-row references ("t") in a query that reads system columns',
      })
      .run('SELECT count(t.*), min(xmin::text) FROM t')
      .expectError('A', { sqlstate: '0A000' })
      .run(
        'SELECT j.* FROM (t JOIN u ON t.id = u.id) AS j WHERE j.id IN (SELECT id FROM t WHERE xmin IS NOT NULL)',
      )
      .expectError('A', {
        sqlstate: '0A000',
        message:
          'the playground engine does not support an aliased JOIN ("j") in a query that reads system columns',
      })
      .run('SELECT * FROM t NATURAL JOIN u FOR UPDATE OF t')
      .expectError('A', {
        sqlstate: '0A000',
        message:
          'the playground engine does not support NATURAL JOIN with a locking clause (FOR UPDATE …) (name the join columns with USING or ON)',
      });
  });

  it('refuses system columns in INSERT … RETURNING rather than show PGlite’s own', () => {
    d.session('A')
      .run("INSERT INTO t VALUES (9, 'z') RETURNING ctid, *")
      .expectError('A', {
        sqlstate: '0A000',
        message:
          'the playground engine does not support system columns (ctid, xmin, …) in INSERT … RETURNING',
      })
      .run("UPDATE t SET v = 'y' WHERE ctid = '(0,1)' RETURNING ctid, xmax, *")
      .expectRows('A', [['(0,4)', '0', '1', 'y']]);
  });

  it('still runs the same shapes without system columns, and USING without *', () => {
    d.session('A')
      .run('SELECT * FROM t JOIN u USING (id)')
      .expectRows('A', [['1', 'a', 'u1']])
      .run('SELECT t.id, u.w, t.ctid FROM t JOIN u USING (id)')
      .expectRows('A', [['1', 'u1', '(0,1)']]);
  });

  it('hides the engine’s own columns', () => {
    d.session('A')
      .run('SELECT __pg_tid, xmin FROM t')
      .expectError('A', { sqlstate: '42703', message: 'column "__pg_tid" does not exist' })
      .run('SELECT __pg_tid FROM t FOR UPDATE')
      .expectError('A', { sqlstate: '42703' });
  });
});
