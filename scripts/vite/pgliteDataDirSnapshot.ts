/**
 * A PostgreSQL data directory made once at build time, so the browser starts PGlite from it instead
 * of running initdb on every page load (initdb in WebAssembly takes seconds).
 *
 * `import dataDirUrl from 'virtual:pglite-data-dir'` gives the URL of a self-hosted gzipped tarball
 * (PGlite's own `dumpDataDir('gzip')` format), to pass to `PGlite.create({ loadDataDir })`. It is
 * made with the installed PGlite, in Node, with the server settings of
 * src/ui/worker/pgliteServerSettings.ts, and cached under node_modules/.cache by PGlite's version and
 * those settings.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { pgliteInitdbOptions, pgliteSystemSettings } from '../../src/ui/worker/pgliteServerSettings';

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
  const settings = createHash('sha256')
    .update(JSON.stringify([pgliteInitdbOptions, pgliteSystemSettings]))
    .digest('hex')
    .slice(0, 12);
  const file = join(cacheDir, `pglite-${version}-data-dir-${settings}.pgdata`);
  if (existsSync(file)) return file;

  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ initDbStartParams: [...pgliteInitdbOptions] });
  // Written to postgresql.auto.conf, read when the page starts PostgreSQL; then a checkpoint, so the
  // page's start replays no WAL.
  for (const [name, value] of Object.entries(pgliteSystemSettings)) {
    await db.exec(`ALTER SYSTEM SET ${name} = '${value}'`);
  }
  await db.exec('CHECKPOINT');
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  mkdirSync(cacheDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
  renameSync(temporary, file);
  return file;
}
