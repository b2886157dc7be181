import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { git, makeGitRepo, makeTree } from '../helpers/tree.js';

interface JsonReport {
  summary: {
    files: number;
    commits: number;
    incomplete?: string;
    skipped: { path: string; reason: string }[];
  };
}

/** 3,000 small files: a scan of a few hundred milliseconds that a short deadline cuts. */
function manyFiles(root: string): void {
  const text = 'const value = "lorem ipsum dolor sit amet"; // token secret key password\n'.repeat(200);
  for (let dir = 0; dir < 30; dir++) {
    mkdirSync(join(root, `d${dir}`), { recursive: true });
    for (let file = 0; file < 100; file++) writeFileSync(join(root, `d${dir}`, `f${file}.js`), text);
  }
}

function expectStopped(
  result: { exitCode: number; stdout: string; stderr: string },
  label: string,
): JsonReport {
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stderr).toMatch(
    new RegExp(
      `^keyfence: scan incomplete: ${label} reached: the scan stopped (at \\S+|before its first file); what came after it was not scanned\\n$`,
    ),
  );
  const report = JSON.parse(result.stdout) as JsonReport;
  expect(report.summary.incomplete).toMatch(new RegExp(`^${label} reached`));
  return report;
}

describe('--timeout: a scan past its deadline stops, lists what it did not finish, and exits 2', () => {
  it.each([
    ['one thread', ['--workers', '0']],
    ['worker threads', ['--workers', '2']],
  ])('a directory scan (%s)', (_label, workers) => {
    const cwd = makeTree();
    manyFiles(cwd);
    const started = performance.now();
    const result = runBin(['scan', '.', '--no-ignore', '-f', 'json', '--timeout', '150ms', ...workers], {
      cwd,
    });
    const elapsed = performance.now() - started;
    const report = expectStopped(result, '--timeout 150ms');
    console.log(
      `directory, ${_label}: stopped after ${report.summary.files} of 3000 files, process ${elapsed.toFixed(0)} ms`,
    );
    expect(report.summary.files).toBeLessThan(3000);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('a history scan', () => {
    const cwd = makeGitRepo();
    // 400 commits in one fast-import stream.
    const lines: string[] = [];
    for (let index = 0; index < 400; index++) {
      const content = `const value${index} = "lorem ipsum dolor sit amet"; // token secret\n`.repeat(200);
      lines.push(
        'commit refs/heads/main',
        `committer Test <test@example.invalid> ${1_700_000_000 + index} +0000`,
        'data 2',
        'c',
        `M 644 inline f${index % 20}.js`,
        `data ${Buffer.byteLength(content)}`,
        content,
      );
    }
    spawnSync('git', ['fast-import', '--quiet'], { cwd, input: lines.join('\n') });
    git(cwd, 'reset', '-q', '--hard', 'main');
    const result = runBin(['scan', '--history', '-f', 'json', '--timeout', '100ms'], { cwd });
    const report = expectStopped(result, '--timeout 100ms');
    console.log(`history: stopped after ${report.summary.commits} of 400 commits`);
    expect(report.summary.commits).toBeLessThan(400);
  });

  it('standard input that never ends', async () => {
    const started = performance.now();
    // Standard input stays open: nothing is written to it and it is never closed.
    const child = spawn(process.execPath, [BIN, 'scan', '-', '-f', 'json', '--timeout', '300ms'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const elapsed = performance.now() - started;
    console.log(`stdin: process ${elapsed.toFixed(0)} ms`);
    expectStopped({ exitCode: exitCode ?? -1, stdout, stderr }, '--timeout 300ms');
    expect(elapsed).toBeLessThan(5_000);
  });

  it('refuses a bad duration in one line', () => {
    const result = runBin(['scan', '.', '--timeout', 'soon'], { cwd: makeTree() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('keyfence: --timeout: "soon" is not a duration (use e.g. 90s, 30m, 2h)\n');
  });

  it('writes no baseline from a scan that stopped early', () => {
    const cwd = makeTree();
    manyFiles(cwd);
    const result = runBin(
      ['baseline', '-o', 'baseline.json', '--no-ignore', '--timeout', '100ms', '--workers', '0'],
      { cwd },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /^keyfence: baseline: scan incomplete \(--timeout 100ms reached: .*\); no baseline written\n$/,
    );
  });
});
