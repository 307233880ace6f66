/**
 * One session: its name, isolation level and state, its SQL editor with Run buttons, and under it
 * every statement it ran with what that produced. Renders what it is given; runs nothing itself.
 */
import { useEffect, useRef } from 'react';
import type { IsolationLevelName, SessionView } from '../../engine/pgEmulator';
import { type RunAtCursorRequest, SqlEditor } from '../editor/SqlEditor';
import type { StatementFinder } from '../sql/statementFinder';
import { SessionStateBadge } from './SessionStateBadge';
import { describeSessionState, isolationLabel, serializableCaveat } from './sessionState';
import type { StatementOutput } from './sessionOutputs';
import { StatementOutputView } from './StatementOutputView';
import './SessionColumn.css';

const isolationLevels: IsolationLevelName[] = ['read committed', 'repeatable read', 'serializable'];

export interface SessionColumnProps {
  name: string;
  /** The engine's view of the session, or null while there is none (engine loading, not opened). */
  view: SessionView | null;
  outputs: readonly StatementOutput[];
  selectedStatement?: string | null;
  initialText: string;
  replaceText?: { text: string } | null;
  onTextChange?: (text: string) => void;
  onRunAtCursor: (request: RunAtCursorRequest) => void;
  onRunAll: (text: string) => void;
  /** Sends a query cancel for the running statement (shown while the session is busy). */
  onCancel?: () => void;
  /** Changes the session's default isolation level (offered while no transaction is open). */
  onIsolationChange?: (level: IsolationLevelName) => void;
  /** Why running is not possible now (shown to the person), or null when it is. */
  runDisabledReason: string | null;
  /** The name of the scenario's next step when it is this session's. */
  nextStep?: string | null;
  /** Present when the session may be removed. */
  onRemove?: () => void;
  theme: 'light' | 'dark';
  fontSize: number;
  /** Finds the statement at the cursor (for highlighting), once PostgreSQL's parser has loaded. */
  findStatement?: StatementFinder | null;
}

export function SessionColumn(props: SessionColumnProps) {
  const { name, view, outputs, runDisabledReason, onRemove, onIsolationChange } = props;
  const editorText = useRef(props.initialText);
  const outputList = useRef<HTMLDivElement>(null);
  const { selectedStatement } = props;
  const lastOutput = outputs.at(-1);

  // Keep the newest statement in view, or the one selected on the timeline.
  useEffect(() => {
    const list = outputList.current;
    if (!list) return;
    const selected = selectedStatement ? list.querySelector(`[data-statement="${selectedStatement}"]`) : null;
    if (selected) selected.scrollIntoView({ block: 'nearest' });
    else list.scrollTop = list.scrollHeight;
  }, [outputs.length, lastOutput?.state, lastOutput?.outcome, selectedStatement]);

  const canChangeIsolation = view !== null && onIsolationChange && view.status === 'idle' && !view.busy;
  const caveat = view ? serializableCaveat(view) : null;
  return (
    <section className="session-column" aria-label={`Session ${name}`} data-session={name}>
      <header className="session-header">
        <div className="session-title">
          <h2>
            Session <span className="session-name">{name}</span>
          </h2>
          {view &&
            (canChangeIsolation ? (
              <label className="session-isolation">
                <span className="visually-hidden">Default isolation level of session {name}</span>
                <select
                  value={view.isolation === 'read uncommitted' ? 'read committed' : view.isolation}
                  onChange={(event) => onIsolationChange(event.target.value as IsolationLevelName)}
                  title="The isolation level of the session's next transactions (SET default_transaction_isolation)"
                >
                  {isolationLevels.map((level) => (
                    <option key={level} value={level}>
                      {level.toUpperCase()}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <span className="session-meta">{isolationLabel(view)}</span>
            ))}
          {view && <span className="session-meta">pid {view.pid}</span>}
          <span className="session-title-end">
            {!(view?.busy && props.onCancel) && (
              <button
                type="button"
                onClick={() => props.onRunAll(editorText.current)}
                disabled={runDisabledReason !== null || view?.busy === true}
                title={
                  runDisabledReason ??
                  (view?.busy
                    ? `Session ${name} is still running a statement`
                    : 'Run the whole editor (Ctrl+Shift+Enter); Ctrl+Enter runs the statement at the cursor')
                }
              >
                Run all
              </button>
            )}
            {view?.busy && props.onCancel && (
              <button
                type="button"
                className="session-cancel"
                onClick={props.onCancel}
                title="pg_cancel_backend"
              >
                Cancel
              </button>
            )}
            {onRemove && (
              <button
                type="button"
                className="session-remove"
                onClick={onRemove}
                aria-label={`Remove session ${name}`}
              >
                ✕
              </button>
            )}
          </span>
        </div>
        {view ? (
          <div className="session-status-row">
            <SessionStateBadge state={describeSessionState(view)} />
            {props.nextStep && (
              <span className="session-next-step" title="The scenario's next step runs on this session">
                next: {props.nextStep}
              </span>
            )}
          </div>
        ) : (
          <p className="session-unavailable">{runDisabledReason ?? 'Not connected'}</p>
        )}
        {caveat && <p className="session-caveat">{caveat}</p>}
      </header>
      <div className="session-editor">
        <SqlEditor
          label={`SQL for session ${name}`}
          initialText={props.initialText}
          replaceText={props.replaceText}
          onChange={(text) => {
            editorText.current = text;
            props.onTextChange?.(text);
          }}
          onRunAtCursor={(request) => runDisabledReason === null && props.onRunAtCursor(request)}
          onRunAll={(text) => runDisabledReason === null && props.onRunAll(text)}
          theme={props.theme}
          fontSize={props.fontSize}
          findStatement={props.findStatement}
          placeholder={`SQL for session ${name}. Ctrl+Enter runs the statement at the cursor`}
        />
      </div>
      <div className="session-outputs" aria-live="polite" ref={outputList}>
        {outputs.map((output) => (
          <StatementOutputView key={output.key} output={output} selected={output.key === selectedStatement} />
        ))}
      </div>
    </section>
  );
}
