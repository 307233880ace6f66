/**
 * One session: its name, isolation level and state, its SQL editor with Run buttons, and under it
 * every statement it ran with what that produced. Renders what it is given; runs nothing itself.
 */
import { useEffect, useRef } from 'react';
import type { SessionView } from '../../engine/api/views';
import { type RunAtCursorRequest, SqlEditor } from '../editor/SqlEditor';
import type { StatementFinder } from '../sql/statementFinder';
import { SessionStateBadge } from './SessionStateBadge';
import { describeSessionState, isolationLabel } from './sessionState';
import type { StatementOutput } from './sessionOutputs';
import { StatementOutputView } from './StatementOutputView';
import './SessionColumn.css';

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
  /** Why running is not possible now (shown to the person), or null when it is. */
  runDisabledReason: string | null;
  /** Present when the session may be removed. */
  onRemove?: () => void;
  theme: 'light' | 'dark';
  fontSize: number;
  /** Finds the statement at the cursor (for highlighting), once PostgreSQL's parser has loaded. */
  findStatement?: StatementFinder | null;
}

export function SessionColumn(props: SessionColumnProps) {
  const { name, view, outputs, runDisabledReason, onRemove } = props;
  const editorText = useRef(props.initialText);
  const outputList = useRef<HTMLDivElement>(null);
  const { selectedStatement } = props;

  // Keep the newest statement in view, or the one selected on the timeline.
  useEffect(() => {
    const list = outputList.current;
    if (!list) return;
    const selected = selectedStatement ? list.querySelector(`[data-statement="${selectedStatement}"]`) : null;
    if (selected) selected.scrollIntoView({ block: 'nearest' });
    else list.scrollTop = list.scrollHeight;
  }, [outputs.length, selectedStatement]);
  return (
    <section className="session-column" aria-label={`Session ${name}`} data-session={name}>
      <header className="session-header">
        <div className="session-title">
          <h2>
            Session <span className="session-name">{name}</span>
          </h2>
          {view && (
            <span className="session-meta">
              {isolationLabel(view)} · pid {view.pid}
            </span>
          )}
          {onRemove && (
            <button
              type="button"
              className="session-remove"
              onClick={onRemove}
              aria-label={`Remove session ${name}`}
            >
              Remove
            </button>
          )}
        </div>
        {view ? (
          <SessionStateBadge state={describeSessionState(view)} />
        ) : (
          <p className="session-unavailable">{runDisabledReason ?? 'Not connected'}</p>
        )}
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
          placeholder={`SQL for session ${name}. Ctrl+Enter runs the statement at the cursor.`}
        />
      </div>
      <div className="session-actions">
        <span className="session-hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs the statement at the cursor
        </span>
        <button
          type="button"
          onClick={() => props.onRunAll(editorText.current)}
          disabled={runDisabledReason !== null}
          title={runDisabledReason ?? 'Ctrl+Shift+Enter'}
        >
          Run all
        </button>
      </div>
      <div className="session-outputs" aria-live="polite" ref={outputList}>
        {outputs.map((output) => (
          <StatementOutputView key={output.key} output={output} selected={output.key === selectedStatement} />
        ))}
      </div>
    </section>
  );
}
