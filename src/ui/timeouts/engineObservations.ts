/**
 * What the engine showed on the linked session after the program's statement was sent — read from
 * the engine's own event log, so the simulator shows the server's real answer (the 57014, the
 * closed session) next to the model's prediction.
 */
import type { EngineEvent } from '../../engine/pgEmulator';

export interface EngineObservation {
  /** Engine time, ms since the last reset. */
  time: number;
  kind: 'waiting' | 'cancelled' | 'error' | 'ok' | 'closed' | 'rolled-back';
  text: string;
  sqlstate?: string;
}

/** The linked session's events from its submission `submission` on, as observations. */
export function engineObservations(
  events: readonly EngineEvent[],
  session: string,
  submission: number,
): EngineObservation[] {
  const observations: EngineObservation[] = [];
  let started = false;
  for (const event of events) {
    if (!('session' in event) || event.session !== session) continue;
    if (event.type === 'submitted' && event.submission === submission) started = true;
    if (!started) continue;
    switch (event.type) {
      case 'statementWaiting':
        observations.push({ time: event.time, kind: 'waiting', text: `waits for ${event.wait.description}` });
        break;
      case 'statementCancelled':
        observations.push({ time: event.time, kind: 'cancelled', text: `cancel (${event.reason})` });
        break;
      case 'statementFinished':
        observations.push(
          event.outcome.kind === 'error'
            ? {
                time: event.time,
                kind: 'error',
                text: `ERROR: ${event.outcome.error.message}`,
                sqlstate: event.outcome.error.sqlstate,
              }
            : { time: event.time, kind: 'ok', text: event.outcome.tag },
        );
        break;
      case 'transactionAborted':
        observations.push({ time: event.time, kind: 'rolled-back', text: 'transaction rolled back' });
        break;
      case 'sessionClosed':
        observations.push({
          time: event.time,
          kind: 'closed',
          text: 'session closed: the client disconnected',
        });
        break;
      default:
        break;
    }
  }
  return observations;
}
