/** Picks a scenario backend by name for the command-line tools (Node only). */
import { type BackendName, type ScenarioBackend, createEngineBackend } from '../harness';
import { createPostgresBackend } from '../pgServer';

export const BACKEND_NAMES: readonly BackendName[] = ['engine', 'postgres'];

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

export function createBackend(name: BackendName): Promise<ScenarioBackend> {
  return name === 'engine' ? createEngineBackend() : createPostgresBackend();
}
