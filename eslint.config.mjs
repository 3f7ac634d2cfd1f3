import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.stack/**', '**/dist/**', 'jest.config.js', 'eslint.config.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-throw-literal': 'error',
    },
  },
  // Plain CommonJS launchers (bin shims run by node without a build step).
  { files: ['**/bin/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
