import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { libpgQueryWasmAsset } from './scripts/vite/libpgQueryWasmAsset';
import { pgliteDataDirSnapshot } from './scripts/vite/pgliteDataDirSnapshot';

const require = createRequire(import.meta.url);
/** PGlite's dist folder, so the worker can import its .wasm and .data files as asset URLs. */
const pgliteDist = dirname(require.resolve('@electric-sql/pglite'));

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
      // Mode `gallery` (the end-to-end tests) adds the component gallery page to the app.
      input:
        mode === 'gallery'
          ? { main: 'index.html', gallery: 'src/ui/gallery/index.html' }
          : { main: 'index.html' },
    },
  },
}));
