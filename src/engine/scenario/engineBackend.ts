/**
 * The scenario backend that runs specs on the playground engine. Implemented with the engine
 * (issue: engine); until then it refuses clearly.
 */
import type { ScenarioBackend } from './backend';

export function createEngineBackend(): Promise<ScenarioBackend> {
  return Promise.reject(new Error('The engine backend is not implemented yet.'));
}
