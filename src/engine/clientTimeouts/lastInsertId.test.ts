/** The reference's "LastInsertId": pgx and lib/pq do not support it; mysql and go-sqlite3 do. */
import { describe, expect, it } from 'vitest';
import type { DriverName } from './drivers';
import { lastInsertIdBehaviour } from './lastInsertId';
import { simulate } from './simulate';

function lastInsertIdCall(driver: DriverName) {
  const result = simulate({
    driver,
    pool: { maxOpenConns: 1 },
    goroutines: [
      {
        id: 'app',
        deadlineMs: null,
        steps: [{ kind: 'exec', sql: 'INSERT INTO t (v) VALUES (1)', readLastInsertId: true }],
      },
    ],
  });
  return result.goroutines[0]?.calls.find((call) => call.call === 'res.LastInsertId');
}

describe('LastInsertId', () => {
  it.each(['pgx-stdlib', 'lib-pq'] as const)(
    '%s: `LastInsertId is not supported by this driver`',
    (driver) => {
      expect(lastInsertIdBehaviour(driver)).toMatchObject({
        status: 'not-supported',
        error: { message: 'LastInsertId is not supported by this driver', isDeadlineExceeded: false },
        advice: 'Use `RETURNING id`.',
        ruleId: 'last-insert-id',
      });
      expect(lastInsertIdCall(driver)).toMatchObject({
        error: { message: 'LastInsertId is not supported by this driver' },
        note: 'Use `RETURNING id`.',
      });
    },
  );

  it.each(['mysql', 'sqlite3'] as const)('%s supports it', (driver) => {
    expect(lastInsertIdBehaviour(driver)).toEqual({ status: 'supported', ruleId: 'last-insert-id' });
    expect(lastInsertIdCall(driver)).toMatchObject({ error: null, note: 'supported by this driver' });
  });

  it('pgxpool is not modelled: the reference speaks of the database/sql drivers', () => {
    expect(lastInsertIdBehaviour('pgxpool').status).toBe('not-modelled');
  });
});
