import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/index.js';
import { zipOf } from '../helpers/archives.js';
import { runBinWithPeakRss } from '../helpers/cli.js';
import { ALPHA, randomString } from '../helpers/tokens.js';
import { makeTree } from '../helpers/tree.js';

const INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

// Issue 17, target 5: the keyfence process stays under 256 MB of peak RSS for any tree.
const LIMIT_MB = 256;

/** About `bytes` of source text with a password assignment every 4,096 lines. */
function sourceText(bytes: number, seed: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let index = 0; size < bytes; index++) {
    const line =
      index % 4096 === 0
        ? `db_password = "${randomString(ALPHA.alnum, 24, seed * 100_000 + index)}"`
        : `const value${index} = compute(alpha, beta, gamma); // ordinary source text`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/** Scans `dir` with the CLI, giving the report and the process's peak RSS in MB. */
function scanWithRss(dir: string, ...args: string[]): { report: Report; rssMb: number } {
  const run = runBinWithPeakRss(['scan', '.', '-f', 'json', ...args], { cwd: dir });
  expect(run.exitCode, run.stderr).toBe(1);
  return { report: JSON.parse(run.stdout) as Report, rssMb: run.rssMb };
}

describe('peak memory of large inputs', () => {
  it('findings do not keep the text they were found in alive', () => {
    // Through the engine API, in a process of its own with V8's gc(): twenty 4 MB chunks scanned,
    // their results kept, the chunks dropped. A finding's secret and line cut from the chunk as V8
    // slices (views of the whole text) kept all 80 MB alive.
    const dir = makeTree({
      'text.txt': sourceText(4 * 1024 * 1024, 1),
      'kept.mjs': `
import { readFileSync } from 'node:fs';
import { compileRuleSet, loadBuiltinRules, scanChunk } from ${JSON.stringify(pathToFileURL(INDEX).href)};
const ruleSet = compileRuleSet(await loadBuiltinRules());
const results = [];
globalThis.gc();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < 20; i++) {
  const content = readFileSync('text.txt', 'utf8');
  results.push(scanChunk({ path: 'src/generated' + i + '.py', content, startLine: 1, origin: 'file' }, ruleSet));
}
globalThis.gc();
const grown = (process.memoryUsage().heapUsed - before) / 1048576;
console.log(JSON.stringify({ findings: results.reduce((sum, result) => sum + result.findings.length, 0), grown }));
`,
    });
    const run = spawnSync(process.execPath, ['--expose-gc', 'kept.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const { findings, grown } = JSON.parse(run.stdout) as { findings: number; grown: number };
    console.log(`heap kept by 20 results of 4 MB chunks (${findings} findings): ${grown.toFixed(1)} MB`);
    expect(findings).toBeGreaterThanOrEqual(20);
    expect(grown).toBeLessThan(20);
  });

  it('an archive of large text entries is read entry by entry, and what is read is freed as it goes', () => {
    const entries = Array.from({ length: 6 }, (_, index) => ({
      name: `src/module${index}.py`,
      // One Buffer for all the archives: zipOf deflates it once.
      data: Buffer.from(sourceText(4 * 1024 * 1024, 100 + index)),
    }));
    const tree: Record<string, Buffer> = {};
    for (let archive = 0; archive < 6; archive++) tree[`dist/bundle${archive}.zip`] = zipOf(entries);
    const dir = makeTree(tree);
    const { report, rssMb } = scanWithRss(dir);
    console.log(`peak RSS, six zips of 24 MB text each: ${rssMb.toFixed(0)} MB`);
    expect(report.summary.files).toBe(6);
    expect(new Set(report.findings.map((finding) => finding.path)).size).toBe(36);
    expect(rssMb).toBeLessThan(LIMIT_MB);
  });
});
