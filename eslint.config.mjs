import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Only src/engine may import dockerode.
      'no-restricted-imports': ['error', { paths: [{ name: 'dockerode', message: 'Only src/engine/ imports dockerode.' }] }],
    },
  },
  // The folders' dependency order (docs/architecture.md): contract ← model ← session, engine → contract.
  {
    files: ['src/contract/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode', 'dockerode'], patterns: [{ group: ['../*', '../**'], message: 'The contract imports only its own types.' }] }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Types only: importing the contract must cost nothing at run time.
      'no-restricted-syntax': [
        'error',
        ...['FunctionDeclaration', 'ClassDeclaration', 'VariableDeclaration', 'TSEnumDeclaration'].map((node) => ({ selector: `Program > ${node}, ExportNamedDeclaration > ${node}`, message: 'src/contract/ holds types only.' })),
      ],
    },
  },
  {
    files: ['src/model/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The model is vscode-free.' },
            { name: 'dockerode', message: 'Only src/engine/ imports dockerode.' },
          ],
          patterns: [
            { group: ['**/engine', '**/engine/**'], message: 'The model imports the engine contract (src/contract/), never engine code.' },
            { group: ['**/session', '**/session/**', '**/tree/**', '**/ui/**', '**/commands/**', '**/terminals/**'], message: 'The model is below those folders.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/session/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The session is vscode-free.' },
            { name: 'dockerode', message: 'Only src/engine/ imports dockerode.' },
          ],
          patterns: [
            { group: ['**/engine', '**/engine/**'], message: 'The session gets engine code only through the injected client factory (SessionDeps.createClient).' },
            { group: ['**/tree/**', '**/ui/**', '**/commands/**', '**/terminals/**'], message: 'The session is below those folders.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The engine is vscode-free.' }],
          patterns: [
            // The go-units buckets are the one piece of the model the engine reads its own text with.
            { group: ['**/model/**', '!**/model/durations'], message: 'The engine implements src/contract/; it does not use the model.' },
            { group: ['**/session/**', '**/tree/**', '**/ui/**', '**/commands/**', '**/terminals/**'], message: 'The engine is below those folders.' },
          ],
        },
      ],
    },
  },
  {
    files: ['esbuild.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
