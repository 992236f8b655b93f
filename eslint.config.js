// ESLint flat config: TypeScript rules everywhere, mini-program globals for miniprogram/.
const tseslint = require('typescript-eslint');

const miniprogramGlobals = Object.fromEntries(
  ['wx', 'App', 'Page', 'Component', 'Behavior', 'getApp', 'getCurrentPages', 'requirePlugin'].map((g) => [g, 'readonly']),
);

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.data/',
      '.tsbuild/',
      'coverage/',
      'miniprogram/miniprogram_npm/',
      'bench/tmp/',
      'docs/screenshots/',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'SwitchStatement:not(:has(SwitchCase[test=null]))', message: 'A switch needs a default.' },
      ],
    },
  },
  { files: ['miniprogram/**/*.ts'], languageOptions: { globals: miniprogramGlobals } },
);
