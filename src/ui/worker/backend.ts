/**
 * What the engine worker serves: the one place that names the backend class — the playground
 * engine (`Engine`: several PostgreSQL sessions on one PGlite), created from the self-hosted PGlite
 * assets. The page gets `Remote<PlaygroundBackend>`, so its types follow the engine's class.
 */
import { type EngineEvent, Engine } from '../../engine/pgEmulator';
import type { PgliteAssets } from './pgliteAssets';

export { loadParser } from '../../engine/pgEmulator';

export type PlaygroundBackend = Engine;

export function createBackend(
  assets: PgliteAssets,
  onEvent: (event: EngineEvent) => void,
): Promise<PlaygroundBackend> {
  return Engine.create({ pglite: assets, onEvent });
}
