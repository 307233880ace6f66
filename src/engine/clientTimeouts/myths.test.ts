/** Every myth of the reference is contradicted by the model's own output. */
import { describe, expect, it } from 'vitest';
import { contradictMyth, MYTH_IDS, MYTHS, mythsFor } from './myths';
import { RULES } from './rules';

describe('myths', () => {
  it.each(MYTH_IDS)('%s is contradicted by the model', (id) => {
    const { contradicted, evidence, myth } = contradictMyth(id);
    expect(contradicted).toBe(true);
    expect(evidence.length).toBeGreaterThan(0);
    expect(myth.belief).not.toBe('');
    expect(myth.whyWrong).not.toBe('');
    for (const ruleId of myth.ruleIds) expect(RULES[ruleId].sources.length).toBeGreaterThan(0);
  });

  it('lib/pq: a CancelRequest for an exec, for rows, and for a transaction idle before Commit', () => {
    expect(contradictMyth('lib-pq-leaves-query-running').evidence).toEqual([
      'an exec in flight: a CancelRequest reaches the server at 108 ms',
      'rows streaming: a CancelRequest reaches the server at 108 ms',
      'a transaction idle before Commit: a CancelRequest reaches the server at 108 ms',
      'the exec: The statement is cancelled.',
    ]);
  });

  it('mysql: no KILL QUERY, the socket closes, the statement keeps running', () => {
    expect(contradictMyth('mysql-kills-query').evidence).toEqual([
      'no KILL QUERY and no cancel reach the server',
      'the driver closes the TCP socket; the server sees it at 102 ms',
      'The server keeps running the statement: a lock-blocked UPDATE commits once it gets the lock. (On the server it finishes at 301 ms.)',
    ]);
  });

  it('sqlite3: sqlite3_interrupt, and the 300 ms statement returns at the deadline', () => {
    expect(contradictMyth('sqlite3-ignores-context').evidence).toEqual([
      'sqlite3_interrupt at 100 ms',
      'the 300 ms statement returns `context deadline exceeded` at 100 ms',
    ]);
  });

  it('LastInsertId: neither pq nor pgx', () => {
    expect(contradictMyth('pq-supports-last-insert-id').evidence).toEqual([
      'lib/pq: `LastInsertId is not supported by this driver`',
      'pgx stdlib: `LastInsertId is not supported by this driver`',
      "in a program, lib/pq's res.LastInsertId() returns `LastInsertId is not supported by this driver`",
    ]);
  });

  it('SetConnMaxLifetime: the wait gets longer, and a deadline that was met is missed', () => {
    expect(contradictMyth('conn-max-lifetime-speeds-up-acquire').evidence).toEqual([
      'waiting behind a 50 ms query: the connection comes at 84 ms without ConnMaxLifetime, at 114 ms with ConnMaxLifetime 20 ms (the old connection is closed on return and a new one is dialed)',
      'with a deadline at 100 ms: completed without, returned-error (context deadline exceeded) with ConnMaxLifetime',
    ]);
  });

  it('Scan: returns the ctx error with every database/sql driver; only the "never checks ctx" half is true', () => {
    const { evidence } = contradictMyth('scan-ignores-deadline');
    expect(evidence.slice(0, 4)).toEqual([
      'pgx-stdlib: rows.Scan returns `context deadline exceeded` (returned by rows.Scan at 105 ms)',
      'lib-pq: rows.Scan returns `context deadline exceeded` (returned by rows.Scan at 110 ms)',
      'mysql: rows.Scan returns `context deadline exceeded` (returned by rows.Scan at 105 ms)',
      'sqlite3: rows.Scan returns `context deadline exceeded` (returned by rows.Scan at 128 ms)',
    ]);
    expect(evidence[4]).toContain('Scan after the deadline succeeds');
  });

  it('callouts: the UI finds the myths for a driver and phase', () => {
    expect(mythsFor('mysql', 'query').map((myth) => myth.id)).toEqual(['mysql-kills-query']);
    expect(mythsFor('lib-pq', 'query').map((myth) => myth.id)).toEqual([
      'lib-pq-leaves-query-running',
      'pq-supports-last-insert-id',
    ]);
    expect(mythsFor('pgx-stdlib', 'acquire').map((myth) => myth.id)).toEqual([
      'conn-max-lifetime-speeds-up-acquire',
    ]);
    expect(mythsFor('pgxpool', 'begin')).toEqual([]);
    expect(Object.keys(MYTHS)).toEqual([...MYTH_IDS]);
  });
});
