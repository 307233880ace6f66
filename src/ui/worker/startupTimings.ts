/**
 * How long each phase of the engine's start took inside the worker. Times are milliseconds on the
 * worker's own clock (`performance.now()` there); `timeOrigin` lets the page put them on its clock.
 */
export interface StartupPhase {
  name: StartupPhaseName;
  start: number;
  duration: number;
}

export type StartupPhaseName =
  | 'fetch+compile pglite.wasm'
  | 'fetch data directory'
  | 'fetch pglite.data'
  /** The engine's code (a chunk of its own) and PostgreSQL's parser (libpg_query in WebAssembly). */
  | 'load engine code and SQL parser'
  /** PGlite.create (PostgreSQL boots from the data directory), then the engine's bootstrap SQL. */
  | 'start backend';

export interface StartupTimings {
  /** The worker's `performance.timeOrigin` (epoch milliseconds). */
  timeOrigin: number;
  phases: StartupPhase[];
}

/** Runs `work` and records how long it took under `name`. */
export async function timed<T>(
  phases: StartupPhase[],
  name: StartupPhaseName,
  work: () => Promise<T>,
): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    phases.push({ name, start, duration: performance.now() - start });
  }
}
