// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Import direction from ../shared/DESIGN.md: lower layers never reach up. */
const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const noIo = [
  {
    group: ['node:fs', 'node:fs/*', 'fs', 'node:child_process', 'child_process'],
    message: 'stays pure: no I/O',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'bench/.work/**',
      'action/**',
      'bench/accuracy/corpus/**',
      'fixtures/realistic-leaks/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['eslint.config.js', 'bench/*.mjs', 'bench/accuracy/*.mjs', 'scripts/*.mjs'],
          // bench/ and scripts/ hold more than the default of 8 plain .mjs files.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
        },
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  layer(
    ['src/engine/**'],
    [
      ...noIo,
      {
        group: ['**/cli/**', '**/reporters/**', '**/config/**', '**/verify/**'],
        message: 'engine depends on rules, sources (types) and errors only',
      },
    ],
  ),
  layer(
    ['src/reporters/**'],
    [
      ...noIo,
      {
        group: ['../cli/*', '../sources/*', '../config/*', '../verify/*', '../rules/*', '!../rules/types.js'],
        message: 'reporters see types only (rules/types.js holds plain constants)',
      },
    ],
  ),
  layer(
    ['src/rules/**', 'src/sources/**', 'src/config/**', 'src/hooks/**'],
    [{ group: ['**/cli/**'], message: 'only bin.ts imports the CLI' }],
  ),
  layer(
    ['src/verify/**'],
    [
      ...noIo,
      {
        group: ['**/cli/**', '**/reporters/**', '**/config/**', '**/sources/**', '**/rules/**'],
        message: 'verify sees findings (engine types) and talks HTTPS to fixed hosts, nothing else',
      },
    ],
  ),
  layer(['src/errors.ts'], [{ group: ['./*', '../*'], message: 'errors depends on nothing' }]),
  {
    files: ['bench/**', 'scripts/**', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
