/**
 * The project's own scenarios (`scenarios/*.spec`): on a real PostgreSQL 18 each gives the output
 * recorded next to it (`scenarios/NAME.out`), and the engine gives the same output as the server.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectScenarios, PROJECT_SCENARIOS_DIR } from './scenarioCorpus';
import { type ScenarioBackend, createEngineBackend, renderText, loadSpec, runResolvedSpec } from '../harness';
import { startEmbeddedServer, type EmbeddedServer, createPostgresBackend } from '../pgServer';

const scenarios = await loadProjectScenarios();
const engineOrReason: ScenarioBackend | string = await createEngineBackend().catch((error: unknown) =>
  error instanceof Error ? error.message : String(error),
);

let server: EmbeddedServer;
let postgres: ScenarioBackend;

beforeAll(async () => {
  server = await startEmbeddedServer();
  postgres = await createPostgresBackend({ server });
});

afterAll(async () => {
  await postgres?.shutdown();
  await server?.stop();
  if (typeof engineOrReason !== 'string') await engineOrReason.shutdown();
});

async function outputOn(backend: ScenarioBackend, name: string, text: string): Promise<string> {
  const run = await runResolvedSpec(name, loadSpec(text), backend, { maxStepWaitMs: 60_000 });
  expect(run.abortedBecause).toBeNull();
  return renderText(run.events);
}

describe('project scenarios', () => {
  it('exist', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(4);
  });

  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
    '%s gives its recorded output on PostgreSQL 18',
    async (name, scenario) => {
      const recorded = readFileSync(`${PROJECT_SCENARIOS_DIR}/${name}.out`, 'utf8');
      expect(await outputOn(postgres, name, scenario.text)).toBe(recorded);
    },
  );
});

const engineUnavailable = typeof engineOrReason === 'string' ? engineOrReason : null;

describe.skipIf(engineUnavailable !== null)(
  engineUnavailable === null
    ? 'project scenarios on the engine'
    : `project scenarios on the engine — SKIPPED: the engine backend is not available (${engineUnavailable})`,
  () => {
    it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
      '%s gives the same output on the engine as on PostgreSQL 18',
      async (name, scenario) => {
        if (typeof engineOrReason === 'string') throw new Error(engineOrReason);
        const onPostgres = await outputOn(postgres, name, scenario.text);
        expect(await outputOn(engineOrReason, name, scenario.text)).toBe(onPostgres);
      },
    );
  },
);
