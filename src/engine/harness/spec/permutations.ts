/**
 * The permutations a spec runs: those it names, or else every interleaving of the sessions' steps
 * that keeps each session's steps in order, in the order PostgreSQL's tester generates them
 * (`run_all_permutations_recurse`: at each position, try the sessions in spec order).
 */
import type { ResolvedPermutationStep, ResolvedSpec, ResolvedStep } from './resolveSpec';

export function* specPermutations(resolved: ResolvedSpec): Generator<ResolvedPermutationStep[]> {
  if (resolved.permutations.length > 0) {
    yield* resolved.permutations;
    return;
  }
  for (const steps of interleavings(resolved.sessionSteps)) {
    yield steps.map((step) => ({ name: step.name, step, blockers: [] }));
  }
}

/** Every merge of the piles that keeps each pile's order; pile 0 is tried first at each position. */
export function* interleavings<T>(piles: readonly (readonly T[])[]): Generator<T[]> {
  const taken = piles.map(() => 0);
  const total = piles.reduce((sum, pile) => sum + pile.length, 0);
  const chosen: T[] = [];
  function* recurse(): Generator<T[]> {
    if (chosen.length === total) {
      yield [...chosen];
      return;
    }
    for (let pile = 0; pile < piles.length; pile += 1) {
      const items = piles[pile] ?? [];
      const next = taken[pile] ?? 0;
      if (next < items.length) {
        chosen.push(items[next] as T);
        taken[pile] = next + 1;
        yield* recurse();
        taken[pile] = next;
        chosen.pop();
      }
    }
  }
  yield* recurse();
}

/** How many permutations a spec runs (multinomial coefficient when generated). */
export function countPermutations(resolved: ResolvedSpec): number {
  if (resolved.permutations.length > 0) return resolved.permutations.length;
  let count = 1;
  let placed = 0;
  for (const steps of resolved.sessionSteps as readonly (readonly ResolvedStep[])[]) {
    for (let index = 1; index <= steps.length; index += 1) {
      placed += 1;
      count = (count * placed) / index;
    }
  }
  return Math.round(count);
}
