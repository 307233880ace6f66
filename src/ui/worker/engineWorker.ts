/**
 * The Web Worker that hosts the database. `start()` loads PGlite's assets, creates the backend
 * (backend.ts) and hands it to the page as a Comlink proxy: the page gets
 * `Remote<PlaygroundBackend>`, typed from the class itself. `startupTimings()` says how long each
 * phase took.
 */
import * as Comlink from 'comlink';
import { createBackend, type PlaygroundBackend } from './backend';
import { loadPgliteAssets } from './pgliteAssets';
import { type StartupPhase, type StartupTimings, timed } from './startupTimings';

const phases: StartupPhase[] = [];

const engineWorkerApi = {
  async start(): Promise<PlaygroundBackend & Comlink.ProxyMarked> {
    const assets = await loadPgliteAssets(phases);
    const backend = await timed(phases, 'start backend', () => createBackend(assets));
    return Comlink.proxy(backend);
  },

  startupTimings(): StartupTimings {
    return { timeOrigin: performance.timeOrigin, phases };
  },
};

export type EngineWorkerApi = typeof engineWorkerApi;
export type { PlaygroundBackend };

Comlink.expose(engineWorkerApi);
