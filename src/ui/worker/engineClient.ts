/**
 * The page's side of the engine worker: starts the worker and returns the typed remote backend.
 */
import * as Comlink from 'comlink';
import type { EngineWorkerApi, PlaygroundBackend } from './engineWorker';
import type { StartupTimings } from './startupTimings';

export type RemoteBackend = Comlink.Remote<PlaygroundBackend>;

export interface EngineConnection {
  backend: RemoteBackend;
  startupTimings(): Promise<StartupTimings>;
  /** Stops the worker (and the database in it). */
  terminate(): void;
}

export async function connectToEngine(): Promise<EngineConnection> {
  performance.mark('engine-worker-created');
  const worker = new Worker(new URL('./engineWorker.ts', import.meta.url), {
    type: 'module',
    name: 'engine',
  });
  const api = Comlink.wrap<EngineWorkerApi>(worker);
  const workerFailed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      reject(new Error(`The engine worker failed to start: ${event.message || 'script error'}`));
    });
  });
  try {
    const backend = await Promise.race([api.start(), workerFailed]);
    return {
      backend,
      startupTimings: () => api.startupTimings(),
      terminate: () => {
        backend[Comlink.releaseProxy]();
        worker.terminate();
      },
    };
  } catch (error) {
    worker.terminate();
    throw error;
  }
}
