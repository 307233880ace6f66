/**
 * Follows the engine worker's start (begun by the page's entry) and reports its state. When it is
 * ready the embedding hooks fire (data-engine="ready", and a message to the parent window inside an
 * iframe) and the startup phases go onto the page's Performance timeline.
 */
import { useEffect, useState } from 'react';
import { announceEngineReady, setEngineState } from '../embedding/announceEngineReady';
import type { EngineConnection, RemoteBackend } from '../worker/engineClient';
import { recordStartupMeasures } from '../worker/recordStartupMeasures';
import type { StartupTimings } from '../worker/startupTimings';

export type EngineStatus =
  | { state: 'loading' }
  | { state: 'ready'; backend: RemoteBackend; serverVersion: string; timings: StartupTimings }
  | { state: 'failed'; message: string };

export function useEngineConnection(connection: Promise<EngineConnection>): EngineStatus {
  const [status, setStatus] = useState<EngineStatus>({ state: 'loading' });

  useEffect(() => {
    let cancelled = false;
    connection
      .then(async ({ backend, startupTimings }) => {
        const [serverVersion, timings] = await Promise.all([backend.serverVersion(), startupTimings()]);
        if (cancelled) return;
        setStatus({ state: 'ready', backend, serverVersion, timings });
        if (document.documentElement.dataset.engine !== 'ready') {
          recordStartupMeasures(timings, performance);
          announceEngineReady(window);
        }
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setEngineState(document.documentElement, 'failed');
        setStatus({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [connection]);

  return status;
}
