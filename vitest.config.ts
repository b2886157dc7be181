import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The files that take the most CPU (tens of seconds each), started first so that neither worker is
 * left running one of them alone at the end; on a fresh clone vitest has no timings to go by.
 */
const LONGEST_FIRST = [
  'test/rules/linearity.test.ts',
  'test/hooks/pre-commit-framework.test.ts',
  'test/sources/history-properties.test.ts',
  'test/hardening/properties.test.ts',
  'test/hardening/views-linear.test.ts',
  'test/hooks/init.test.ts',
  'test/hardening/suppressed-leaks.test.ts',
  'test/hardening/hostile-input.test.ts',
  'test/action/action.test.ts',
  'test/sources/archives-hostile.test.ts',
  'test/self-scan.test.ts',
  'test/rules.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const at = LONGEST_FIRST.findIndex((path) => spec.moduleId.endsWith(path));
      return at === -1 ? LONGEST_FIRST.length : at;
    };
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}

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
    sequence: { sequencer: LongestFirst },
  },
});
