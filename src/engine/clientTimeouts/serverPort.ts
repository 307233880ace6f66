/**
 * The port between the model and a server: for the PostgreSQL drivers, the engine link implements
 * it on a playground-engine session per connection (`c1`, `c2`, …). The model never calls an engine
 * itself; it lists what reaches the server and when (`SimulationResult.serverEffects`), and
 * `deliverServerEffects` replays that list on a port in arrival order — all of it, or up to a
 * virtual time, so the engine can be stepped along with the timeline.
 *
 * Mapping for the engine link: `openConnection` → open a session; `sendStatement` → run the SQL
 * in that session; `sendCancelRequest` → `cancel(session)` (PostgreSQL's 57014 "canceling statement
 * due to user request"; a statement in a transaction aborts it); `closeConnection` → end the
 * session (PostgreSQL rolls back an open transaction); `interrupt` never happens for PostgreSQL.
 */
import type { ServerEffect } from './timeline';

/** One arrival at the server. `atMs` is the virtual time at which it reaches the server. */
export interface ServerArrival {
  atMs: number;
  connectionId: string;
  goroutine: string;
  /** `deadline` when the ctx deadline caused it. */
  cause: ServerEffect['cause'];
  /** The model's rules behind it (for the UI's citations). */
  ruleIds: ServerEffect['ruleIds'];
}

export interface ServerPort {
  /** A new client connection is established (a new backend / session). */
  openConnection(arrival: ServerArrival): void;
  /** A statement reaches the server on that connection. */
  sendStatement(arrival: ServerArrival & { sql: string }): void;
  /** A PostgreSQL CancelRequest for that connection's backend reaches the server (on its own socket). */
  sendCancelRequest(arrival: ServerArrival): void;
  /**
   * The connection ends: `terminate` when a Terminate message precedes the socket close
   * (PostgreSQL), false for a bare TCP close (go-sql-driver/mysql), undefined when not stated.
   */
  closeConnection(arrival: ServerArrival & { terminate: boolean | undefined }): void;
  /** sqlite3_interrupt on the connection's database handle (in process). */
  interrupt(arrival: ServerArrival): void;
}

export interface DeliveryOptions {
  /** Deliver only effects that arrive after this time (exclusive); for stepping. */
  afterMs?: number;
  /** Deliver only effects that arrive at or before this time (inclusive); for stepping. */
  untilMs?: number;
}

/** Replays `effects` on `port` in arrival order; returns how many were delivered. */
export function deliverServerEffects(
  effects: readonly ServerEffect[],
  port: ServerPort,
  options: DeliveryOptions = {},
): number {
  const afterMs = options.afterMs ?? Number.NEGATIVE_INFINITY;
  const untilMs = options.untilMs ?? Number.POSITIVE_INFINITY;
  const due = effects
    .map((effect, index) => ({ effect, index }))
    .filter(({ effect }) => effect.atMs > afterMs && effect.atMs <= untilMs)
    .sort((a, b) => a.effect.atMs - b.effect.atMs || a.index - b.index);
  for (const { effect } of due) deliver(effect, port);
  return due.length;
}

function deliver(effect: ServerEffect, port: ServerPort): void {
  const arrival: ServerArrival = {
    atMs: effect.atMs,
    connectionId: effect.connectionId,
    goroutine: effect.goroutine,
    cause: effect.cause,
    ruleIds: effect.ruleIds,
  };
  switch (effect.kind) {
    case 'connect':
      return port.openConnection(arrival);
    case 'statement':
      return port.sendStatement({ ...arrival, sql: effect.sql ?? '' });
    case 'cancel-request':
      return port.sendCancelRequest(arrival);
    case 'disconnect':
      return port.closeConnection({ ...arrival, terminate: effect.graceful });
    case 'sqlite-interrupt':
      return port.interrupt(arrival);
  }
}
