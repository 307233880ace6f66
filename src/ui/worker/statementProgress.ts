/**
 * Which statement PGlite is running, reported from the engine's worker to the page as it happens:
 * the engine emits its events synchronously, even while a statement is still running, so the page
 * learns what was started even when a runaway statement then keeps the worker busy for good.
 */
import type { EngineEvent } from '../../engine/pgEmulator';

/** What the worker posts: the statement now running, or null when none runs. */
export type RunningStatement = { session: string; submission: number } | null;

/** Turns the engine's events into the running statement, calling `report` only when it changes. */
export function statementProgress(report: (running: RunningStatement) => void): (event: EngineEvent) => void {
  let current: RunningStatement = null;
  const set = (next: RunningStatement) => {
    if (next?.session === current?.session && next?.submission === current?.submission) return;
    current = next;
    report(next);
  };
  return (event) => {
    switch (event.type) {
      case 'statementStarted':
      case 'statementResumed':
        set({ session: event.session, submission: event.submission });
        break;
      case 'statementWaiting':
      case 'statementFinished':
      case 'submissionFinished':
        set(null);
        break;
      default:
        break;
    }
  };
}
