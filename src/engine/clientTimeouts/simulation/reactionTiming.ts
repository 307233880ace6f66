/**
 * When each driver reaction's messages reach the server, and when the interrupted call returns.
 *
 * The model's timing assumptions (the reference gives the order of events, not their durations):
 * a CancelRequest travels on a new connection, so it reaches the server `dialMs + oneWayMs` after
 * the driver sends it; an answer from the server takes `oneWayMs` back; pgconn's asyncClose waits
 * for the server to close the cancel socket before it sends Terminate; sqlite3 runs in process.
 */
import type { DriverReaction } from '../deadlineRules';
import type { NetworkSettings } from '../scenario';

export interface ReactionTiming {
  /** The interrupted call (or rows close) returns at this time. */
  returnsAtMs: number;
  cancelRequestAtMs?: number;
  disconnect?: { atMs: number; graceful: boolean };
  interruptAtMs?: number;
  /** From this time the driver's own socket is closed (the pool may not know yet). */
  closesConnectionAtMs?: number;
  /** The driver marks the connection invalid (driver.Validator). */
  invalidatesConnection: boolean;
}

export interface ReactionContext {
  network: NetworkSettings;
  /**
   * lib/pq: a call is in progress and waits for the server's answer to the CancelRequest; when the
   * server would answer anyway (the statement's last message) at `answerAnywayAtMs`, that counts.
   */
  waitsForServerAnswer: boolean;
  answerAnywayAtMs?: number;
}

export function reactionTiming(
  reaction: DriverReaction,
  atMs: number,
  context: ReactionContext,
): ReactionTiming {
  const { oneWayMs, dialMs } = context.network;
  const cancelRequestAtMs = atMs + dialMs + oneWayMs;
  switch (reaction) {
    case 'pgconn-async-close':
      return {
        returnsAtMs: atMs,
        cancelRequestAtMs,
        // The cancel socket closes (server → client), then Terminate travels (client → server).
        disconnect: { atMs: cancelRequestAtMs + 2 * oneWayMs, graceful: true },
        closesConnectionAtMs: atMs,
        invalidatesConnection: false,
      };
    case 'pgconn-cancel-request':
      return { returnsAtMs: cancelRequestAtMs + oneWayMs, cancelRequestAtMs, invalidatesConnection: false };
    case 'pq-cancel-request': {
      if (!context.waitsForServerAnswer)
        return { returnsAtMs: atMs, cancelRequestAtMs, invalidatesConnection: true };
      const answeredAt = cancelRequestAtMs + oneWayMs;
      const returnsAtMs =
        context.answerAnywayAtMs === undefined
          ? answeredAt
          : Math.min(answeredAt, Math.max(atMs, context.answerAnywayAtMs));
      return {
        returnsAtMs,
        cancelRequestAtMs,
        // watchCancel's finish func closes the connection once the call has returned.
        disconnect: { atMs: returnsAtMs + oneWayMs, graceful: true },
        closesConnectionAtMs: returnsAtMs,
        invalidatesConnection: true,
      };
    }
    case 'mysql-close-socket':
      return {
        returnsAtMs: atMs,
        disconnect: { atMs: atMs + oneWayMs, graceful: false },
        closesConnectionAtMs: atMs,
        invalidatesConnection: true,
      };
    case 'sqlite-interrupt':
      return { returnsAtMs: atMs, interruptAtMs: atMs, invalidatesConnection: false };
    case 'none':
      return { returnsAtMs: atMs, invalidatesConnection: false };
  }
}
