/**
 * Builds the app for production into a temporary folder and serves it on a free loopback port with
 * `vite preview`, the same server `npm start` uses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

const projectRoot = resolve(import.meta.dirname, '..', '..', '..');

export interface ServedBuild {
  /** The app's URL, ending in `/`. */
  url: string;
  outDir: string;
  close(): Promise<void>;
}

export async function buildAndServe(): Promise<ServedBuild> {
  const outDir = mkdtempSync(join(tmpdir(), 'playground-e2e-'));
  const configFile = join(projectRoot, 'vite.config.ts');
  await build({ root: projectRoot, configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  let server: PreviewServer;
  try {
    server = await preview({
      root: projectRoot,
      configFile,
      logLevel: 'error',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
    });
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its URL');
  return {
    url,
    outDir,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
