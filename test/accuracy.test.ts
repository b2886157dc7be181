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
  missed: string[];
  falsePositives: string[];
}

// The figures the corpus gave when these floors were set, less a small margin: a change that makes
// keyfence miss secrets it found, or report lines it kept quiet, fails here with the lines.
const RECALL_FLOOR = 0.9;
const PRECISION_FLOOR = 0.99;

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
    expect(result.precision, `false positives:\n${result.falsePositives.join('\n')}`).toBeGreaterThanOrEqual(
      PRECISION_FLOOR,
    );
  });
});
