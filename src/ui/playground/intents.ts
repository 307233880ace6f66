/**
 * What a person (or a lesson step) asks the engine to do, as data. The engine is deterministic, so
 * a log of intents replayed on a fresh engine gives the same state again: that is how the
 * playground steps back and how it recovers from a runaway query.
 */
import type { PgMessage, IsolationLevelName } from '../../engine/pgEmulator';
import type { EngineApi } from './engineApi';

export type Intent =
  | { kind: 'openSession'; session: string; isolation?: IsolationLevelName }
  | { kind: 'closeSession'; session: string }
  | { kind: 'submit'; session: string; sql: string }
  /** A submission the playground stopped (runaway guard): recorded as failed, never run. */
  | { kind: 'reject'; session: string; sql: string; error: PgMessage }
  | { kind: 'cancel'; session: string }
  | { kind: 'advanceTime'; milliseconds: number }
  | { kind: 'advanceToNextTimer'; limit: number }
  | { kind: 'runSetup'; sql: string };

/** Applies one intent; returns the submission id for `submit` and `reject`, else null. */
export async function applyIntent(engine: EngineApi, intent: Intent): Promise<number | null> {
  switch (intent.kind) {
    case 'openSession':
      await engine.openSession(intent.session, intent.isolation ? { isolation: intent.isolation } : {});
      return null;
    case 'closeSession':
      await engine.closeSession(intent.session);
      return null;
    case 'submit':
      return engine.submit(intent.session, intent.sql);
    case 'reject':
      return engine.rejectSubmission(intent.session, intent.sql, intent.error);
    case 'cancel':
      await engine.cancel(intent.session);
      return null;
    case 'advanceTime':
      await engine.advanceTime(intent.milliseconds);
      return null;
    case 'advanceToNextTimer':
      await engine.advanceToNextTimer(intent.limit);
      return null;
    case 'runSetup':
      await engine.runSetup(intent.sql);
      return null;
  }
}

/** The session an intent runs SQL on, if it does. */
export function intentSession(intent: Intent): string | null {
  return intent.kind === 'submit' || intent.kind === 'reject' || intent.kind === 'cancel'
    ? intent.session
    : null;
}
