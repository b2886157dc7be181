import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one worker (cores - 1), which ran the suite serially;
    // most test files wait on git and CLI child processes, so two files at a time use both cores.
    maxWorkers: 2,
  },
});
