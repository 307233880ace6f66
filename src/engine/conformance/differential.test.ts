/**
 * Differential test: seeded random specs (src/engine/testing/randomSpec.ts) give the same output on
 * the engine as on a real PostgreSQL 18. A failing seed is in the test name; pin it in PINNED_SEEDS.
 * More seeds: DIFFERENTIAL_SEEDS=100 npx vitest run src/engine/scenario/postgres/differential.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSpec } from '../testing';
import { type ScenarioBackend, createEngineBackend, renderText, loadSpec, runResolvedSpec } from '../harness';
import { startEmbeddedServer, type EmbeddedServer, createPostgresBackend } from '../pgServer';

/** Seeds that once differed, kept as regression tests. */
const PINNED_SEEDS: number[] = [51];

const COUNT = Number(process.env['DIFFERENTIAL_SEEDS'] ?? 20);
const FIRST = Number(process.env['DIFFERENTIAL_FIRST_SEED'] ?? 1);
const seeds = [...PINNED_SEEDS, ...Array.from({ length: COUNT }, (_, i) => FIRST + i)];

let server: EmbeddedServer;
let postgres: ScenarioBackend;
let engine: ScenarioBackend;

beforeAll(async () => {
  server = await startEmbeddedServer();
  postgres = await createPostgresBackend({ server });
  engine = await createEngineBackend();
});

afterAll(async () => {
  await postgres?.shutdown();
  await server?.stop();
  await engine?.shutdown();
});

async function outputOn(backend: ScenarioBackend, name: string, text: string): Promise<string> {
  const run = await runResolvedSpec(name, loadSpec(text), backend, { maxStepWaitMs: 20_000 });
  return `${renderText(run.events)}${run.abortedBecause ? `\n(aborted: ${run.abortedBecause})` : ''}`;
}

describe('random specs: the engine prints what PostgreSQL prints', () => {
  it.each(seeds)('seed %i', async (seed) => {
    const spec = randomSpec(seed);
    const expected = await outputOn(postgres, spec.name, spec.text);
    const actual = await outputOn(engine, spec.name, spec.text);
    expect(actual, `spec:\n${spec.text}`).toBe(expected);
  });
});
