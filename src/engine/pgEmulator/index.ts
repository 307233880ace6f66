/**
 * The PostgreSQL emulator's public entry: several PostgreSQL sessions on one PGlite, with
 * PostgreSQL's multi-session semantics on a virtual clock, and the types of what it reports.
 * Everything outside `src/engine/pgEmulator` imports from here only.
 */
export { Engine, DEFAULT_START_TIME, type EngineOptions, type OpenSessionOptions } from './engine';
export { loadParser } from './sql/parser';
export type * from './api/events';
export type * from './api/views';
export * from './api/results';
