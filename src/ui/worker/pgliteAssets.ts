/**
 * What PGlite needs to start in the browser, fetched from this build's own assets (never a CDN),
 * in parallel: its WebAssembly module (compiled while it downloads), its file-system bundle, and a
 * data directory prepared at build time so that no initdb runs in the page. The result is PGlite
 * options: pass them to `PGlite.create`. The data directory holds the server's settings
 * (pgliteServerSettings.ts); PGlite's `postgresqlconf` option is not used, as it would replace the
 * whole postgresql.conf that initdb wrote (time zone, locale, text search configuration…).
 */
import type { PGliteOptions } from '@electric-sql/pglite';
import pgliteWasmUrl from 'pglite-dist/pglite.wasm?url';
import pgliteDataUrl from 'pglite-dist/pglite.data?url';
import dataDirUrl from 'virtual:pglite-data-dir';
import { type StartupPhase, timed } from './startupTimings';

export type PgliteAssets = Required<Pick<PGliteOptions, 'pgliteWasmModule' | 'fsBundle' | 'loadDataDir'>>;

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load ${url}: HTTP ${response.status}`);
  return response;
}

/**
 * PGlite tells a gzipped tarball from a plain one by the Blob's type. A server may have already
 * undone the gzip (Content-Encoding), so look at the bytes rather than trust the file name.
 */
async function asTarball(blob: Blob): Promise<Blob> {
  const magic = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  const gzipped = magic[0] === 0x1f && magic[1] === 0x8b;
  return new Blob([blob], { type: gzipped ? 'application/x-gzip' : 'application/x-tar' });
}

export async function loadPgliteAssets(phases: StartupPhase[]): Promise<PgliteAssets> {
  const [pgliteWasmModule, fsBundle, loadDataDir] = await Promise.all([
    timed(phases, 'fetch+compile pglite.wasm', () => WebAssembly.compileStreaming(fetchOk(pgliteWasmUrl))),
    timed(phases, 'fetch pglite.data', async () => (await fetchOk(pgliteDataUrl)).blob()),
    timed(phases, 'fetch data directory', async () => asTarball(await (await fetchOk(dataDirUrl)).blob())),
  ]);
  return { pgliteWasmModule, fsBundle, loadDataDir };
}
