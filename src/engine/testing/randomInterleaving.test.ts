/**
 * Random interleavings (seeded): no sequence of statements may corrupt the engine's state, and the
 * same seed must give the same run. A failing seed is printed; pin it in PINNED_SEEDS.
 * More seeds: RANDOM_SEEDS=200 npx vitest run src/engine/testing/randomInterleaving.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../pgEmulator';
import { comparableLog, invariantViolations, runRandomInterleaving } from './randomInterleaving';

/** Seeds that once failed, kept as regression tests. */
const PINNED_SEEDS: number[] = [];

const COUNT = Number(process.env['RANDOM_SEEDS'] ?? 12);
const FIRST = Number(process.env['RANDOM_FIRST_SEED'] ?? 1);
const STEPS = 60;
const seeds = [...PINNED_SEEDS, ...Array.from({ length: COUNT }, (_, i) => FIRST + i)];

let engine: Engine;
beforeAll(async () => {
  engine = await Engine.create();
});
afterAll(() => engine.close());

describe('random interleavings keep the engine consistent', () => {
  it.each(seeds)('seed %i', (seed) => {
    const steps = runRandomInterleaving(engine, seed, STEPS);
    const problems = invariantViolations(engine);
    expect(
      problems,
      `seed=${seed}\n${steps.map((s) => `${s.session}: ${s.sql ?? '(cancel)'} +${s.advance}ms`).join('\n')}`,
    ).toEqual([]);
  });

  it('gives the same run for the same seed', () => {
    runRandomInterleaving(engine, 4242, STEPS);
    const first = comparableLog(engine.events());
    runRandomInterleaving(engine, 4242, STEPS);
    expect(comparableLog(engine.events())).toBe(first);
  });
});
