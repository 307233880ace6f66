/**
 * Makes libpg-query (the PostgreSQL parser behind pgsql-parser) find its WebAssembly file in a
 * bundle. Its Emscripten loader looks for `libpg-query.wasm` next to the page (main thread) or next
 * to the worker script, and nothing references the file, so no bundler would emit it. This rewrites
 * the one lookup into `new URL('./libpg-query.wasm', import.meta.url)`, which Vite turns into a
 * self-hosted, hashed asset.
 */
import type { Plugin } from 'vite';

const loaderFile = /[\\/]libpg-query[\\/]wasm[\\/]libpg-query\.js$/;
const wasmLookup = 'locateFile("libpg-query.wasm")';

export function libpgQueryWasmAsset(): Plugin {
  return {
    name: 'libpg-query-wasm-asset',
    enforce: 'pre',
    transform(code, id) {
      if (!loaderFile.test(id.split('?')[0] ?? id)) return null;
      if (!code.includes(wasmLookup)) {
        this.error(`libpg-query's loader changed: "${wasmLookup}" not found; update ${import.meta.url}`);
      }
      return {
        code: code.replace(wasmLookup, 'new URL("./libpg-query.wasm", import.meta.url).href'),
        map: null,
      };
    },
  };
}
