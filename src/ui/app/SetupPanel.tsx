/** The setup SQL (shared schema and data), folded away until needed. */
import { SqlEditor } from '../editor/SqlEditor';

export interface SetupPanelProps {
  initialText: string;
  replaceText?: { text: string } | null;
  onTextChange: (text: string) => void;
  onRunSetup: (text: string) => void;
  runDisabledReason: string | null;
  theme: 'light' | 'dark';
  fontSize: number;
}

export function SetupPanel(props: SetupPanelProps) {
  return (
    <details className="setup-panel">
      <summary>Setup: the shared schema and data</summary>
      <div className="setup-editor">
        <SqlEditor
          label="Setup SQL"
          initialText={props.initialText}
          replaceText={props.replaceText}
          onChange={props.onTextChange}
          onRunAll={(text) => props.runDisabledReason === null && props.onRunSetup(text)}
          theme={props.theme}
          fontSize={props.fontSize}
          placeholder="CREATE TABLE … ; INSERT INTO … ;"
        />
      </div>
    </details>
  );
}
