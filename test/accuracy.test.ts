import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const RUN = fileURLToPath(new URL('../bench/accuracy/run.mjs', import.meta.url));

/** What `run.mjs --json` prints. */
interface Accuracy {
  cases: number;
  secrets: number;
  negatives: number;
  recall: number;
  precision: number;
  sections: Record<string, { tp: number; fp: number; fn: number }>;
  missed: string[];
  falsePositives: string[];
}

// The figures the corpus gave when these floors were set, less a small margin: a change that makes
// keyfence miss secrets it found, or report lines it kept quiet, fails here with the lines.
const RECALL_FLOOR = 0.99;
const PRECISION_FLOOR = 0.99;
/** Recall floors of issue 16's sections (run.mjs groups rule families into them). */
const SECTION_RECALL_FLOORS = { 'provider tokens': 0.99, 'generic constructs': 0.97, 'key blocks': 0.98 };

describe('the accuracy corpus (bench/accuracy), scanned once', () => {
  it('keeps recall and precision above their floors, with at least 1,000 cases and 30% negatives', () => {
    const run = spawnSync(process.execPath, [RUN, '--json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Accuracy;
    expect(result.cases).toBeGreaterThanOrEqual(1000);
    expect(result.negatives / result.cases).toBeGreaterThanOrEqual(0.3);
    expect(result.recall, `missed:\n${result.missed.join('\n')}`).toBeGreaterThanOrEqual(RECALL_FLOOR);
    for (const [section, floor] of Object.entries(SECTION_RECALL_FLOORS)) {
      const { tp = 0, fn = 0 } = result.sections[section] ?? {};
      expect(tp / (tp + fn), `${section}: missed:\n${result.missed.join('\n')}`).toBeGreaterThanOrEqual(
        floor,
      );
    }
    expect(result.precision, `false positives:\n${result.falsePositives.join('\n')}`).toBeGreaterThanOrEqual(
      PRECISION_FLOOR,
    );
  });
});
