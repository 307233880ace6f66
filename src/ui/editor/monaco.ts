/**
 * Monaco, trimmed to what a SQL editor needs, bundled and self-hosted: the core editor, a handful
 * of editing features, PostgreSQL highlighting (Monaco's `pgsql` Monarch grammar with all of
 * PostgreSQL's keywords, registered eagerly so that no chunk is fetched later), and its editor
 * worker through a Vite worker import.
 * No other language, no TypeScript/CSS/HTML/JSON services.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard';
import 'monaco-editor/editor/contrib/comment/browser/comment';
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu';
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations';
import 'monaco-editor/editor/contrib/multicursor/browser/multicursor';
import 'monaco-editor/editor/contrib/placeholderText/browser/placeholderText.contribution';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations';
import 'monaco-editor/features/find/register';
import 'monaco-editor/editor/common/standaloneStrings';
import 'monaco-editor/features/codicon/register';
import {
  conf as pgsqlConfiguration,
  language as pgsqlLanguage,
} from 'monaco-editor/languages/definitions/pgsql/pgsql';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { postgresKeywords } from './postgresKeywords';

export const sqlLanguageId = 'pgsql';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker({ name: 'monaco-editor' }),
};

monaco.languages.register({ id: sqlLanguageId, aliases: ['PostgreSQL'] });
monaco.languages.setLanguageConfiguration(sqlLanguageId, pgsqlConfiguration);
monaco.languages.setMonarchTokensProvider(sqlLanguageId, { ...pgsqlLanguage, keywords: postgresKeywords });

/** High-contrast-leaning themes for projection: calm colours, strong text. */
monaco.editor.defineTheme('playground-light', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'keyword', foreground: '1d4ed8', fontStyle: 'bold' },
    { token: 'operator', foreground: '334155' },
    { token: 'string', foreground: '9a3412' },
    { token: 'number', foreground: '047857' },
    { token: 'comment', foreground: '64748b', fontStyle: 'italic' },
    { token: 'predefined', foreground: '7c3aed' },
  ],
  colors: {
    'editor.background': '#ffffff',
    'editor.foreground': '#0f172a',
    'editorLineNumber.foreground': '#94a3b8',
    'editor.lineHighlightBackground': '#f1f5f9',
    'editor.selectionBackground': '#bfdbfe',
  },
});
monaco.editor.defineTheme('playground-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'keyword', foreground: '93c5fd', fontStyle: 'bold' },
    { token: 'string', foreground: 'fdba74' },
    { token: 'number', foreground: '6ee7b7' },
    { token: 'comment', foreground: '94a3b8', fontStyle: 'italic' },
    { token: 'predefined', foreground: 'c4b5fd' },
  ],
  colors: {
    'editor.background': '#0b1220',
    'editor.foreground': '#e2e8f0',
    'editor.lineHighlightBackground': '#1e293b',
  },
});

export { monaco };
