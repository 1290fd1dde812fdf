import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', '.aws-sam/', '.local/', '.emulator/', '**/.emulator/', '.ci/out/', 'emulator/dist/', 'openapi/dist/', 'emulator/.dist-*/', 'openapi/types.gen.ts', '**/*.gen.ts', 'tests/**/fixtures/**/dist/', 'infra/build/', 'infra/cdk/cdk.out/',
      // Deliberately broken source: the e2e test checks that the emulator refuses to build it.
      'tests/e2e/fixtures/build-error/',] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Prebuilt CommonJS handlers, as CDK assets and plain SAM functions ship them.
    files: ['tests/**/fixtures/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Lambda's Node.js runtime gives handlers the `awslambda` global (response streaming).
    files: ['tests/**/fixtures/**/*.mjs', 'tests/**/fixtures/**/*.js'],
    languageOptions: { globals: { awslambda: 'readonly' } },
  },
  {
    files: ['emulator/**/*.ts'],
    rules: {
      // The emulator loads handlers only through template.yaml, never by import.
      'no-restricted-imports': ['error', { patterns: ['**/functions/**', '../functions/*'] }],
    },
  },
);
