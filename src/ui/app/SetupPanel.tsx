/**
 * The setup SQL (shared schema and data): Reset runs it on a fresh database. In a lesson it is the
 * scenario's setup, read-only.
 */
import { useRef } from 'react';
import { SqlEditor } from '../editor/SqlEditor';

export interface SetupPanelProps {
  initialText: string;
  replaceText?: { text: string } | null;
  onTextChange: (text: string) => void;
  onRunSetup: (text: string) => void;
  runDisabledReason: string | null;
  readOnly?: boolean;
  theme: 'light' | 'dark';
  fontSize: number;
}

export function SetupPanel(props: SetupPanelProps) {
  const text = useRef(props.initialText);
  return (
    <div className="setup-panel">
      <div className="setup-panel-bar">
        <button
          type="button"
          onClick={() => props.onRunSetup(text.current)}
          disabled={props.runDisabledReason !== null}
          title={props.runDisabledReason ?? 'Ctrl+Shift+Enter in the editor'}
        >
          Reset and run the setup
        </button>
        <p>
          {props.readOnly
            ? 'The lesson’s schema and data, created on a fresh database at every reset.'
            : 'The shared schema and data: Reset drops everything and runs this on a fresh database.'}
        </p>
      </div>
      <div className="setup-editor">
        <SqlEditor
          label="Setup SQL"
          initialText={props.initialText}
          replaceText={props.replaceText}
          onChange={(value) => {
            text.current = value;
            props.onTextChange(value);
          }}
          onRunAll={(value) => props.runDisabledReason === null && props.onRunSetup(value)}
          theme={props.theme}
          fontSize={props.fontSize}
          readOnly={props.readOnly}
          placeholder="CREATE TABLE … ; INSERT INTO … ;"
        />
      </div>
    </div>
  );
}
