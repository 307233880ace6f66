import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'coverage', '.scratch', '.tmp', 'conformance-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'warn',
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The engine runs in Node and in a Web Worker: no DOM, no React, no wall clock, no global randomness.
    files: ['src/engine/**/*.ts'],
    ignores: [
      'src/engine/**/*.test.ts',
      'src/engine/pgServer/**',
      'src/engine/conformance/**',
      'src/engine/cli/**',
    ],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['react', 'react-dom', 'react/*', 'monaco-editor', '**/ui/**', '**/lessons/**'] },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'localStorage',
        'setTimeout',
        'setInterval',
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Inject a clock into the engine.' },
        { object: 'Math', property: 'random', message: 'Inject randomness into the engine.' },
        { object: 'performance', property: 'now', message: 'Inject a clock into the engine.' },
      ],
    },
  },
  {
    files: ['src/lessons/**/*.ts'],
    ignores: ['src/lessons/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['react', 'react-dom', 'monaco-editor', '**/ui/**'] }],
    },
  },
);
