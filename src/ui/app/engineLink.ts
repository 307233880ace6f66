/** The worker's connection as the playground controller uses it. */
import type { EngineApi } from '../playground/engineApi';
import type { EngineLink } from '../playground/playgroundController';
import { connectToEngine, type EngineConnection } from '../worker/engineClient';

export function engineLink(connection: EngineConnection): EngineLink {
  return {
    engine: connection.backend satisfies EngineApi,
    runningStatement: connection.runningStatement,
    terminate: connection.terminate,
  };
}

/** A new engine worker (the runaway guard's restart). */
export async function connectEngineLink(): Promise<EngineLink> {
  return engineLink(await connectToEngine());
}
