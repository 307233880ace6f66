/**
 * A PostgreSQL data directory made once at build time, so the browser starts PGlite from it instead
 * of running initdb on every page load (initdb in WebAssembly takes seconds).
 *
 * `import dataDirUrl from 'virtual:pglite-data-dir'` gives the URL of a self-hosted gzipped tarball
 * (PGlite's own `dumpDataDir('gzip')` format), to pass to `PGlite.create({ loadDataDir })`. It is
 * made with the installed PGlite, in Node, and cached under node_modules/.cache by PGlite's version.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';

const virtualId = 'virtual:pglite-data-dir';
const resolvedVirtualId = `\0${virtualId}`;

export function pgliteDataDirSnapshot(): Plugin {
  return {
    name: 'pglite-data-dir-snapshot',
    resolveId(id) {
      return id === virtualId ? resolvedVirtualId : null;
    },
    async load(id) {
      if (id !== resolvedVirtualId) return null;
      const snapshot = await ensureSnapshot();
      return `export { default } from ${JSON.stringify(`${snapshot}?url`)};`;
    },
  };
}

let pending: Promise<string> | null = null;

function ensureSnapshot(): Promise<string> {
  pending ??= makeSnapshot();
  return pending;
}

async function makeSnapshot(): Promise<string> {
  const require = createRequire(import.meta.url);
  const pgliteEntry = require.resolve('@electric-sql/pglite');
  const pgliteDir = resolve(dirname(pgliteEntry), '..');
  const { version } = JSON.parse(readFileSync(join(pgliteDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const cacheDir = resolve(pgliteDir, '..', '..', '.cache');
  // Not named .gz: some static servers would then send it with Content-Encoding: gzip.
  const file = join(cacheDir, `pglite-${version}-data-dir.pgdata`);
  if (existsSync(file)) return file;

  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  mkdirSync(cacheDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
  renameSync(temporary, file);
  return file;
}
