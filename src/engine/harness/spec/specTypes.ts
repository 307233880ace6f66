/**
 * The isolation-tester spec format as data: what `specparse.y` in PostgreSQL's source builds.
 *
 * A spec has global setup blocks (run in order before every permutation), an optional teardown, one
 * or more sessions with their own setup, steps and teardown, and optional permutations. Without
 * permutations the runner tries every interleaving that keeps each session's steps in order.
 */

/** 1-based line and column in the spec text (columns count UTF-16 code units). */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface TestSpec {
  /** `setup { … }` blocks before the sessions; each runs on the control connection, in order. */
  setup: string[];
  /** `teardown { … }` after the setup blocks, run on the control connection after each permutation. */
  teardown: string | null;
  sessions: SpecSession[];
  /** Empty when the spec names none: then every interleaving of the sessions' steps runs. */
  permutations: SpecPermutation[];
}

export interface SpecSession {
  name: string;
  setup: string | null;
  steps: SpecStep[];
  teardown: string | null;
  /** Where the session's name is written, when parsed from text. */
  at?: SourcePosition;
}

export interface SpecStep {
  name: string;
  /** The SQL between the braces, without the blanks that follow `{` and precede `}`. */
  sql: string;
  at?: SourcePosition;
}

export interface SpecPermutation {
  steps: PermutationStep[];
  at?: SourcePosition;
}

export interface PermutationStep {
  /** The name of a step of one of the sessions. */
  name: string;
  /** Conditions that keep the step from being reported complete (the markers in parentheses). */
  blockers: StepBlocker[];
  at?: SourcePosition;
}

/**
 * `step(*)`: report the step as waiting once, even if it completes at once.
 * `step(other)`: do not report the step complete while `other` is the running step of its session.
 * `step(other notices N)`: … until `other`'s session has printed N more notices than when the step was launched.
 */
export type StepBlocker =
  | { kind: 'once'; at?: SourcePosition }
  | { kind: 'otherStep'; step: string; at?: SourcePosition }
  | { kind: 'notices'; step: string; count: number; at?: SourcePosition };
