/**
 * Starts the engine worker once for the page and reports its state. When it is ready the embedding
 * hooks fire (data-engine="ready", and a message to the parent window inside an iframe).
 */
import { useEffect, useState } from 'react';
import { announceEngineReady, setEngineState } from '../embedding/announceEngineReady';
import { connectToEngine, type RemoteBackend } from '../worker/engineClient';
import { recordStartupMeasures } from '../worker/recordStartupMeasures';
import type { StartupTimings } from '../worker/startupTimings';

export type EngineStatus =
  | { state: 'loading' }
  | { state: 'ready'; backend: RemoteBackend; serverVersion: string; timings: StartupTimings }
  | { state: 'failed'; message: string };

export function useEngineConnection(): EngineStatus {
  const [status, setStatus] = useState<EngineStatus>({ state: 'loading' });

  useEffect(() => {
    let cancelled = false;
    let terminate: (() => void) | null = null;
    connectToEngine()
      .then(async (connection) => {
        terminate = connection.terminate;
        const [serverVersion, timings] = await Promise.all([
          connection.backend.serverVersion(),
          connection.backend.startupTimings(),
        ]);
        if (cancelled) return;
        recordStartupMeasures(timings, performance);
        setStatus({ state: 'ready', backend: connection.backend, serverVersion, timings });
        announceEngineReady(window);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setEngineState(document.documentElement, 'failed');
        setStatus({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      cancelled = true;
      terminate?.();
    };
  }, []);

  return status;
}
