/**
 * The real PostgreSQL parser and scanner: libpg_query in WebAssembly, through pgsql-parser (and its
 * libpg-query for the scanner, which pgsql-parser does not re-export; both share one module).
 * `loadSqlParser()` must have resolved before the synchronous functions are used.
 */
import { scanSync } from 'libpg-query';
import { loadModule, parseSync } from 'pgsql-parser';

let loading: Promise<void> | null = null;

export function loadSqlParser(): Promise<void> {
  loading ??= loadModule();
  return loading;
}

export { parseSync, scanSync };
