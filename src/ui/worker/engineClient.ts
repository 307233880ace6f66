/**
 * The page's side of the engine worker: starts the worker and returns the typed remote backend,
 * with what the worker reports of the statement it is running (for the runaway guard).
 */
import * as Comlink from 'comlink';
import type { EngineWorkerApi, PlaygroundBackend } from './engineWorker';
import type { StartupTimings } from './startupTimings';
import type { RunningStatement } from './statementProgress';

export type RemoteBackend = Comlink.Remote<PlaygroundBackend>;

export interface EngineConnection {
  backend: RemoteBackend;
  startupTimings(): Promise<StartupTimings>;
  /** The statement PGlite was running when the worker last said so. */
  runningStatement(): RunningStatement;
  /** Stops the worker (and the database in it) at once, even in the middle of a statement. */
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
  const progress = new MessageChannel();
  let running: RunningStatement = null;
  progress.port1.onmessage = (event: MessageEvent<RunningStatement>) => {
    running = event.data;
  };
  try {
    const backend = await Promise.race([
      api.start(Comlink.transfer(progress.port2, [progress.port2])),
      workerFailed,
    ]);
    return {
      backend,
      startupTimings: () => api.startupTimings(),
      runningStatement: () => running,
      terminate: () => {
        progress.port1.close();
        worker.terminate();
      },
    };
  } catch (error) {
    worker.terminate();
    throw error;
  }
}
