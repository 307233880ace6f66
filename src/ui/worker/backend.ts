/**
 * What the engine worker serves: the one place that names the backend class.
 *
 * Today it is PGlite alone (`PgliteService`). To serve the multi-session engine, make
 * `PlaygroundBackend` the engine's facade class and create it here from the same assets, e.g.
 *
 *     export type PlaygroundBackend = Engine;
 *     export const createBackend = (assets: PgliteAssets) => Engine.create({ pglite: assets });
 *
 * The page gets `Remote<PlaygroundBackend>`, so its types follow. The page calls
 * `serverVersion()` on the backend; everything else it calls is the engine's API.
 */
import type { PgliteAssets } from './pgliteAssets';
import { PgliteService } from './pgliteService';

export type PlaygroundBackend = PgliteService;

export function createBackend(assets: PgliteAssets): Promise<PlaygroundBackend> {
  return PgliteService.create(assets);
}
