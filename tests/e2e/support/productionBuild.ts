/**
 * Builds the app for production once per test run and serves it on a free loopback port with
 * `vite preview`, the same server `npm start` uses.
 *
 * Test files run in parallel processes of one Vitest run; they share one build (in .tmp/, keyed by
 * the Vitest process), made by whichever asks first. The build is in mode `gallery`: the production
 * app plus the component gallery page (src/ui/gallery), which `npm run build` leaves out.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build, preview, type PreviewServer } from 'vite';

const projectRoot = resolve(import.meta.dirname, '..', '..', '..');
const buildsDir = join(projectRoot, '.tmp', 'e2e-builds');

export interface ServedBuild {
  /** The app's URL, ending in `/`. */
  url: string;
  outDir: string;
  close(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Builds (or waits for the build of) this test run. */
async function sharedBuild(): Promise<string> {
  const owner = process.env.VITEST ? process.ppid : process.pid;
  const outDir = join(buildsDir, `run-${owner}`);
  const lock = `${outDir}.lock`;
  const done = join(outDir, '.complete');
  mkdirSync(buildsDir, { recursive: true });
  for (const entry of readdirSync(buildsDir)) {
    const pid = Number(/^run-(\d+)/.exec(entry)?.[1]);
    if (pid && pid !== owner && !isAlive(pid))
      rmSync(join(buildsDir, entry), { recursive: true, force: true });
  }
  try {
    mkdirSync(lock);
  } catch {
    // Another test file of this run is building: wait for it.
    for (let waited = 0; !existsSync(done); waited += 250) {
      if (waited > 300_000) throw new Error(`Timed out waiting for the shared build in ${outDir}`);
      if (!existsSync(lock)) throw new Error('The shared build failed in another test file');
      await sleep(250);
    }
    return outDir;
  }
  // Under Vitest NODE_ENV is `test`, and Vite would then build React's development bundle.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: projectRoot,
      configFile: join(projectRoot, 'vite.config.ts'),
      mode: 'gallery',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
    writeFileSync(done, '');
    return outDir;
  } catch (error) {
    rmSync(lock, { recursive: true, force: true });
    throw error;
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

export async function buildAndServe(): Promise<ServedBuild> {
  const outDir = await sharedBuild();
  const server: PreviewServer = await preview({
    root: projectRoot,
    configFile: join(projectRoot, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its URL');
  return { url, outDir, close: () => server.close() };
}
