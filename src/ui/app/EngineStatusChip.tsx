/** Says honestly what is running the SQL: loading, PGlite's PostgreSQL version, a restart, or why it failed. */
import type { ControllerStatus } from '../playground/playgroundController';
import { pgliteServerSettingsText } from '../worker/pgliteServerSettings';

export function EngineStatusChip({
  status,
  serverVersion,
}: {
  status: ControllerStatus;
  serverVersion: string | null;
}) {
  if (status.state === 'failed') {
    return (
      <span className="engine-status" data-state="failed" data-testid="engine-status" role="alert">
        The engine stopped: {status.message}
      </span>
    );
  }
  if (status.state === 'restarting') {
    return (
      <span className="engine-status" data-state="loading" data-testid="engine-status" role="status">
        {status.reason}
      </span>
    );
  }
  if (status.state === 'starting' || serverVersion === null) {
    return (
      <span className="engine-status" data-state="loading" data-testid="engine-status">
        Engine loading…
      </span>
    );
  }
  const shortVersion = /^PostgreSQL [\d.]+/.exec(serverVersion)?.[0] ?? serverVersion;
  return (
    <span
      className="engine-status"
      data-state="ready"
      data-testid="engine-status"
      title={
        `${serverVersion}, in WebAssembly (PGlite), with the playground's multi-session engine. ` +
        `It starts with ${pgliteServerSettingsText} (a default server: 128MB and 16MB), to start faster; SHOW shows them.`
      }
    >
      {shortVersion}
    </span>
  );
}
