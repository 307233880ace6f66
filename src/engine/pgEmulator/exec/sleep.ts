/**
 * pg_sleep on the virtual clock: the statement stays running (and cancellable) until the time passes.
 */
import type { EngineCore } from '../core';
import type { Session, Task } from '../session/session';

export function* sleepFor(core: EngineCore, session: Session, milliseconds: number): Task<void> {
  if (milliseconds <= 0) return;
  const until = core.now + milliseconds;
  session.timers.sleep = core.timers.schedule(until, () => {
    session.timers.sleep = null;
    core.makeRunnable(session);
  });
  try {
    yield { kind: 'sleep', until };
  } finally {
    core.timers.cancel(session.timers.sleep);
    session.timers.sleep = null;
  }
}
