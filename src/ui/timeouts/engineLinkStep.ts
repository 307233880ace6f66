/**
 * The lesson's deadline step, played by the engine link: the model runs the Go program with the
 * linked PostgreSQL driver, and what reaches the server after the program's statement — for pgx and
 * lib/pq a CancelRequest, then the connection's close — is delivered to the engine session that is
 * the program's connection, each at its virtual time. The model's time is pinned to the engine's by
 * the program's statement: it arrives on the engine when the spec's statement step submitted it.
 */
import { isPostgresDriver, type DriverName, type ServerEffect } from '../../engine/clientTimeouts';
import type { EngineEvent } from '../../engine/pgEmulator';
import type { ClientProgram, ClientTimeoutsAttachment } from '../../lessons';
import type { EngineSnapshot } from '../playground/engineSnapshot';
import type { Intent } from '../playground/intents';
import type { ScriptStep } from '../playground/scenarioScript';
import { runProgram } from './clientProgram';
import { deliveryIntents } from './engineServerPort';

export interface EngineLinkSetting {
  attachment: ClientTimeoutsAttachment;
  program: ClientProgram;
  driver: DriverName;
}

export type DeadlineDelivery =
  | {
      kind: 'deliver';
      intents: Intent[];
      /** What the model says reaches the server after the statement, in model time. */
      effects: ServerEffect[];
      /** Engine time of the model's time 0. */
      originMs: number;
    }
  /** The program's statement has not been sent on the engine yet: what will be delivered, in model time. */
  | { kind: 'pending'; effects: ServerEffect[]; reason: string }
  | { kind: 'not-linked'; reason: string };

function normalizeSql(sql: string): string {
  return sql.trim().replace(/;$/, '').replace(/\s+/g, ' ');
}

/** The engine event that submitted the program's statement on the linked session, if any. */
export function statementSubmission(
  events: readonly EngineEvent[],
  session: string,
  sql: string,
): Extract<EngineEvent, { type: 'submitted' }> | null {
  const wanted = normalizeSql(sql);
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as EngineEvent;
    if (event.type === 'submitted' && event.session === session && normalizeSql(event.sql) === wanted) {
      return event;
    }
  }
  return null;
}

/** What the engine link delivers for the lesson's deadline step, now. */
export function deadlineDelivery(
  setting: EngineLinkSetting,
  statementSql: string,
  snapshot: EngineSnapshot,
): DeadlineDelivery {
  const { attachment, program, driver } = setting;
  const link = attachment.engineLink;
  if (!isPostgresDriver(driver)) {
    return { kind: 'not-linked', reason: `${driver} talks to another server; the engine is PostgreSQL.` };
  }
  const run = runProgram(program, driver);
  if (!run.ok)
    return { kind: 'not-linked', reason: `The model cannot run this program: ${run.problems.join('; ')}` };
  const statement = run.result.serverEffects.find(
    (effect) =>
      effect.kind === 'statement' &&
      effect.connectionId === link.connection &&
      normalizeSql(effect.sql ?? '') === normalizeSql(statementSql),
  );
  if (!statement) {
    return {
      kind: 'not-linked',
      reason: `With these settings the program’s statement never reaches the server on ${link.connection}.`,
    };
  }
  const effects = run.result.serverEffects.filter((effect) => effect.atMs > statement.atMs);
  const submitted = statementSubmission(snapshot.events, link.session, statementSql);
  if (!submitted) {
    return {
      kind: 'pending',
      effects,
      reason: `Session ${link.session} has not sent the program’s statement yet.`,
    };
  }
  const originMs = submitted.time - statement.atMs;
  const sessionOf = (connection: string) => (connection === link.connection ? link.session : connection);
  const options = { afterMs: statement.atMs };
  return {
    kind: 'deliver',
    intents: deliveryIntents(run.result.serverEffects, { originMs, nowMs: snapshot.now }, sessionOf, options),
    effects,
    originMs,
  };
}

/**
 * The controller's step replacement for a lesson with an engine link: its deadline step becomes the
 * delivery (nothing at all when the link cannot deliver: the panel says why); every other step
 * runs its SQL.
 */
export function engineLinkReplacement(
  setting: () => EngineLinkSetting,
): (
  step: ScriptStep,
  state: { snapshot: EngineSnapshot; scenario: { steps: ScriptStep[] } | null },
) => Intent[] | null {
  return (step, state) => {
    const current = setting();
    const link = current.attachment.engineLink;
    if (step.name !== link.deadlineStep) return null;
    const statement = state.scenario?.steps.find((candidate) => candidate.name === link.statementStep);
    if (!statement) return [];
    const delivery = deadlineDelivery(current, statement.sql, state.snapshot);
    return delivery.kind === 'deliver' ? delivery.intents : [];
  };
}
