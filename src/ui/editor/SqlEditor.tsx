/**
 * A Monaco SQL editor with PostgreSQL highlighting. Ctrl/Cmd+Enter asks to run the statement at
 * the cursor, Ctrl/Cmd+Shift+Enter to run everything; the parent decides what that means.
 * Uncontrolled: `initialText` seeds it, `onChange` reports edits, `replaceText` (a changing
 * object) replaces the content, e.g. on reset or when a lesson loads.
 */
import { useEffect, useRef } from 'react';
import type { StatementFinder } from '../sql/statementFinder';
import { monaco, sqlLanguageId } from './monaco';
import './SqlEditor.css';

export interface RunAtCursorRequest {
  text: string;
  /** UTF-16 offset of the cursor in `text`. */
  offset: number;
}

export interface SqlEditorProps {
  initialText: string;
  replaceText?: { text: string } | null;
  onChange?: (text: string) => void;
  onRunAtCursor?: (request: RunAtCursorRequest) => void;
  onRunAll?: (text: string) => void;
  /** Accessible name, e.g. `SQL for session A`. */
  label: string;
  theme: 'light' | 'dark';
  fontSize?: number;
  readOnly?: boolean;
  placeholder?: string;
  /** Finds the statement at the cursor, to highlight what Ctrl/Cmd+Enter would run. */
  findStatement?: StatementFinder | null;
}

export function SqlEditor({
  initialText,
  replaceText,
  onChange,
  onRunAtCursor,
  onRunAll,
  label,
  theme,
  fontSize = 18,
  readOnly = false,
  placeholder,
  findStatement = null,
}: SqlEditorProps) {
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  // Callbacks change on every render; the editor's commands read the latest ones through refs.
  const callbacks = useRef({ onChange, onRunAtCursor, onRunAll });
  useEffect(() => {
    callbacks.current = { onChange, onRunAtCursor, onRunAll };
  });
  const highlightRef = useRef<(() => void) | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const editor = monaco.editor.create(container.current, {
      value: initialText,
      language: sqlLanguageId,
      theme: theme === 'dark' ? 'playground-dark' : 'playground-light',
      ariaLabel: label,
      fontFamily: "'JetBrains Mono Variable', ui-monospace, 'DejaVu Sans Mono', monospace",
      fontSize,
      lineHeight: Math.round(fontSize * 1.45),
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      lineNumbersMinChars: 2,
      folding: false,
      renderLineHighlight: 'line',
      wordWrap: 'on',
      tabSize: 2,
      padding: { top: 8, bottom: 8 },
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      scrollbar: { alwaysConsumeMouseWheel: false },
      fixedOverflowWidgets: true,
      readOnly,
      placeholder,
    });
    editorRef.current = editor;
    const changes = editor.onDidChangeModelContent(() => callbacks.current.onChange?.(editor.getValue()));
    const cursorMoves = editor.onDidChangeCursorPosition(() => highlightRef.current?.());
    const runAtCursor = editor.addAction({
      id: 'playground.runStatementAtCursor',
      label: 'Run the statement at the cursor',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      contextMenuGroupId: 'navigation',
      run: (instance) => {
        const model = instance.getModel();
        const position = instance.getPosition();
        if (!model || !position) return;
        callbacks.current.onRunAtCursor?.({ text: model.getValue(), offset: model.getOffsetAt(position) });
      },
    });
    const runAll = editor.addAction({
      id: 'playground.runAll',
      label: 'Run all statements',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      contextMenuGroupId: 'navigation',
      run: (instance) => callbacks.current.onRunAll?.(instance.getValue()),
    });
    // The web font may arrive after the editor measured its characters.
    void document.fonts?.ready.then(() => monaco.editor.remeasureFonts());
    return () => {
      cursorMoves.dispose();
      changes.dispose();
      runAtCursor.dispose();
      runAll.dispose();
      editor.dispose();
      editorRef.current = null;
    };
    // Created once; later changes of these props are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Highlight the statement at the cursor, once the parser is there.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !findStatement) return;
    const decorations = editor.createDecorationsCollection();
    const highlight = () => {
      const model = editor.getModel();
      const position = editor.getPosition();
      const statement =
        model && position ? findStatement(model.getValue(), model.getOffsetAt(position)) : null;
      if (!model || !statement) {
        decorations.clear();
        return;
      }
      const start = model.getPositionAt(statement.start);
      const end = model.getPositionAt(statement.terminatorEnd);
      decorations.set([
        {
          range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column),
          options: { inlineClassName: 'current-statement', stickiness: 1 },
        },
      ]);
    };
    highlightRef.current = highlight;
    const edits = editor.onDidChangeModelContent(highlight);
    highlight();
    return () => {
      highlightRef.current = null;
      edits.dispose();
      decorations.clear();
    };
  }, [findStatement]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'playground-dark' : 'playground-light');
  }, [theme]);

  useEffect(() => {
    editorRef.current?.updateOptions({ fontSize, lineHeight: Math.round(fontSize * 1.45), readOnly });
  }, [fontSize, readOnly]);

  useEffect(() => {
    const editor = editorRef.current;
    if (editor && replaceText && editor.getValue() !== replaceText.text) editor.setValue(replaceText.text);
  }, [replaceText]);

  return <div className="sql-editor" ref={container} data-testid="sql-editor" />;
}
