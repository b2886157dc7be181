import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

/** What the acceptance asks: the process is gone within this long of the signal. */
const PROMISED_MS = 200;
/** What the test allows, so that a loaded machine does not make it flaky; the figure is printed. */
const ALLOWED_MS = 1_000;

/**
 * About 35 MB that a single thread needs seconds to scan: every line gives the generic rules work
 * (two assignments whose values their regexes match and their filters then drop; a quoted phrase
 * with spaces no longer does, the engine rules it out before the regex).
 */
const SLOW_TEXT =
  'const password = "lorem_ipsum_dolor_sit_amet"; token = "consectetur_adipiscing"; // secret key\n'.repeat(
    400_000,
  );

/** A tree of 4,000 small files, scanned file by file (with worker threads once past 4 MB). */
function slowTree(): string {
  const cwd = makeTree();
  const text = 'const value = "lorem ipsum dolor sit amet"; // token secret key password\n'.repeat(400);
  for (let dir = 0; dir < 40; dir++) {
    mkdirSync(join(cwd, `d${dir}`));
    for (let file = 0; file < 100; file++) writeFileSync(join(cwd, `d${dir}`, `f${file}.js`), text);
  }
  return cwd;
}

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  afterSignalMs: number;
  stdout: string;
}

/** Starts `keyfence args` in `cwd`, sends `signal` after `delayMs`, and reports how it ended. */
async function interrupt(
  cwd: string,
  args: string[],
  signal: NodeJS.Signals,
  options: { delayMs?: number; stdin?: string } = {},
): Promise<Interrupted> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stdin.on('error', () => undefined);
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  else child.stdin.end();
  let finished = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      finished = true;
      resolve({ code, signal });
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 1_000));
  expect(finished, 'the scan ended before the signal was sent: the input is too small').toBe(false);
  const sent = performance.now();
  child.kill(signal);
  const { code, signal: bySignal } = await exited;
  return { code, signal: bySignal, afterSignalMs: performance.now() - sent, stdout };
}

/** Exit by the signal itself (what shells report as 128 + its number), quickly, with nothing written. */
function expectStopped(result: Interrupted, signal: NodeJS.Signals, cwd: string, label: string): void {
  console.log(
    `${label}: ended ${result.afterSignalMs.toFixed(0)} ms after ${signal} (promised ${PROMISED_MS} ms)`,
  );
  expect({ code: result.code, signal: result.signal }).toEqual({ code: null, signal });
  expect(result.afterSignalMs).toBeLessThan(ALLOWED_MS);
  expect(result.stdout).not.toContain('no secrets found');
  expect(existsSync(join(cwd, 'report.json'))).toBe(false);
  expect(readdirSync(cwd).filter((name) => name.endsWith('.tmp'))).toEqual([]);
}

const REPORT = ['-f', 'json', '-o', 'report.json'];
const ONE_BIG_FILE = ['--max-file-size', '100MB', '--workers', '0'];

describe('a scan stops at once on SIGINT, SIGTERM and SIGHUP', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s while the main thread is inside the rules, scanning one large file',
    async (signal) => {
      const cwd = makeTree({ 'big.js': SLOW_TEXT });
      const result = await interrupt(cwd, ['scan', '.', ...ONE_BIG_FILE, ...REPORT], signal);
      expectStopped(result, signal, cwd, `directory, ${signal}`);
    },
  );

  it('SIGINT during a scan of many files in worker threads', async () => {
    const cwd = slowTree();
    const result = await interrupt(cwd, ['scan', '.', '--no-ignore', ...REPORT], 'SIGINT', { delayMs: 700 });
    expectStopped(result, 'SIGINT', cwd, 'directory with workers');
  });

  it('SIGINT while scanning standard input', async () => {
    const cwd = makeTree();
    const result = await interrupt(cwd, ['scan', '-', ...ONE_BIG_FILE, ...REPORT], 'SIGINT', {
      stdin: SLOW_TEXT,
    });
    expectStopped(result, 'SIGINT', cwd, 'stdin');
  });

  it('SIGTERM while scanning what is staged', async () => {
    const cwd = makeGitRepo({ 'big.js': SLOW_TEXT });
    git(cwd, 'add', 'big.js');
    const result = await interrupt(cwd, ['scan', '--staged', ...ONE_BIG_FILE, ...REPORT], 'SIGTERM');
    expectStopped(result, 'SIGTERM', cwd, 'staged');
  });

  it('SIGINT while scanning history', async () => {
    const cwd = makeGitRepo({ 'big.js': SLOW_TEXT });
    commit(cwd, 'a large file');
    const result = await interrupt(cwd, ['scan', '--history', ...ONE_BIG_FILE, ...REPORT], 'SIGINT');
    expectStopped(result, 'SIGINT', cwd, 'history');
  });
});
