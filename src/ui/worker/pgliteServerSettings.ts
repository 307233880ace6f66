/**
 * How the in-browser PostgreSQL's data directory differs from a default one. It is made once at
 * build time (scripts/vite/pgliteDataDirSnapshot.ts) with these initdb options and `ALTER SYSTEM`
 * settings, so the page starts PostgreSQL from it as it is: nothing is rewritten at start.
 *
 * Both make the page start faster and change nothing a lesson shows (the playground's tables hold a
 * handful of rows); the server says so itself, `SHOW shared_buffers` answers 16MB:
 * - shared_buffers is 16MB instead of initdb's 128MB: PostgreSQL zeroes its shared buffers at start,
 *   and in WebAssembly 128MB of them cost about half of PGlite's start (measured with
 *   `npm run bench:web`).
 * - WAL segments are 1MB instead of 16MB (`initdb --wal-segsize=1`; initdb then also sets
 *   max_wal_size = 64MB and min_wal_size = 5MB): the data directory the page unpacks is then 31MB
 *   instead of 40MB, most of the difference being the zeroes of an empty WAL segment.
 */
export const pgliteInitdbOptions: readonly string[] = ['--wal-segsize=1'];

export const pgliteSystemSettings: Readonly<Record<string, string>> = { shared_buffers: '16MB' };

/** For people: what the server starts with that a default server does not. */
export const pgliteServerSettingsText = 'shared_buffers = 16MB and 1MB WAL segments';
