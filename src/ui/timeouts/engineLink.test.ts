/**
 * The engine link on the real engine: the lesson client-timeout-phases played by the playground
 * controller, its deadline step replaced by what the model says the linked driver sends. The 57014
 * comes from the engine's own cancel; the close ends the session; Back replays both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineEvent, Engine } from '../../engine/pgEmulator';
import { findLesson, type ClientTimeoutsAttachment } from '../../lessons';
import type { EngineApi } from '../playground/engineApi';
import { type EngineLink, PlaygroundController } from '../playground/playgroundController';
import { browserTimers } from '../playground/runawayGuard';
import { scenarioScript } from '../playground/scenarioScript';
import { withDeadline } from './clientProgram';
import { deadlineDelivery, engineLinkReplacement, type EngineLinkSetting } from './engineLinkStep';
import { engineObservations } from './engineObservations';

let engine: Engine;

beforeAll(async () => {
  engine = await Engine.create();
});

afterAll(async () => {
  await engine?.close();
});

const lesson = findLesson('client-timeout-phases');
if (!lesson?.clientTimeouts) throw new Error('the lesson client-timeout-phases has no simulator attachment');
const attachment: ClientTimeoutsAttachment = lesson.clientTimeouts;
const script = scenarioScript(lesson.spec);

function link(): EngineLink {
  engine.reset();
  return {
    engine: engine as EngineApi,
    runningStatement: () => null,
    terminate: () => undefined,
  };
}

async function played(setting: EngineLinkSetting) {
  const made = new PlaygroundController({
    connect: async () => link(),
    runawayLimitMs: 30_000,
    timers: browserTimers,
  });
  made.replaceSteps(engineLinkReplacement(() => setting));
  await made.start(
    Promise.resolve(link()),
    {
      sessions: script.sessions.map((name) => ({ name })),
      setup: script.setup,
      sessionSetup: script.sessionSetup,
    },
    script.parts[0] ?? [],
  );
  return made;
}

function finished(events: readonly EngineEvent[], session: string) {
  return events.flatMap((event) =>
    event.type === 'statementFinished' && event.session === session ? [event.outcome] : [],
  );
}

const summary = (events: readonly EngineEvent[], session: string) =>
  finished(events, session).map((outcome) =>
    outcome.kind === 'ok' ? outcome.tag : `${outcome.error.sqlstate} ${outcome.error.message}`,
  );

describe('the engine link of client-timeout-phases', () => {
  it.each(['pgx-stdlib', 'lib-pq'] as const)(
    '%s: the deadline cancels the waiting UPDATE on the engine (57014), then the session ends',
    async (driver) => {
      const made = await played({ attachment, program: attachment.program, driver });
      await made.step(); // a_lock
      await made.step(); // go_update: waits for A
      const waiting = made.getState().snapshot;
      expect(waiting.sessions.find((session) => session.name === 'go')?.waiting?.blockedBy).toEqual(['A']);
      const goUpdate = script.parts[0]?.find((step) => step.name === 'go_update');
      const plan = deadlineDelivery(
        { attachment, program: attachment.program, driver },
        goUpdate?.sql ?? '',
        waiting,
      );
      expect(plan.kind).toBe('deliver');
      if (plan.kind !== 'deliver') return;
      expect(plan.intents.map((intent) => intent.kind)).toEqual([
        'advanceTime',
        'cancel',
        'advanceTime',
        'closeSession',
      ]);

      await made.step(); // the deadline: CancelRequest, then the connection closes
      const { snapshot } = made.getState();
      expect(summary(snapshot.events, 'go').at(-1)).toBe('57014 canceling statement due to user request');
      expect(snapshot.sessions.some((session) => session.name === 'go')).toBe(false);
      const submitted = snapshot.events.find(
        (event) => event.type === 'submitted' && event.session === 'go' && /UPDATE/.test(event.sql),
      );
      if (submitted?.type !== 'submitted') throw new Error('go never sent its UPDATE');
      // On the engine's clock, 100 ms after the UPDATE arrived (the model's 8 ms → 108 ms).
      const seen = engineObservations(snapshot.events, 'go', submitted.submission);
      expect(seen.map((observation) => [observation.kind, observation.time - submitted.time])).toEqual(
        expect.arrayContaining([
          ['cancelled', 100],
          ['error', 100],
          ['closed', 104],
        ]),
      );
      // The stand-in session never ran its pg_cancel_backend.
      expect(finished(snapshot.events, 'driver')).toEqual([]);

      await made.step(); // a_commit
      await made.step(); // a_check
      expect(summary(made.getState().snapshot.events, 'A')).toEqual([
        'BEGIN',
        'UPDATE 1',
        'COMMIT',
        'SELECT 1',
      ]);
      const check = finished(made.getState().snapshot.events, 'A').at(-1);
      expect(check?.kind === 'ok' ? check.rows : null).toEqual([['101']]);

      await made.back();
      await made.back();
      expect(summary(made.getState().snapshot.events, 'go').at(-1)).toBe(
        '57014 canceling statement due to user request',
      );
      expect(made.getState().snapshot.sessions.some((session) => session.name === 'go')).toBe(false);
    },
  );

  it('a deadline after the program is done sends nothing: the UPDATE applies once A commits', async () => {
    const program = withDeadline(attachment.program, 'app', 450);
    const made = await played({ attachment, program, driver: 'pgx-stdlib' });
    for (let i = 0; i < 5; i++) await made.step();
    const { events } = made.getState().snapshot;
    expect(summary(events, 'go').at(-1)).toBe('UPDATE 1');
    const check = finished(events, 'A').at(-1);
    expect(check?.kind === 'ok' ? check.rows : null).toEqual([['91']]);
  });

  it('go-sql-driver/mysql is not linked: its server is not PostgreSQL', () => {
    const plan = deadlineDelivery(
      { attachment, program: attachment.program, driver: 'mysql' },
      'UPDATE accounts SET balance = balance - 10 WHERE id = 1',
      { events: [], now: 0 } as never,
    );
    expect(plan).toEqual({
      kind: 'not-linked',
      reason: 'mysql talks to another server; the engine is PostgreSQL.',
    });
  });
});
