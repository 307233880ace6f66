/** Says honestly what is running the SQL: loading, PGlite's version, or why it failed. */
import type { EngineStatus } from './useEngineConnection';

export function EngineStatusChip({ engine }: { engine: EngineStatus }) {
  if (engine.state === 'loading') {
    return (
      <span className="engine-status" data-state="loading" data-testid="engine-status">
        Engine loading…
      </span>
    );
  }
  if (engine.state === 'failed') {
    return (
      <span className="engine-status" data-state="failed" data-testid="engine-status" role="alert">
        The engine could not start: {engine.message}
      </span>
    );
  }
  const shortVersion = /^PostgreSQL [\d.]+/.exec(engine.serverVersion)?.[0] ?? engine.serverVersion;
  return (
    <span
      className="engine-status"
      data-state="ready"
      data-testid="engine-status"
      title={engine.serverVersion}
    >
      {shortVersion} in your browser
    </span>
  );
}
