/**
 * What the Step button does next in a scenario, from the engine's state — the isolation tester's
 * rule: a step whose session is still busy waits for that session first, and time passes while it
 * waits (here one timer at a time, so a person sees deadlock_timeout or lock_timeout fire); after
 * the last step, time passes until every waiting statement has finished.
 */
import type { SessionView } from '../../engine/pgEmulator';
import type { ScriptStep } from './scenarioScript';

export type ScenarioAction =
  | { kind: 'launch'; step: ScriptStep }
  /** `session` must finish before the next step: let virtual time pass to the next timer. */
  | { kind: 'let time pass'; session: string; until: number }
  /** A statement still waits but no timer is armed: nothing the script does can release it. */
  | { kind: 'stuck'; session: string }
  | { kind: 'finished' };

export function nextScenarioAction(
  steps: readonly ScriptStep[],
  done: number,
  sessions: readonly SessionView[],
  nextTimerAt: number | null,
): ScenarioAction {
  const busy = (name: string) => sessions.find((session) => session.name === name)?.busy ?? false;
  const next = steps[done];
  const blocking = next
    ? busy(next.session)
      ? next.session
      : null
    : (sessions.find((s) => s.busy)?.name ?? null);
  if (blocking === null) return next ? { kind: 'launch', step: next } : { kind: 'finished' };
  return nextTimerAt === null
    ? { kind: 'stuck', session: blocking }
    : { kind: 'let time pass', session: blocking, until: nextTimerAt };
}

/**
 * After a launch: the statement neither finished nor waits for a lock (pg_sleep, a timeout) — the
 * tester keeps polling, so time passes until it finishes or blocks.
 */
export function runsOnTimer(session: SessionView | undefined, nextTimerAt: number | null): boolean {
  return session !== undefined && session.busy && session.waiting === null && nextTimerAt !== null;
}
