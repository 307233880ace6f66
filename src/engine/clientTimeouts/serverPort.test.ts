/** The engine link's port: server effects replayed in arrival order, whole or stepwise. */
import { describe, expect, it } from 'vitest';
import { phaseVerdict } from './phaseVerdict';
import { deliverServerEffects, type ServerArrival, type ServerPort } from './serverPort';
import { blockedUpdateScenario, runScenario } from './testSupport';

function recordingPort(): { port: ServerPort; calls: string[] } {
  const calls: string[] = [];
  const note = (what: string) => (arrival: ServerArrival) =>
    calls.push(`${arrival.atMs} ${arrival.connectionId} ${what}`);
  return {
    calls,
    port: {
      openConnection: note('open'),
      sendStatement: (arrival) =>
        calls.push(`${arrival.atMs} ${arrival.connectionId} statement ${arrival.sql}`),
      sendCancelRequest: note('CancelRequest'),
      closeConnection: (arrival) =>
        calls.push(`${arrival.atMs} ${arrival.connectionId} close terminate=${String(arrival.terminate)}`),
      interrupt: note('sqlite3_interrupt'),
    },
  };
}

describe('deliverServerEffects', () => {
  it('replays pgx stdlib’s blocked UPDATE: open, the UPDATE, CancelRequest, Terminate', () => {
    const { result } = runScenario(blockedUpdateScenario('pgx-stdlib'));
    const { port, calls } = recordingPort();
    expect(deliverServerEffects(result.serverEffects, port)).toBe(4);
    expect(calls).toEqual([
      '6 c1 open',
      '8 c1 statement UPDATE accounts SET balance = balance - 10 WHERE id = 1',
      '108 c1 CancelRequest',
      '112 c1 close terminate=true',
    ]);
  });

  it('steps along virtual time with afterMs / untilMs', () => {
    const { result } = runScenario(blockedUpdateScenario('lib-pq'));
    const { port, calls } = recordingPort();
    expect(deliverServerEffects(result.serverEffects, port, { untilMs: 100 })).toBe(2);
    expect(deliverServerEffects(result.serverEffects, port, { afterMs: 100, untilMs: 108 })).toBe(1);
    expect(calls.at(-1)).toBe('108 c1 CancelRequest');
    expect(deliverServerEffects(result.serverEffects, port, { afterMs: 108 })).toBe(1);
    expect(calls.at(-1)).toBe('112 c1 close terminate=true');
  });

  it('mysql closes the socket without Terminate; sqlite3 interrupts in process', () => {
    const mysql = recordingPort();
    deliverServerEffects(phaseVerdict('mysql', 'query').simulation.serverEffects, mysql.port);
    expect(mysql.calls.at(-1)).toBe('102 c1 close terminate=false');
    const sqlite = recordingPort();
    deliverServerEffects(phaseVerdict('sqlite3', 'query').simulation.serverEffects, sqlite.port);
    expect(sqlite.calls).toEqual([
      '0 c1 statement UPDATE accounts SET balance = balance - 10 WHERE id = 1',
      '100 c1 sqlite3_interrupt',
    ]);
  });

  it('tells which arrivals the deadline caused, with their rules', () => {
    const { result } = runScenario(blockedUpdateScenario('pgx-stdlib'));
    const arrivals: ServerArrival[] = [];
    const { port } = recordingPort();
    deliverServerEffects(result.serverEffects, {
      ...port,
      sendCancelRequest: (arrival) => arrivals.push(arrival),
    });
    expect(arrivals).toEqual([
      {
        atMs: 108,
        connectionId: 'c1',
        goroutine: 'app',
        cause: 'deadline',
        ruleIds: ['pgx.deadline-watcher', 'pgx.async-close', 'pgx-stdlib.dropped-at-next-checkout'],
      },
    ]);
  });
});
