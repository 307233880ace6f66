import { describe, expect, it } from 'vitest';
import { countPermutations, interleavings, specPermutations } from './permutations';
import { resolveSpec, SpecValidationError } from './resolveSpec';
import { parseSpec } from './specParser';

function validationError(text: string): SpecValidationError {
  try {
    resolveSpec(parseSpec(text));
  } catch (error) {
    if (error instanceof SpecValidationError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('resolveSpec', () => {
  it('links permutation steps to their steps and sessions, and blockers to the steps they name', () => {
    const resolved = resolveSpec(
      parseSpec(
        'session a step a1 { A1 } step a2 { A2 } session b step b1 { B1 } permutation a1 b1(a1, a1 notices 2) a2(*)',
      ),
    );
    const [permutation] = resolved.permutations;
    expect(permutation?.map((step) => [step.name, step.step.session, step.step.sql])).toEqual([
      ['a1', 0, 'A1'],
      ['b1', 1, 'B1'],
      ['a2', 0, 'A2'],
    ]);
    expect(permutation?.[1]?.blockers).toEqual([
      { kind: 'otherStep', step: permutation?.[0]?.step },
      { kind: 'notices', step: permutation?.[0]?.step, count: 2 },
    ]);
    expect(permutation?.[2]?.blockers).toEqual([{ kind: 'once' }]);
  });

  it('warns about steps no permutation uses, sorted by name as the tester does', () => {
    const resolved = resolveSpec(
      parseSpec('session a step zz { } step a1 { } step B { } session b step b1 { } permutation a1 b1'),
    );
    expect(resolved.warnings).toEqual(['unused step name: B', 'unused step name: zz']);
    expect(resolveSpec(parseSpec('session a step zz { } session b step b1 { }')).warnings).toEqual([]);
  });

  it.each([
    ['session a step x { } session b step x { }', 'duplicate step name: x (line 1, column 37)'],
    [
      'session a step x { }\npermutation x  y',
      'undefined step "y" specified in permutation (line 2, column 16)',
    ],
    [
      'session a step x { } session b step y { } permutation x(y)',
      'undefined blocking step "y" referenced in permutation step "x" (line 1, column 57)',
    ],
    [
      'session a step x { } step x2 { } permutation x2 x(x2)',
      'permutation step "x" cannot block on its own session (line 1, column 49)',
    ],
  ])('rejects %j', (text, message) => {
    expect(validationError(text).message).toBe(message);
  });
});

describe('permutations', () => {
  it('interleaves the sessions keeping each one in order, first session first, like the tester', () => {
    const orders = [...interleavings([['a1', 'a2'], ['b1'], ['c1']])].map((order) => order.join(' '));
    expect(orders).toEqual([
      'a1 a2 b1 c1',
      'a1 a2 c1 b1',
      'a1 b1 a2 c1',
      'a1 b1 c1 a2',
      'a1 c1 a2 b1',
      'a1 c1 b1 a2',
      'b1 a1 a2 c1',
      'b1 a1 c1 a2',
      'b1 c1 a1 a2',
      'c1 a1 a2 b1',
      'c1 a1 b1 a2',
      'c1 b1 a1 a2',
    ]);
  });

  it('counts generated permutations without generating them', () => {
    const resolved = resolveSpec(
      parseSpec('session a step a1 { } step a2 { } step a3 { } session b step b1 { } step b2 { }'),
    );
    expect(countPermutations(resolved)).toBe(10);
    expect([...specPermutations(resolved)]).toHaveLength(10);
  });

  it('runs the named permutations when the spec has some', () => {
    const resolved = resolveSpec(
      parseSpec('session a step a1 { } session b step b1 { } permutation b1 a1 permutation a1'),
    );
    expect([...specPermutations(resolved)].map((steps) => steps.map((step) => step.name))).toEqual([
      ['b1', 'a1'],
      ['a1'],
    ]);
    expect(countPermutations(resolved)).toBe(2);
  });
});
