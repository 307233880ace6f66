/**
 * The playground controller for the page: created once, started on the engine worker the page's
 * entry began (from the page store's starting point), and followed with useSyncExternalStore. When
 * the engine is ready (sessions open, setup run) the embedding hooks fire — `data-engine="ready"`
 * and, inside an iframe, a `{ type: "ready" }` message to the parent — and the worker's startup
 * phases go onto the page's Performance timeline.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { announceEngineReady, setEngineState } from '../embedding/announceEngineReady';
import type { StartingPoint } from '../playground/pageStore';
import { PlaygroundController, type PlaygroundState } from '../playground/playgroundController';
import { browserTimers } from '../playground/runawayGuard';
import type { EngineConnection } from '../worker/engineClient';
import type { StartupTimings } from '../worker/startupTimings';
import { recordStartupMeasures } from '../worker/recordStartupMeasures';
import { connectEngineLink, engineLink } from './engineLink';

export interface Playground {
  state: PlaygroundState;
  /** PostgreSQL's version string, once the engine is ready. */
  serverVersion: string | null;
}

/** The page's controller, created once: a runaway restarts the engine in a new worker. */
export function usePlaygroundController(runawayLimitMs: number): PlaygroundController {
  const [controller] = useState(
    () => new PlaygroundController({ connect: connectEngineLink, runawayLimitMs, timers: browserTimers }),
  );
  return controller;
}

/** Starts `controller` on the engine from `initial` (read once) and follows its state. */
export function usePlayground(
  controller: PlaygroundController,
  connection: Promise<EngineConnection>,
  initial: () => StartingPoint,
): Playground {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const [ready, setReady] = useState<{ serverVersion: string; timings: StartupTimings } | null>(null);
  const [start] = useState(() => initial);

  useEffect(() => {
    let cancelled = false;
    const { baseline, steps } = start();
    void controller.start(connection.then(engineLink), baseline, steps).then(async () => {
      if (cancelled || controller.getState().status.state !== 'ready') {
        if (controller.getState().status.state === 'failed')
          setEngineState(document.documentElement, 'failed');
        return;
      }
      const engine = await connection;
      const [serverVersion, timings] = await Promise.all([
        engine.backend.serverVersion(),
        engine.startupTimings(),
      ]);
      if (!cancelled) setReady({ serverVersion, timings });
    });
    return () => {
      cancelled = true;
    };
  }, [controller, connection, start]);

  // Announced once the page shows the ready engine (effects run after the DOM is updated).
  useEffect(() => {
    if (!ready || document.documentElement.dataset.engine === 'ready') return;
    recordStartupMeasures(ready.timings, performance);
    announceEngineReady(window);
  }, [ready]);

  return { state, serverVersion: ready?.serverVersion ?? null };
}
