/**
 * The spec format against PostgreSQL's own 75 isolation specs (in ../shared, as in CI): each parses,
 * prints back to an equivalent spec, and gives the permutations and warnings PostgreSQL's tester
 * printed in the expected output.
 */
import { describe, expect, it } from 'vitest';
import { hasPgIsolationSpecs, loadPgIsolationSpecs } from '../../conformance';
import { specPermutations } from './permutations';
import { resolveSpec } from './resolveSpec';
import { parseSpec } from './specParser';
import { printSpec } from './specPrinter';
import type { TestSpec } from './specTypes';

const available = hasPgIsolationSpecs();
const specs = available ? await loadPgIsolationSpecs() : [];

function withoutPositions(spec: TestSpec): unknown {
  return JSON.parse(JSON.stringify(spec, (key, value: unknown) => (key === 'at' ? undefined : value)));
}

describe.skipIf(!available)("PostgreSQL's isolation specs (../shared/conformance/pg-isolation)", () => {
  it('are all there', () => {
    expect(specs).toHaveLength(75);
  });

  it.each(specs.map((spec) => [spec.name, spec] as const))(
    '%s parses and prints back to the same spec',
    (_, spec) => {
      const parsed = parseSpec(spec.text);
      const reparsed = parseSpec(printSpec(parsed));
      expect(withoutPositions(reparsed)).toEqual(withoutPositions(parsed));
      expect(printSpec(reparsed)).toBe(printSpec(parsed));
    },
  );

  it.each(specs.map((spec) => [spec.name, spec] as const))(
    '%s: permutations and warnings are those of the expected output',
    (_, spec) => {
      const resolved = resolveSpec(parseSpec(spec.text));
      const expected = spec.expected[0]?.text ?? '';
      const expectedPermutations = expected
        .split('\n')
        .filter((line) => line.startsWith('starting permutation:'))
        .map((line) => line.slice('starting permutation: '.length));
      const permutations = [...specPermutations(resolved)].map((steps) =>
        steps.map((step) => step.name).join(' '),
      );
      expect(permutations).toEqual(expectedPermutations);
      const header = expected.slice(0, expected.indexOf('Parsed test spec')).split('\n').filter(Boolean);
      expect(resolved.warnings).toEqual(header);
      expect(expected).toContain(`Parsed test spec with ${resolved.sessionNames.length} sessions\n`);
    },
  );
});
