/**
 * A lesson's timeout-simulator attachment read against its spec: which session only stands in for
 * the driver's cancel, and every way the attachment does not fit the spec or the model.
 */
import { InvalidScenarioError, isPostgresDriver, simulate } from '../engine/clientTimeouts';
import { specPermutations, resolveSpec, parseSpec } from '../engine/harness';
import type { Lesson } from './lesson';

/** The spec session that only stands in for the driver's cancel (hidden in the app). */
export function standInSession(lesson: Lesson): string | null {
  const link = lesson.clientTimeouts?.engineLink;
  if (!link) return null;
  const resolved = resolveSpec(parseSpec(lesson.spec));
  const step = resolved.spec.sessions.find((session) =>
    session.steps.some((candidate) => candidate.name === link.deadlineStep),
  );
  return step?.name ?? null;
}

/** Every way the attachment does not fit its lesson or the model (empty when it fits). */
export function clientTimeoutsProblems(lesson: Lesson): string[] {
  const attachment = lesson.clientTimeouts;
  if (!attachment) return [];
  const problems: string[] = [];
  const { engineLink: link } = attachment;
  const resolved = resolveSpec(parseSpec(lesson.spec));
  const sessionOf = (stepName: string) =>
    resolved.spec.sessions.find((session) => session.steps.some((step) => step.name === stepName));

  if (attachment.drivers.length === 0) problems.push('drivers: list at least one driver');
  if (new Set(attachment.drivers).size !== attachment.drivers.length)
    problems.push('drivers: a driver is listed twice');
  if (!attachment.drivers.some(isPostgresDriver))
    problems.push('drivers: the engine link needs a PostgreSQL driver');

  if (!resolved.spec.sessions.some((session) => session.name === link.session)) {
    problems.push(`engineLink.session: the spec has no session "${link.session}"`);
  }
  const statementSession = sessionOf(link.statementStep);
  if (!statementSession)
    problems.push(`engineLink.statementStep: the spec has no step "${link.statementStep}"`);
  else if (statementSession.name !== link.session) {
    problems.push(
      `engineLink.statementStep: "${link.statementStep}" runs on ${statementSession.name}, not ${link.session}`,
    );
  }
  const deadlineSession = sessionOf(link.deadlineStep);
  if (!deadlineSession) problems.push(`engineLink.deadlineStep: the spec has no step "${link.deadlineStep}"`);
  else if (deadlineSession.name === link.session || deadlineSession.steps.length !== 1) {
    problems.push(
      `engineLink.deadlineStep: "${link.deadlineStep}" needs a session of its own with no other step`,
    );
  }
  for (const permutation of specPermutations(resolved)) {
    const names = permutation.map((step) => step.name);
    const statementAt = names.indexOf(link.statementStep);
    const deadlineAt = names.indexOf(link.deadlineStep);
    if (deadlineAt >= 0 && !(statementAt >= 0 && statementAt < deadlineAt)) {
      problems.push(
        `engineLink: in a permutation, "${link.deadlineStep}" does not follow "${link.statementStep}"`,
      );
    }
  }

  const sql = statementSession?.steps.find((step) => step.name === link.statementStep)?.sql ?? '';
  const programSql = attachment.program.goroutines.flatMap((goroutine) =>
    goroutine.steps.flatMap((step) => ('sql' in step ? [step.sql] : [])),
  );
  if (!programSql.some((statement) => normalizeSql(statement) === normalizeSql(sql))) {
    problems.push(`program: no statement of the Go program is the SQL of "${link.statementStep}"`);
  }

  for (const driver of attachment.drivers) {
    try {
      const result = simulate({ ...attachment.program, driver });
      if (
        isPostgresDriver(driver) &&
        !result.connections.some((connection) => connection.id === link.connection)
      ) {
        problems.push(
          `engineLink.connection: with ${driver} the program opens no connection "${link.connection}"`,
        );
      }
    } catch (error) {
      if (!(error instanceof InvalidScenarioError)) throw error;
      problems.push(`program with ${driver}: ${error.problems.join('; ')}`);
    }
  }
  return problems;
}

function normalizeSql(sql: string): string {
  return sql.trim().replace(/;$/, '').replace(/\s+/g, ' ');
}
