/**
 * The lessons, in the order the lesson list shows them, and their scenarios for the conformance
 * harness (`npm run conformance` and the lessons' tests run each on the engine and on PostgreSQL).
 */
import { clientTimeoutPhases } from './clientTimeoutPhases';
import { forUpdateDeadlock } from './forUpdateDeadlock';
import type { Lesson } from './lesson';
import { lostUpdate } from './lostUpdate';
import { preparedStatementStaleness } from './preparedStatementStaleness';
import { rcVsRr } from './rcVsRr';

export type { Lesson, LessonPart, LessonStep, Prediction, StepFacts } from './lesson';
export type { ClientProgram, ClientTimeoutsAttachment } from './clientTimeoutsAttachment';
export { standInSession } from './clientTimeoutsChecks';
export { parseInline, parseMarkdown, plainText, type Block, type Inline } from './markdown';

export const lessons: readonly Lesson[] = [
  rcVsRr,
  lostUpdate,
  forUpdateDeadlock,
  preparedStatementStaleness,
  clientTimeoutPhases,
];

export function findLesson(id: string): Lesson | null {
  return lessons.find((lesson) => lesson.id === id) ?? null;
}

/** What the conformance harness runs: every lesson's spec, named by the lesson's id. */
export function lessonScenarios(): { name: string; spec: string }[] {
  return lessons.map((lesson) => ({ name: lesson.id, spec: lesson.spec }));
}
