/** The deadline fires while the program waits for a pooled connection (or dials one). */
import { CONTEXT_DEADLINE_EXCEEDED } from '../goErrors';
import { SOURCES } from '../sources';
import { callOf, error, notModelled } from './shared';
import type { DeadlineResolution, DeadlineSituation } from './types';

export function resolveAcquire(situation: DeadlineSituation): DeadlineResolution {
  if (situation.driver === 'pgxpool') {
    return notModelled(
      'pgxpool acquires through puddle (pool.go Acquire); the reference cites it but states no behaviour, and database/sql’s (*DB).conn rules do not apply to pgxpool.',
      [],
      [SOURCES.puddleAcquire],
    );
  }
  if (situation.acquire === 'dialing') {
    return notModelled(
      'The deadline fired while database/sql was dialing a new connection (the driver’s connector); the reference does not state what each driver does then.',
      ['core.acquire'],
    );
  }
  return {
    status: 'modelled',
    driverReaction: 'none',
    databaseSql: { closesRows: false, rollsBackTransaction: false },
    error: error(CONTEXT_DEADLINE_EXCEEDED, callOf(situation, 'db.ExecContext'), 'driver-returns'),
    server: 'Nothing reaches the server.',
    connection: {
      fate: 'not-acquired',
      summary:
        'None: the goroutine never got a connection; its request leaves the queue and the pool’s connections are untouched.',
    },
    transaction: { fate: 'none', summary: 'None: no statement was sent.' },
    programContinues: false,
    ruleIds: ['core.acquire', 'core.acquire-random-order'],
  };
}
