/**
 * Every lesson's scenario on a real PostgreSQL 18 gives the output recorded in
 * `expected/ID.out`, the engine gives the same, and the facts each lesson states about its steps
 * (waits, errors, rows) hold on both: what a lesson says is what PostgreSQL does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ScenarioBackend,
  createEngineBackend,
  renderText,
  type TranscriptEvent,
  loadSpec,
  runResolvedSpec,
} from '../engine/harness';
import { startEmbeddedServer, type EmbeddedServer, createPostgresBackend } from '../engine/pgServer';
import { lessons } from './index';
import { factProblems, stepRecords } from './stepFacts';

let server: EmbeddedServer;
let postgres: ScenarioBackend;
let engine: ScenarioBackend;

beforeAll(async () => {
  [server, engine] = await Promise.all([startEmbeddedServer(), createEngineBackend()]);
  postgres = await createPostgresBackend({ server });
});

afterAll(async () => {
  await postgres?.shutdown();
  await server?.stop();
  await engine?.shutdown();
});

async function run(backend: ScenarioBackend, name: string, spec: string): Promise<TranscriptEvent[]> {
  const result = await runResolvedSpec(name, loadSpec(spec), backend, { maxStepWaitMs: 60_000 });
  expect(result.abortedBecause).toBeNull();
  return result.events;
}

describe.each(lessons.map((lesson) => [lesson.id, lesson] as const))('lesson %s', (id, lesson) => {
  it('gives its recorded output on PostgreSQL 18, and the same on the engine; its facts hold on both', async () => {
    const onPostgres = await run(postgres, id, lesson.spec);
    const recorded = readFileSync(join(import.meta.dirname, 'expected', `${id}.out`), 'utf8');
    expect(renderText(onPostgres)).toBe(recorded);
    expect(factProblems(lesson, stepRecords(onPostgres))).toEqual([]);

    const onEngine = await run(engine, id, lesson.spec);
    expect(renderText(onEngine)).toBe(recorded);
    expect(factProblems(lesson, stepRecords(onEngine))).toEqual([]);
  });
});
