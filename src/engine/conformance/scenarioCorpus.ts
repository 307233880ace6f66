/**
 * Where the specs the conformance harness runs come from (Node only):
 *
 * - PostgreSQL's own isolation specs in `../shared/conformance/pg-isolation` (relative to the repo
 *   root), with their expected outputs `expected/NAME.out` and alternatives `NAME_1.out`, …;
 * - the project's scenarios, `scenarios/*.spec` at the repo root;
 * - the lessons: when `src/lessons/index.ts` exists and exports `lessonScenarios()`, the specs it
 *   returns (`LessonScenarioSource`).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface NamedSpec {
  /** Spec name as the tester knows it (file name without `.spec`). */
  name: string;
  text: string;
  /** Where it came from, relative to the repo root, for reports. */
  origin: string;
}

export interface PgIsolationSpec extends NamedSpec {
  /** Every accepted expected output: `NAME.out` first, then `NAME_1.out`, `NAME_2.out`, … */
  expected: { file: string; text: string }[];
}

/** What `src/lessons/index.ts` may export for the harness to check every lesson. */
export interface LessonScenarioSource {
  lessonScenarios(): { name: string; spec: string }[] | Promise<{ name: string; spec: string }[]>;
}

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const PG_ISOLATION_DIR = resolve(REPO_ROOT, '..', 'shared', 'conformance', 'pg-isolation');
export const PROJECT_SCENARIOS_DIR = join(REPO_ROOT, 'scenarios');
const LESSON_INDEX = join(REPO_ROOT, 'src', 'lessons', 'index.ts');

export function specNameOf(file: string): string {
  return basename(file).replace(/\.spec$/, '');
}

export function hasPgIsolationSpecs(): boolean {
  return existsSync(join(PG_ISOLATION_DIR, 'specs'));
}

export async function loadPgIsolationSpecs(): Promise<PgIsolationSpec[]> {
  const specDir = join(PG_ISOLATION_DIR, 'specs');
  const expectedDir = join(PG_ISOLATION_DIR, 'expected');
  const expectedFiles = await readdir(expectedDir);
  const files = (await readdir(specDir)).filter((file) => file.endsWith('.spec')).sort();
  return Promise.all(
    files.map(async (file) => {
      const name = specNameOf(file);
      const variants = expectedFiles
        .filter(
          (candidate) => candidate === `${name}.out` || new RegExp(`^${name}_\\d+\\.out$`).test(candidate),
        )
        .sort((a, b) => a.length - b.length || a.localeCompare(b));
      return {
        name,
        text: await readFile(join(specDir, file), 'utf8'),
        origin: `../shared/conformance/pg-isolation/specs/${file}`,
        expected: await Promise.all(
          variants.map(async (variant) => ({
            file: variant,
            text: await readFile(join(expectedDir, variant), 'utf8'),
          })),
        ),
      };
    }),
  );
}

export async function loadProjectScenarios(): Promise<NamedSpec[]> {
  if (!existsSync(PROJECT_SCENARIOS_DIR)) return [];
  const files = (await readdir(PROJECT_SCENARIOS_DIR)).filter((file) => file.endsWith('.spec')).sort();
  return Promise.all(
    files.map(async (file) => ({
      name: specNameOf(file),
      text: await readFile(join(PROJECT_SCENARIOS_DIR, file), 'utf8'),
      origin: `scenarios/${file}`,
    })),
  );
}

/** The lessons' scenarios, or nothing (with the reason) when the lessons do not offer them yet. */
export async function loadLessonScenarios(): Promise<{ specs: NamedSpec[]; note: string | null }> {
  if (!existsSync(LESSON_INDEX)) return { specs: [], note: 'src/lessons/index.ts does not exist yet' };
  const module = (await import(pathToFileURL(LESSON_INDEX).href)) as Partial<LessonScenarioSource>;
  if (typeof module.lessonScenarios !== 'function') {
    return { specs: [], note: 'src/lessons/index.ts does not export lessonScenarios()' };
  }
  const lessons = await module.lessonScenarios();
  return {
    specs: lessons.map((lesson) => ({
      name: lesson.name,
      text: lesson.spec,
      origin: `lesson ${lesson.name}`,
    })),
    note: null,
  };
}
