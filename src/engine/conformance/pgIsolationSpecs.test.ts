/**
 * The harness's proof of faithfulness: on a real PostgreSQL 18, the runner reproduces PostgreSQL's
 * expected output of its 75 isolation specs byte for byte (any `_N.out` alternative counts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPgIsolationSpecs, loadPgIsolationSpecs } from './scenarioCorpus';
import { type ScenarioBackend, renderText, loadSpec, runResolvedSpec } from '../harness';
import { startEmbeddedServer, type EmbeddedServer, createPostgresBackend } from '../pgServer';

const available = hasPgIsolationSpecs();
const specs = available ? await loadPgIsolationSpecs() : [];

describe.skipIf(!available)("PostgreSQL's 75 isolation specs on the postgres backend", () => {
  let server: EmbeddedServer;
  let backend: ScenarioBackend;

  beforeAll(async () => {
    server = await startEmbeddedServer();
    backend = await createPostgresBackend({ server });
  });

  afterAll(async () => {
    await backend?.shutdown();
    await server?.stop();
  });

  it.each(specs.map((spec) => [spec.name, spec] as const))(
    '%s reproduces the expected output',
    async (_, spec) => {
      const run = await runResolvedSpec(spec.name, loadSpec(spec.text), backend, { maxStepWaitMs: 60_000 });
      const output = renderText(run.events);
      const match = spec.expected.find((expected) => expected.text === output);
      // Any alternative counts; on a mismatch, show the difference from the main expected file.
      expect(output).toBe(match?.text ?? spec.expected[0]?.text);
      expect(run.abortedBecause).toBeNull();
    },
  );
});
