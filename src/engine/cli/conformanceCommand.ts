/**
 * `npm run conformance`: every spec on both backends, compared.
 *
 * - PostgreSQL's isolation specs (when `../shared/conformance/pg-isolation` exists): the engine's
 *   output and the live server's output are each compared with PostgreSQL's expected files (any
 *   `_N.out` alternative counts).
 * - The project's scenarios (`scenarios/*.spec`) and the lessons' scenarios: the engine's output is
 *   compared with the live server's.
 *
 * Writes `conformance-report/` (summary, outputs, diffs) and prints as its last line
 * `conformance: engine E/75 identical to PostgreSQL's expected output; postgres backend P/75;
 * project scenarios K/L identical on both backends`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ScenarioBackend, renderText, loadSpec, runResolvedSpec, createEngineBackend } from '../harness';
import { createPostgresBackend } from '../pgServer';
import { unifiedDiff } from './unifiedDiff';
import {
  hasPgIsolationSpecs,
  loadLessonScenarios,
  loadPgIsolationSpecs,
  loadProjectScenarios,
  PROJECT_SCENARIOS_DIR,
  REPO_ROOT,
  type NamedSpec,
} from '../conformance';
import type { CommandIo } from './specCommand';
import { stepTimeoutMs } from './stepTimeout';

export const REPORT_DIR = join(REPO_ROOT, 'conformance-report');

interface SpecRun {
  /** The tester's output, or null when the backend could not run the spec at all. */
  output: string | null;
  /** Why the run failed or was given up, if it was. */
  problem: string | null;
  seconds: number;
}

async function runOne(backend: ScenarioBackend, spec: NamedSpec, maxStepWaitMs: number): Promise<SpecRun> {
  const started = performance.now();
  try {
    const run = await runResolvedSpec(spec.name, loadSpec(spec.text), backend, { maxStepWaitMs });
    return {
      output: renderText(run.events),
      problem: run.abortedBecause,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    return {
      output: null,
      problem: error instanceof Error ? error.message : String(error),
      seconds: (performance.now() - started) / 1000,
    };
  }
}

interface Comparison {
  name: string;
  identical: boolean;
  /** Which expected file matched, or what it was compared with. */
  against: string;
  problem: string | null;
  seconds: number;
  /** True when there was nothing to compare with (the engine backend is unavailable). */
  notCompared?: boolean;
}

export async function runConformanceCommand(io: CommandIo): Promise<number> {
  const maxStepWaitMs = stepTimeoutMs(undefined, io.env);
  await rm(REPORT_DIR, { recursive: true, force: true });
  await mkdir(join(REPORT_DIR, 'pg-isolation'), { recursive: true });
  await mkdir(join(REPORT_DIR, 'scenarios'), { recursive: true });
  const notes: string[] = [];

  let engine: ScenarioBackend | null = null;
  try {
    engine = await createEngineBackend();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    notes.push(`The engine backend could not be created, so the engine counts 0: ${reason}`);
    io.err(`conformance: engine backend unavailable (${reason}); running the postgres backend only\n`);
  }
  const postgres = await createPostgresBackend();

  try {
    const pgSpecs = hasPgIsolationSpecs() ? await loadPgIsolationSpecs() : [];
    if (pgSpecs.length === 0)
      notes.push('../shared/conformance/pg-isolation was not found: PostgreSQL specs skipped.');
    const engineResults: Comparison[] = [];
    const postgresResults: Comparison[] = [];

    for (const spec of pgSpecs) {
      for (const [backend, results] of [
        [postgres, postgresResults],
        [engine, engineResults],
      ] as const) {
        if (!backend) continue;
        const run = await runOne(backend, spec, maxStepWaitMs);
        const match =
          run.output === null ? undefined : spec.expected.find((expected) => expected.text === run.output);
        const base = join(REPORT_DIR, 'pg-isolation', `${spec.name}.${backend.name}`);
        if (run.output !== null) await writeFile(`${base}.out`, run.output);
        const first = spec.expected[0];
        if (!match && run.output !== null && first) {
          await writeFile(
            `${base}.diff`,
            unifiedDiff(first.text, run.output, `expected/${first.file}`, `${backend.name}`),
          );
        }
        results.push({
          name: spec.name,
          identical: match !== undefined,
          against: match?.file ?? first?.file ?? '(no expected file)',
          problem: run.problem,
          seconds: run.seconds,
        });
        io.err(
          `${backend.name.padEnd(8)} ${spec.name.padEnd(34)} ${match ? 'identical' : 'DIFFERENT'} ${run.seconds.toFixed(1)}s${run.problem ? ` (${run.problem.split('\n')[0]})` : ''}\n`,
        );
      }
    }

    const lessons = await loadLessonScenarios();
    if (lessons.note) notes.push(`Lessons not included: ${lessons.note}.`);
    const projectSpecs = [...(await loadProjectScenarios()), ...lessons.specs];
    const projectResults: Comparison[] = [];
    for (const spec of projectSpecs) {
      const onPostgres = await runOne(postgres, spec, maxStepWaitMs);
      const onEngine = engine ? await runOne(engine, spec, maxStepWaitMs) : null;
      const base = join(REPORT_DIR, 'scenarios', spec.name);
      if (onPostgres.output !== null) await writeFile(`${base}.postgres.out`, onPostgres.output);
      if (onEngine?.output != null) await writeFile(`${base}.engine.out`, onEngine.output);
      const recordedFile = join(PROJECT_SCENARIOS_DIR, `${spec.name}.out`);
      const recorded = existsSync(recordedFile) ? await readFile(recordedFile, 'utf8') : null;
      if (recorded !== null && onPostgres.output !== recorded) {
        notes.push(
          `${spec.origin}: PostgreSQL's output differs from the recorded ${spec.name}.out (see scenarios/${spec.name}.recorded.diff).`,
        );
        await writeFile(
          join(REPORT_DIR, 'scenarios', `${spec.name}.recorded.diff`),
          unifiedDiff(recorded, onPostgres.output ?? '', `scenarios/${spec.name}.out`, 'postgres'),
        );
      }
      const identical =
        onEngine !== null &&
        onPostgres.output !== null &&
        onEngine.output === onPostgres.output &&
        !onPostgres.problem;
      if (!identical && onEngine?.output != null && onPostgres.output !== null) {
        await writeFile(
          `${base}.diff`,
          unifiedDiff(onPostgres.output, onEngine.output, 'postgres', 'engine'),
        );
      }
      projectResults.push({
        name: spec.name,
        identical,
        against: spec.origin,
        problem: onPostgres.problem ?? onEngine?.problem ?? (onEngine ? null : 'engine backend unavailable'),
        notCompared: onEngine === null,
        seconds: onPostgres.seconds + (onEngine?.seconds ?? 0),
      });
      io.err(
        `project  ${spec.name.padEnd(34)} ${identical ? 'identical' : engine ? 'DIFFERENT' : 'postgres only (no engine)'}\n`,
      );
    }

    const total = pgSpecs.length;
    const engineCount = engineResults.filter((result) => result.identical).length;
    const postgresCount = postgresResults.filter((result) => result.identical).length;
    const projectCount = projectResults.filter((result) => result.identical).length;
    const summary =
      `conformance: engine ${engineCount}/${total} identical to PostgreSQL's expected output; ` +
      `postgres backend ${postgresCount}/${total}; ` +
      `project scenarios ${projectCount}/${projectResults.length} identical on both backends`;
    await writeFile(
      join(REPORT_DIR, 'README.md'),
      reportMarkdown(summary, notes, postgresResults, engineResults, projectResults, engine !== null),
    );
    io.out(`report: ${join('conformance-report', 'README.md')}\n`);
    io.out(`${summary}\n`);
    return 0;
  } finally {
    await engine?.shutdown();
    await postgres.shutdown();
  }
}

function table(title: string, results: readonly Comparison[], columnAgainst: string): string {
  if (results.length === 0) return `## ${title}\n\n(none)\n`;
  const rows = results.map(
    (result) =>
      `| ${result.name} | ${result.identical ? 'identical' : result.notCompared ? 'not compared' : '**different**'} | ${result.against} | ${result.seconds.toFixed(1)} | ${
        result.problem ? result.problem.split('\n')[0]?.replaceAll('|', '\\|') : ''
      } |`,
  );
  return [
    `## ${title}`,
    '',
    `| spec | result | ${columnAgainst} | seconds | problem |`,
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function reportMarkdown(
  summary: string,
  notes: readonly string[],
  postgres: readonly Comparison[],
  engine: readonly Comparison[],
  project: readonly Comparison[],
  engineAvailable: boolean,
): string {
  const seconds = postgres.reduce((sum, result) => sum + result.seconds, 0);
  return [
    '# Conformance report',
    '',
    `    ${summary}`,
    '',
    ...notes.map((note) => `- ${note}`),
    '',
    `PostgreSQL's specs took ${seconds.toFixed(0)} s on the postgres backend.`,
    'Outputs are in `pg-isolation/NAME.BACKEND.out` and `scenarios/NAME.BACKEND.out`; each difference has a',
    '`.diff` (expected or postgres output first, then the backend being checked).',
    '',
    table(
      "PostgreSQL's isolation specs on a real PostgreSQL 18 (postgres backend)",
      postgres,
      'expected file',
    ),
    engineAvailable
      ? table("PostgreSQL's isolation specs on the engine", engine, 'expected file')
      : "## PostgreSQL's isolation specs on the engine\n\nNot run: the engine backend is not available (see above).\n",
    table('Project scenarios and lessons: engine compared with postgres', project, 'source'),
  ].join('\n');
}
