/**
 * The Web Worker that hosts the database. It exposes one RPC, `start`, which creates the backend
 * service and hands it to the page as a Comlink proxy; the page gets `Remote<PlaygroundBackend>`,
 * typed from the class itself.
 *
 * To serve the engine instead of PGlite alone: make `PlaygroundBackend` the engine's facade class
 * and create it in `start` (giving it the PGlite assets from ./pgliteAssets).
 */
import * as Comlink from 'comlink';
import { PgliteService } from './pgliteService';

export type PlaygroundBackend = PgliteService;

const engineWorkerApi = {
  async start(): Promise<PlaygroundBackend & Comlink.ProxyMarked> {
    return Comlink.proxy(await PgliteService.create());
  },
};

export type EngineWorkerApi = typeof engineWorkerApi;

Comlink.expose(engineWorkerApi);
