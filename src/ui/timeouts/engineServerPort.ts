/**
 * The model's ServerPort on the playground engine: what reaches the server becomes intents for the
 * engine (run through the playground controller, so Back replays them): a connection is a session,
 * a statement is submitted on it, a CancelRequest is the engine's `cancel` (PostgreSQL's 57014
 * "canceling statement due to user request"), a disconnect closes the session (its transaction
 * rolls back, its locks go). Before each arrival the engine's virtual clock advances to the
 * arrival's time: model time plus `originMs`, the engine time at which the model's time 0 is.
 */
import {
  deliverServerEffects,
  type DeliveryOptions,
  type ServerArrival,
  type ServerEffect,
  type ServerPort,
} from '../../engine/clientTimeouts';
import type { Intent } from '../playground/intents';

export interface EngineClock {
  /** Engine time (ms since the last reset, as the page reads it) of the model's time 0. */
  originMs: number;
  /** The engine's time now. */
  nowMs: number;
}

/** Which engine session a model connection is; connections not listed get a session named after them. */
export type SessionOf = (connectionId: string) => string;

export class IntentServerPort implements ServerPort {
  readonly intents: Intent[] = [];
  private engineNowMs: number;

  constructor(
    private readonly clock: EngineClock,
    private readonly sessionOf: SessionOf,
  ) {
    this.engineNowMs = clock.nowMs;
  }

  openConnection(arrival: ServerArrival): void {
    this.arrive(arrival, { kind: 'openSession', session: this.sessionOf(arrival.connectionId) });
  }

  sendStatement(arrival: ServerArrival & { sql: string }): void {
    this.arrive(arrival, { kind: 'submit', session: this.sessionOf(arrival.connectionId), sql: arrival.sql });
  }

  sendCancelRequest(arrival: ServerArrival): void {
    this.arrive(arrival, { kind: 'cancel', session: this.sessionOf(arrival.connectionId) });
  }

  closeConnection(arrival: ServerArrival & { terminate: boolean | undefined }): void {
    this.arrive(arrival, { kind: 'closeSession', session: this.sessionOf(arrival.connectionId) });
  }

  interrupt(): void {
    throw new Error('sqlite3_interrupt happens inside a Go process; it never reaches a PostgreSQL server');
  }

  private arrive(arrival: ServerArrival, intent: Intent): void {
    const due = this.clock.originMs + arrival.atMs;
    if (due > this.engineNowMs) {
      this.intents.push({ kind: 'advanceTime', milliseconds: due - this.engineNowMs });
      this.engineNowMs = due;
    }
    this.intents.push(intent);
  }
}

/** The intents that deliver `effects` (those `options` select) to the engine, in arrival order. */
export function deliveryIntents(
  effects: readonly ServerEffect[],
  clock: EngineClock,
  sessionOf: SessionOf,
  options: DeliveryOptions = {},
): Intent[] {
  const port = new IntentServerPort(clock, sessionOf);
  deliverServerEffects(effects, port, options);
  return port.intents;
}
