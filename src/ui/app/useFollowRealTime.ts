/**
 * "Follow real time" (free play): while a statement waits or sleeps, the virtual clock moves with
 * the wall clock, so lock_timeout, deadlock_timeout and pg_sleep play out as on a real server.
 */
import { useEffect } from 'react';
import type { PlaygroundController } from '../playground/playgroundController';

const tickMs = 200;

export function useFollowRealTime(
  controller: PlaygroundController,
  enabled: boolean,
  somethingWaits: boolean,
): void {
  useEffect(() => {
    if (!enabled || !somethingWaits) return;
    let last = performance.now();
    let inFlight = false;
    const timer = window.setInterval(() => {
      if (inFlight) return;
      const now = performance.now();
      const elapsed = Math.round(now - last);
      if (elapsed <= 0) return;
      last = now;
      inFlight = true;
      void controller.followTime(elapsed).finally(() => {
        inFlight = false;
      });
    }, tickMs);
    return () => window.clearInterval(timer);
  }, [controller, enabled, somethingWaits]);
}
