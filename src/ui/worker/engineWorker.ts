/**
 * The Web Worker that hosts the engine. As soon as this small script runs, it starts fetching
 * PGlite's assets and loading the engine's code (a separate chunk, with PostgreSQL's parser) in
 * parallel; `start(progress)` then creates the backend (backend.ts) and hands it to the page as a
 * Comlink proxy: the page gets `Remote<PlaygroundBackend>`, typed from the class itself. While the
 * engine runs, the statement PGlite is running is posted on `progress` (see statementProgress.ts).
 * `startupTimings()` says how long each phase took.
 */
import * as Comlink from 'comlink';
import type { PlaygroundBackend } from './backend';
import { loadPgliteAssets } from './pgliteAssets';
import { type StartupPhase, type StartupTimings, timed } from './startupTimings';
import { statementProgress } from './statementProgress';

const phases: StartupPhase[] = [];

// Begun before the page asks: the downloads and the engine's code do not wait for each other.
const assets = loadPgliteAssets(phases);
const engineCode = timed(phases, 'load engine code and SQL parser', async () => {
  const backend = await import('./backend');
  await backend.loadParser();
  return backend;
});

const engineWorkerApi = {
  async start(progress: MessagePort): Promise<PlaygroundBackend & Comlink.ProxyMarked> {
    const [pglite, { createBackend }] = await Promise.all([assets, engineCode]);
    const onEvent = statementProgress((running) => progress.postMessage(running));
    const backend = await timed(phases, 'start backend', () => createBackend(pglite, onEvent));
    return Comlink.proxy(backend);
  },

  startupTimings(): StartupTimings {
    return { timeOrigin: performance.timeOrigin, phases };
  },
};

export type EngineWorkerApi = typeof engineWorkerApi;
export type { PlaygroundBackend };

Comlink.expose(engineWorkerApi);
