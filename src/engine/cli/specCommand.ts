/**
 * `npm run spec -- FILE.spec [--backend engine|postgres] [--json] [--step-timeout SECONDS]`
 *
 * Runs one isolation spec and prints what PostgreSQL's isolation tester prints (or, with `--json`,
 * one JSON object per permutation). Exit status: 0 when the spec ran to the end, whatever its
 * results; 1 when the run was given up (a step that never finished, mutually blocking steps, a
 * failed setup) or the backend failed; 2 when the spec does not parse or cannot run as written.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  type BackendName,
  type ScenarioBackend,
  renderJsonLines,
  renderEventText,
  loadSpec,
  runResolvedSpec,
  SpecValidationError,
  SpecSyntaxError,
} from '../harness';
import { createBackend, isBackendName } from './createBackend';
import { specNameOf } from '../conformance';
import { stepTimeoutMs } from './stepTimeout';

export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const USAGE =
  'usage: npm run spec -- FILE.spec [--backend engine|postgres] [--json] [--step-timeout SECONDS]\n';

export async function runSpecCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        backend: { type: 'string', default: 'postgres' },
        json: { type: 'boolean', default: false },
        'step-timeout': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    io.err(USAGE);
    return 2;
  }
  const backendName = values.backend;
  if (!isBackendName(backendName)) {
    io.err(`unknown backend "${backendName}": use engine or postgres\n`);
    return 2;
  }
  let maxStepWaitMs: number;
  try {
    maxStepWaitMs = stepTimeoutMs(values['step-timeout'], io.env);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    io.err(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let resolved;
  try {
    resolved = loadSpec(text);
  } catch (error) {
    if (error instanceof SpecSyntaxError) {
      io.err(`${file}:${error.line}:${error.column}: ${error.reason}\n`);
      return 2;
    }
    if (error instanceof SpecValidationError) {
      const where = error.at ? `${file}:${error.at.line}:${error.at.column}` : file;
      io.err(`${where}: ${error.message.replace(/ \(line \d+, column \d+\)$/, '')}\n`);
      return 2;
    }
    throw error;
  }

  return runOnBackend(
    backendName,
    async (backend) => {
      const name = specNameOf(file);
      const run = await runResolvedSpec(name, resolved, backend, {
        maxStepWaitMs,
        onEvent: values.json ? undefined : (event) => io.out(renderEventText(event)),
      });
      if (values.json) io.out(renderJsonLines(name, run.events));
      if (run.abortedBecause !== null) {
        io.err(`spec ${name} was given up on the ${backendName} backend: ${run.abortedBecause}\n`);
        return 1;
      }
      return 0;
    },
    io,
  );
}

async function runOnBackend(
  name: BackendName,
  work: (backend: ScenarioBackend) => Promise<number>,
  io: CommandIo,
): Promise<number> {
  let backend: ScenarioBackend;
  try {
    backend = await createBackend(name);
  } catch (error) {
    io.err(
      `the ${name} backend is not available: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  try {
    return await work(backend);
  } catch (error) {
    io.err(
      `the ${name} backend failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  } finally {
    await backend.shutdown();
  }
}
