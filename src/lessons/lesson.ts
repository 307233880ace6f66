/**
 * A lesson as data: a scenario in the isolation tester's spec format (run on real PostgreSQL by the
 * conformance harness, so every output it shows is checked), a narrative per step in Markdown,
 * questions to answer before the key steps, and the facts each step must show — checked on both
 * the engine and PostgreSQL by the lessons' tests, so the narrative stays true.
 */
import type { ClientTimeoutsAttachment } from './clientTimeoutsAttachment';

export interface Lesson {
  /** Stable, URL-safe: `?lesson=ID`. */
  id: string;
  title: string;
  /** One or two sentences for the lesson list (Markdown). */
  summary: string;
  /** The scenario in the isolation tester's spec format. */
  spec: string;
  /** One part per permutation of the spec, in the same order. */
  parts: LessonPart[];
  /** A Go program for the timeout-phase simulator, linked to a session of the spec (checked). */
  clientTimeouts?: ClientTimeoutsAttachment;
}

export interface LessonPart {
  title: string;
  /** Shown before the first step (Markdown). */
  intro: string;
  /** One entry per step of the permutation, in order. */
  steps: LessonStep[];
  /** Shown after the last step (Markdown). */
  outro?: string;
}

export interface LessonStep {
  /** The name of the permutation's step at this position (checked). */
  step: string;
  /** Shown while this step is the next one (Markdown). */
  before?: string;
  /** Asked before the step runs; the answer is revealed once it ran. */
  predict?: Prediction;
  /** Shown once the step ran: what happened, and why (Markdown). */
  after?: string;
  /** What the step shows on PostgreSQL and on the engine (checked by the lessons' tests). */
  expect?: StepFacts;
}

export interface Prediction {
  question: string;
  options: string[];
  /** Index of the right option. */
  answer: number;
}

export interface StepFacts {
  /** The step blocks (the isolation tester prints `<waiting ...>`). */
  waits?: boolean;
  /** The step's last statement fails with this error (or, with null, it does not fail). */
  error?: { sqlstate: string; message: string } | null;
  /** The rows of the step's last result, in PostgreSQL's text format. */
  rows?: (string | null)[][];
}
