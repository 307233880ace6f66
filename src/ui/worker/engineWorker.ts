/**
 * The Web Worker that hosts the engine. `start(progress)` loads PGlite's assets and PostgreSQL's
 * parser (libpg_query in WebAssembly) in parallel, creates the backend (backend.ts) and hands it to
 * the page as a Comlink proxy: the page gets `Remote<PlaygroundBackend>`, typed from the class
 * itself. While the engine runs, the statement PGlite is running is posted on `progress` (see
 * statementProgress.ts). `startupTimings()` says how long each phase took.
 */
import * as Comlink from 'comlink';
import { loadParser } from '../../engine/sql/parser';
import { createBackend, type PlaygroundBackend } from './backend';
import { loadPgliteAssets } from './pgliteAssets';
import { type StartupPhase, type StartupTimings, timed } from './startupTimings';
import { statementProgress } from './statementProgress';

const phases: StartupPhase[] = [];

const engineWorkerApi = {
  async start(progress: MessagePort): Promise<PlaygroundBackend & Comlink.ProxyMarked> {
    const [assets] = await Promise.all([
      loadPgliteAssets(phases),
      // The engine parses every statement; its parser's WebAssembly loads while PGlite's downloads.
      timed(phases, 'load SQL parser', loadParser),
    ]);
    const onEvent = statementProgress((running) => progress.postMessage(running));
    const backend = await timed(phases, 'start backend', () => createBackend(assets, onEvent));
    return Comlink.proxy(backend);
  },

  startupTimings(): StartupTimings {
    return { timeOrigin: performance.timeOrigin, phases };
  },
};

export type EngineWorkerApi = typeof engineWorkerApi;
export type { PlaygroundBackend };

Comlink.expose(engineWorkerApi);
