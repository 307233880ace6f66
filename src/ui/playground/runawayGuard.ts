/**
 * The runaway-query guard's pieces: a deadline on every call to the engine, and the error a stopped
 * statement shows. A statement that keeps PGlite busy (an endless recursive CTE, a huge
 * generate_series) would freeze the worker; the page stops the worker past the deadline, starts a
 * new one and replays the intent log with that statement recorded as stopped.
 */
import type { PgMessage } from '../../engine/pgEmulator';

export class DeadlineExceeded extends Error {
  constructor(readonly milliseconds: number) {
    super(`the engine did not answer within ${milliseconds} ms`);
    this.name = 'DeadlineExceeded';
  }
}

export interface Timers {
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserTimers: Timers = {
  setTimeout: (callback, milliseconds) => globalThis.setTimeout(callback, milliseconds),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Resolves as `work` does, or rejects with DeadlineExceeded after `milliseconds` of real time. */
export function withDeadline<T>(work: Promise<T>, milliseconds: number, timers: Timers): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const handle = timers.setTimeout(() => reject(new DeadlineExceeded(milliseconds)), milliseconds);
    work.then(
      (value) => {
        timers.clearTimeout(handle);
        resolve(value);
      },
      (error: unknown) => {
        timers.clearTimeout(handle);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** `5000` → `5 s`, `2500` → `2.5 s`. */
export function formatSeconds(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toFixed(1))} s`;
}

/** The error recorded for a statement the playground stopped (SQLSTATE 57014, query_canceled). */
export function runawayError(limitMs: number): PgMessage {
  const limit = formatSeconds(limitMs);
  return {
    severity: 'ERROR',
    sqlstate: '57014',
    message: `canceling statement: the playground stopped it after ${limit} of real time`,
    hint:
      `It kept the in-browser database busy for more than ${limit} (an endless recursive query, a huge ` +
      'generate_series?). The playground restarted its engine and replayed everything else, so the ' +
      'other sessions kept their state. Add a LIMIT or a smaller range, or raise the limit with ?runaway=SECONDS.',
  };
}

/** What the page says after it stopped a statement. */
export function runawayNotice(session: string, limitMs: number): string {
  return (
    `Session ${session}’s statement ran for more than ${formatSeconds(limitMs)}, so the playground stopped it: ` +
    'it restarted the database engine and replayed everything else. The other sessions kept their state; ' +
    `session ${session} shows the statement as canceled (SQLSTATE 57014).`
  );
}
