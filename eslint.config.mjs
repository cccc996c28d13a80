// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnlyInShell = {
  name: 'electron',
  message: 'Only the thin shell (main/shell/**, preload/index.ts) imports electron; pass what you need in as an argument.',
  allowTypeImports: true,
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', 'coverage/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{mjs,cjs,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.{ts,tsx,mts}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [electronOnlyInShell] }],
    },
  },
  {
    // The thin shell: the only code that may load Electron at run time.
    files: ['main/shell/**/*.ts', 'preload/index.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    // ipcRenderer stays inside the preload bridge; main never touches it.
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='ipcRenderer']", message: 'ipcRenderer belongs to preload/index.ts only.' },
      ],
    },
  },
  {
    // Engines, sessions, jobs and the import sit below IPC: what they share with it (AppError,
    // the identifier rules) lives in main/errors and preload/api/rules, which import nothing above.
    files: ['main/{engines,session,jobs,import,enrollment,connections,secrets,config,updates,diagnostics,logging,local-server}/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [
            { group: ['**/ipc/*', '**/ipc'], message: 'main/ipc sits above this code; shared errors live in main/errors.' },
            { group: ['**/preload/api/schemas/enrollment'], allowTypeImports: true, message: 'Identifier rules live in preload/api/rules; only view types come from the schemas.' },
          ],
        },
      ],
    },
  },
  {
    // The renderer is a web page: no Node, no Electron, no main-process code.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches main only through the API from preload/api.' }],
          patterns: [
            { group: ['node:*'], message: 'The renderer has no Node.' },
            { group: ['**/main/**', '../../main/*'], message: 'The renderer reaches main only through the API.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/src/components/ErrorBoundary.tsx', 'main/local-server/cli.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['tests/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off', 'no-console': 'off' },
  },
);
