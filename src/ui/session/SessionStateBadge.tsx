/** The session's state as a coloured label, with what it waits for when it waits. */
import type { SessionStateDescription } from './sessionState';
import './SessionStateBadge.css';

export function SessionStateBadge({ state }: { state: SessionStateDescription }) {
  return (
    <div className="session-state" data-tone={state.tone} data-testid="session-state">
      <span className="session-state-label">{state.label}</span>
      {state.detail && <span className="session-state-detail">{state.detail}</span>}
    </div>
  );
}
