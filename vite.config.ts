import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { libpgQueryWasmAsset } from './scripts/vite/libpgQueryWasmAsset';
import { pgliteDataDirSnapshot } from './scripts/vite/pgliteDataDirSnapshot';

const require = createRequire(import.meta.url);
/** PGlite's dist folder, so the worker can import its .wasm and .data files as asset URLs. */
const pgliteDist = dirname(require.resolve('@electric-sql/pglite'));

/** The app's page; in mode `gallery` (the end-to-end tests) also the component gallery. */
function pages(mode: string): Record<string, string> {
  const app = { main: 'index.html' };
  return mode === 'gallery' ? { ...app, gallery: 'src/ui/gallery/index.html' } : app;
}

export default defineConfig(({ mode }) => ({
  // Relative asset URLs: the build works from any path, e.g. inside a documentation site's iframe.
  base: './',
  plugins: [react(), libpgQueryWasmAsset()],
  resolve: {
    alias: { 'pglite-dist': pgliteDist },
  },
  // PGlite finds its own files relative to its module; pre-bundling would move it away from them.
  optimizeDeps: { exclude: ['@electric-sql/pglite'] },
  worker: { format: 'es', plugins: () => [libpgQueryWasmAsset(), pgliteDataDirSnapshot()] },
  build: {
    target: 'es2022',
    // Monaco and PGlite are large by nature.
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      input: pages(mode),
    },
  },
}));
