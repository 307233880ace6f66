/**
 * `npm run spec`: messages for specs that cannot run, the JSON form, and — run as a separate process
 * with its own temporary directory — that a step that never completes is canceled and reported, and
 * that the server is stopped and its files removed at the end and on SIGTERM.
 */
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineBackend } from '../harness';
import { hasPgIsolationSpecs, PG_ISOLATION_DIR, REPO_ROOT } from '../conformance';
import { runSpecCommand } from './specCommand';

const workDir = mkdtempSync(join(tmpdir(), 'spec-command-test-'));
// When run as root the server runs as the postgres user, which must be able to reach its directory.
chmodSync(workDir, 0o755);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function specFile(name: string, text: string): string {
  const file = join(workDir, `${name}.spec`);
  writeFileSync(file, text);
  return file;
}

async function runInProcess(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await runSpecCommand(args, {
    out: (text) => (out += text),
    err: (text) => (err += text),
    env: {},
  });
  return { status, out, err };
}

const LOCK_WAIT_SPEC = `
setup { CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0); }
teardown { DROP TABLE t; }
session s1
setup { BEGIN; }
step s1_update { UPDATE t SET v = 1 WHERE id = 1; }
teardown { ROLLBACK; }
session s2
setup { BEGIN; }
step s2_update { UPDATE t SET v = 2 WHERE id = 1; }
step s2_commit { COMMIT; }
teardown { ROLLBACK; }
permutation s1_update s2_update s2_commit
`;

describe('npm run spec: specs that cannot run', () => {
  it('reports a syntax error with file, line and column, and exits 2', async () => {
    const file = specFile('bad-syntax', 'session s1\nstep a { SELECT 1; }\npermutation a(\n');
    const result = await runInProcess([file]);
    expect(result).toEqual({
      status: 2,
      out: '',
      err: `${file}:4:1: syntax error: expected "*" or a step name, found the end of the spec\n`,
    });
  });

  it('reports an unknown step in a permutation where it is written, and exits 2', async () => {
    const file = specFile('unknown-step', 'session s1\nstep a { SELECT 1; }\npermutation a b\n');
    const result = await runInProcess([file, '--backend', 'postgres']);
    expect(result).toEqual({
      status: 2,
      out: '',
      err: `${file}:3:15: undefined step "b" specified in permutation\n`,
    });
  });

  it('refuses an unknown backend and a missing file', async () => {
    const file = specFile('fine', 'session s1 step a { SELECT 1; }');
    expect(await runInProcess([file, '--backend', 'mysql'])).toMatchObject({
      status: 2,
      err: 'unknown backend "mysql": use engine or postgres\n',
    });
    expect(await runInProcess([join(workDir, 'missing.spec')])).toMatchObject({ status: 2 });
    expect(await runInProcess([])).toMatchObject({ status: 2 });
  });
});

describe('npm run spec --backend engine', () => {
  it('runs the spec on the engine, or says clearly that the engine backend is not available', async () => {
    const engineError = await createEngineBackend().then(
      async (backend) => {
        await backend.shutdown();
        return null;
      },
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const file = specFile('engine', 'session s1 step one { SELECT 1 AS one; } permutation one');
    const result = await runInProcess([file, '--backend', 'engine']);
    if (engineError === null) {
      expect(result).toMatchObject({ status: 0, err: '' });
      expect(result.out).toBe(
        'Parsed test spec with 1 sessions\n\nstarting permutation: one\nstep one: SELECT 1 AS one;\none\n---\n  1\n(1 row)\n\n',
      );
    } else {
      expect(result).toEqual({
        status: 1,
        out: '',
        err: `the engine backend is not available: ${engineError}\n`,
      });
    }
  });
});

describe.skipIf(!hasPgIsolationSpecs())('npm run spec --json', () => {
  it('prints one object per permutation, with process and transaction numbers replaced by N', async () => {
    const result = await runInProcess([join(PG_ISOLATION_DIR, 'specs', 'deadlock-simple.spec'), '--json']);
    expect(result.status).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const permutation = JSON.parse(lines[0] ?? '') as {
      spec: string;
      permutation: string[];
      events: unknown[];
    };
    expect(permutation.spec).toBe('deadlock-simple');
    expect(permutation.permutation).toEqual(['s1as', 's2as', 's1ae', 's2ae', 's1c', 's2c']);
    expect(permutation.events).toContainEqual({ step: 's1ae', waiting: true });
    expect(permutation.events).toContainEqual({
      step: 's2ae',
      error: {
        sqlstate: '40P01',
        message: 'deadlock detected',
        detail:
          'Process N waits for AccessExclusiveLock on relation N of database N; blocked by process N.\n' +
          'Process N waits for AccessExclusiveLock on relation N of database N; blocked by process N.',
        hint: 'See server log for query details.',
      },
    });
    expect(permutation.events).toContainEqual({
      step: 's1ae',
      completedAfterWait: true,
      results: [{ command: 'LOCK TABLE', rowCount: null, fields: [], rows: [] }],
    });
  });
});

/** Runs the command as its own process, with a private temporary directory. */
function spawnSpec(args: string[], temporary: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'src/engine/cli/spec.ts'), ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, TMPDIR: temporary },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ out, err }) };
}

/** What the server left in the temporary directory (tsx keeps its own cache there too). */
function serverFiles(directory: string): string[] {
  return readdirSync(directory).filter((name) => name.startsWith('pg-'));
}

function serverProcessesUsing(directory: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(directory));
}

describe('npm run spec as a process: cancel and cleanup', () => {
  it('cancels a step that never completes, says so, and leaves no server or files behind', async () => {
    const temporary = mkdtempSync(join(workDir, 'tmp-'));
    chmodSync(temporary, 0o755);
    const file = specFile('never-completes', LOCK_WAIT_SPEC);
    const run = spawnSpec([file, '--backend', 'postgres', '--step-timeout', '1'], temporary);
    const status = await run.exited;
    const { out } = run.output();
    expect(status).toBe(0);
    expect(out).toContain(
      'step s2_update: UPDATE t SET v = 2 WHERE id = 1; <waiting ...>\n' +
        'isolationtester: canceling step s2_update after 1 seconds\n' +
        'step s2_update: <... completed>\n' +
        'ERROR:  canceling statement due to user request\n' +
        'step s2_commit: COMMIT;\n',
    );
    expect(serverFiles(temporary)).toEqual([]);
    expect(serverProcessesUsing(temporary)).toEqual([]);
  });

  it('stops the server and removes its files when terminated in the middle of a wait', async () => {
    const temporary = mkdtempSync(join(workDir, 'tmp-'));
    chmodSync(temporary, 0o755);
    const file = specFile('terminated', LOCK_WAIT_SPEC);
    const run = spawnSpec([file, '--backend', 'postgres', '--step-timeout', '600'], temporary);
    for (let waited = 0; !run.output().out.includes('<waiting ...>'); waited += 50) {
      if (waited > 60_000) throw new Error(`the step never started waiting: ${JSON.stringify(run.output())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(serverFiles(temporary)).toHaveLength(1);
    run.child.kill('SIGTERM');
    const status = await run.exited;
    expect(status).toBe(143);
    expect(serverFiles(temporary)).toEqual([]);
    expect(serverProcessesUsing(temporary)).toEqual([]);
  });
});
