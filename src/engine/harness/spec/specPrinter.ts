/**
 * Writes a spec back as text that `parseSpec` reads to the same spec (positions aside). SQL is kept
 * byte for byte; names are quoted only when they must be.
 */
import { isPlainIdentifier } from './specScanner';
import type { PermutationStep, SpecSession, StepBlocker, TestSpec } from './specTypes';

export function printSpec(spec: TestSpec): string {
  const parts: string[] = [];
  for (const setup of spec.setup) parts.push(`setup ${printSql(setup)}\n`);
  if (spec.teardown !== null) parts.push(`teardown ${printSql(spec.teardown)}\n`);
  for (const session of spec.sessions) parts.push(printSession(session));
  if (spec.permutations.length > 0) {
    parts.push(
      spec.permutations
        .map((permutation) => `permutation ${permutation.steps.map(printStep).join(' ')}\n`)
        .join(''),
    );
  }
  return parts.join('\n');
}

export function printName(name: string): string {
  if (isPlainIdentifier(name)) return name;
  if (/[\n]/.test(name)) throw new Error(`A spec name cannot hold a newline: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The scanner drops blanks after `{` and before `}` but keeps newlines, so one blank is added on a
 * side only where the SQL does not already start (end) with a newline.
 */
export function printSql(sql: string): string {
  if (sql.includes('}')) throw new Error(`An SQL block of a spec cannot contain "}": ${JSON.stringify(sql)}`);
  if (/^[ \t\r\f]/.test(sql) || /[ \t\r\f]$/.test(sql)) {
    throw new Error(`An SQL block of a spec cannot start or end with a blank: ${JSON.stringify(sql)}`);
  }
  if (sql === '') return '{ }';
  const open = sql.startsWith('\n') ? '{' : '{ ';
  const close = sql.endsWith('\n') ? '}' : ' }';
  return `${open}${sql}${close}`;
}

function printSession(session: SpecSession): string {
  const lines = [`session ${printName(session.name)}`];
  if (session.setup !== null) lines.push(`setup ${printSql(session.setup)}`);
  for (const step of session.steps) lines.push(`step ${printName(step.name)} ${printSql(step.sql)}`);
  if (session.teardown !== null) lines.push(`teardown ${printSql(session.teardown)}`);
  return `${lines.join('\n')}\n`;
}

function printStep(step: PermutationStep): string {
  if (step.blockers.length === 0) return printName(step.name);
  return `${printName(step.name)}(${step.blockers.map(printBlocker).join(', ')})`;
}

function printBlocker(blocker: StepBlocker): string {
  switch (blocker.kind) {
    case 'once':
      return '*';
    case 'otherStep':
      return printName(blocker.step);
    case 'notices':
      return `${printName(blocker.step)} notices ${blocker.count}`;
  }
}
