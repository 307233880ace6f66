/**
 * How long a step may run before the tester cancels it: `--step-timeout SECONDS`, else the
 * PGISOLATIONTIMEOUT environment variable (seconds, as PostgreSQL's tester reads it), else 300 s.
 */
import { DEFAULT_MAX_STEP_WAIT_MS } from '../harness';

export function stepTimeoutMs(option: string | undefined, environment: NodeJS.ProcessEnv): number {
  const text = option ?? environment.PGISOLATIONTIMEOUT;
  if (text === undefined || text === '') return DEFAULT_MAX_STEP_WAIT_MS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`the step timeout must be a positive number of seconds, not "${text}"`);
  }
  return seconds * 1000;
}
