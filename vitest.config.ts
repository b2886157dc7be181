import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: the property and fuzz files take 10-30 s of CPU alone, and two files share two cores.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one worker (cores - 1), which ran the suite serially;
    // most test files wait on git and CLI child processes, so two files at a time use both cores.
    maxWorkers: 2,
  },
});
