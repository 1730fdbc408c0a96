import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.serverless/**', '.esbuild/**', '.venv/**', 'dist/**', 'coverage/**', '**/*.cjs', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'focused tests are not committed' },
        { object: 'it', property: 'skip', message: 'skipped tests are not committed' },
        { object: 'describe', property: 'only', message: 'focused tests are not committed' },
        { object: 'describe', property: 'skip', message: 'skipped tests are not committed' },
        { object: 'test', property: 'only', message: 'focused tests are not committed' },
        { object: 'test', property: 'skip', message: 'skipped tests are not committed' },
      ],
      'no-restricted-globals': ['error', { name: 'fit', message: 'focused tests are not committed' }, { name: 'xit', message: 'skipped tests are not committed' }, { name: 'xdescribe', message: 'skipped tests are not committed' }, { name: 'fdescribe', message: 'focused tests are not committed' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
