/**
 * Checks a lesson's facts against what running its scenario printed (the isolation tester's
 * transcript, from the engine or from PostgreSQL): does each step wait, fail, return these rows?
 */
import type { StatementOutcome } from '../engine/pgEmulator';
import type { TranscriptEvent } from '../engine/harness';
import type { Lesson, StepFacts } from './lesson';

/** What one step of a permutation showed. */
export interface StepRecord {
  step: string;
  waited: boolean;
  outcomes: StatementOutcome[];
}

/** Splits a transcript into its permutations, and each into its steps in launch order. */
export function stepRecords(events: readonly TranscriptEvent[]): StepRecord[][] {
  const permutations: StepRecord[][] = [];
  let steps: StepRecord[] = [];
  /** The latest launch of each step name (a permutation may run a step twice). */
  let latest = new Map<string, StepRecord>();
  const launch = (step: string, waited: boolean) => {
    const record: StepRecord = { step, waited, outcomes: [] };
    steps.push(record);
    latest.set(step, record);
  };
  for (const event of events) {
    switch (event.kind) {
      case 'permutationStarted':
        steps = [];
        latest = new Map();
        permutations.push(steps);
        break;
      case 'stepWaiting':
        launch(event.step, true);
        break;
      case 'stepCompleted':
        if (!event.afterWait) launch(event.step, false);
        break;
      case 'stepOutcome':
        latest.get(event.step)?.outcomes.push(event.outcome);
        break;
      default:
        break;
    }
  }
  return permutations;
}

/** Every way the records contradict the lesson's facts (empty when all hold). */
export function factProblems(lesson: Lesson, permutations: readonly StepRecord[][]): string[] {
  const problems: string[] = [];
  lesson.parts.forEach((part, partIndex) => {
    const records = permutations[partIndex] ?? [];
    part.steps.forEach((step, index) => {
      const record = records[index];
      const where = `${lesson.id}, part ${partIndex + 1}, step ${index + 1} (${step.step})`;
      if (!record || record.step !== step.step) {
        problems.push(`${where}: the run shows ${record ? record.step : 'no step'} here`);
        return;
      }
      if (step.expect)
        problems.push(...checkFacts(step.expect, record).map((problem) => `${where}: ${problem}`));
    });
  });
  return problems;
}

function checkFacts(facts: StepFacts, record: StepRecord): string[] {
  const problems: string[] = [];
  const last = record.outcomes.at(-1);
  if (facts.waits !== undefined && facts.waits !== record.waited) {
    problems.push(facts.waits ? 'expected it to wait, it did not' : 'expected it not to wait, it waited');
  }
  if (facts.error !== undefined) {
    const error = last?.kind === 'error' ? last.error : null;
    if (facts.error === null && error)
      problems.push(`expected no error, got ${error.sqlstate} ${error.message}`);
    if (facts.error && (error?.sqlstate !== facts.error.sqlstate || error.message !== facts.error.message)) {
      problems.push(
        `expected ERROR ${facts.error.sqlstate} ${facts.error.message}, got ${error ? `${error.sqlstate} ${error.message}` : 'no error'}`,
      );
    }
  }
  if (facts.rows !== undefined) {
    const rows = last?.kind === 'ok' ? (last.rows ?? null) : null;
    if (JSON.stringify(rows) !== JSON.stringify(facts.rows)) {
      problems.push(`expected rows ${JSON.stringify(facts.rows)}, got ${JSON.stringify(rows)}`);
    }
  }
  return problems;
}
