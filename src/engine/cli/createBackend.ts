/** Picks a scenario backend by name for the command-line tools (Node only). */
import type { BackendName, ScenarioBackend } from '../harness/backend';
import { createEngineBackend } from '../harness/engineBackend';
import { createPostgresBackend } from '../pgServer/postgresBackend';

export const BACKEND_NAMES: readonly BackendName[] = ['engine', 'postgres'];

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

export function createBackend(name: BackendName): Promise<ScenarioBackend> {
  return name === 'engine' ? createEngineBackend() : createPostgresBackend();
}
