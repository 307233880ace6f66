/**
 * The checks PostgreSQL's isolation tester makes before it runs a spec (`check_testspec`): step
 * names are unique, every step a permutation names exists, every blocker names a step of the same
 * permutation in another session. Links each permutation step to its step and session.
 */
import type { SourcePosition, SpecStep, StepBlocker, TestSpec } from './specTypes';

export interface ResolvedStep {
  name: string;
  sql: string;
  /** Index of the step's session in `spec.sessions`. */
  session: number;
}

export type ResolvedBlocker =
  | { kind: 'once' }
  | { kind: 'otherStep'; step: ResolvedStep }
  | { kind: 'notices'; step: ResolvedStep; count: number };

export interface ResolvedPermutationStep {
  name: string;
  step: ResolvedStep;
  blockers: ResolvedBlocker[];
}

export interface ResolvedSpec {
  spec: TestSpec;
  sessionNames: string[];
  /** The permutations the spec names, resolved; empty when every interleaving runs. */
  permutations: ResolvedPermutationStep[][];
  /** Steps of each session, in order, resolved (for generated permutations). */
  sessionSteps: ResolvedStep[][];
  /** What the tester prints on stderr before running (`unused step name: X`), in its order. */
  warnings: string[];
}

/** A spec that parses but cannot run; the message is the tester's, with a position when known. */
export class SpecValidationError extends Error {
  readonly at: SourcePosition | undefined;

  constructor(message: string, at?: SourcePosition) {
    super(at ? `${message} (line ${at.line}, column ${at.column})` : message);
    this.name = 'SpecValidationError';
    this.at = at;
  }
}

/** Byte order, like C's strcmp on UTF-8 (equal to code-point order). */
function compareNames(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const difference = (left[index]?.codePointAt(0) ?? 0) - (right[index]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

export function resolveSpec(spec: TestSpec): ResolvedSpec {
  const sessionSteps = spec.sessions.map((session, sessionIndex) =>
    session.steps.map((step: SpecStep): ResolvedStep => ({
      name: step.name,
      sql: step.sql,
      session: sessionIndex,
    })),
  );
  const allSteps = sessionSteps.flat().sort((a, b) => compareNames(a.name, b.name));
  for (let index = 1; index < allSteps.length; index += 1) {
    if (allSteps[index - 1]?.name === allSteps[index]?.name) {
      const duplicate = allSteps[index]?.name ?? '';
      const at = spec.sessions
        .flatMap((session) => session.steps)
        .filter((step) => step.name === duplicate)[1]?.at;
      throw new SpecValidationError(`duplicate step name: ${duplicate}`, at);
    }
  }
  const byName = new Map(allSteps.map((step) => [step.name, step]));
  const used = new Set<string>();

  const permutations = spec.permutations.map((permutation) => {
    const steps = permutation.steps.map((pstep) => {
      const step = byName.get(pstep.name);
      if (!step)
        throw new SpecValidationError(`undefined step "${pstep.name}" specified in permutation`, pstep.at);
      used.add(step.name);
      return { pstep, step };
    });
    return steps.map(({ pstep, step }): ResolvedPermutationStep => {
      const blockers = pstep.blockers.map((blocker: StepBlocker): ResolvedBlocker => {
        if (blocker.kind === 'once') return { kind: 'once' };
        const other = steps.find((candidate) => candidate.pstep.name === blocker.step)?.step;
        if (!other) {
          throw new SpecValidationError(
            `undefined blocking step "${blocker.step}" referenced in permutation step "${pstep.name}"`,
            blocker.at ?? pstep.at,
          );
        }
        if (other.session === step.session) {
          throw new SpecValidationError(
            `permutation step "${pstep.name}" cannot block on its own session`,
            pstep.at,
          );
        }
        return blocker.kind === 'otherStep'
          ? { kind: 'otherStep', step: other }
          : { kind: 'notices', step: other, count: blocker.count };
      });
      return { name: pstep.name, step, blockers };
    });
  });

  const warnings =
    spec.permutations.length > 0
      ? allSteps.filter((step) => !used.has(step.name)).map((step) => `unused step name: ${step.name}`)
      : [];

  return {
    spec,
    sessionNames: spec.sessions.map((session) => session.name),
    permutations,
    sessionSteps,
    warnings,
  };
}
