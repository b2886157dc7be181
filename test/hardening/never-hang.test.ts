import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KB64 = 64 * 1024;

/** Inputs that once stalled every scan mode, each 64 KB. */
const HOSTILE = {
  // Whitespace after a key header made the key rules backtrack cubically (3,000 spaces: 9 s).
  'rsa-spaces.txt': `-----BEGIN RSA PRIVATE KEY-----\n${' '.repeat(KB64)}`,
  'pgp-newlines.asc': `-----BEGIN PGP PRIVATE KEY BLOCK-----\n${'\n'.repeat(KB64)}`,
  'ec-tabs.pem': `-----BEGIN EC PRIVATE KEY-----\n${'\t \n'.repeat(KB64 / 3)}`,
  // Read by the custom rules below: nested repetition over a run of a's (301 bytes took over 60 s).
  'as.txt': 'a'.repeat(KB64),
};

/** Custom rules whose regexes backtrack exponentially in a backtracking engine. */
const CONFIG = [
  'rules:',
  '  custom:',
  '    - id: nested-bounded',
  '      severity: high',
  "      regex: '(?<secret>(?:a{1,30}){1,30}b)'",
  '    - id: nested-plus',
  '      severity: high',
  "      regex: '(?<secret>(a+)+)$'",
  '',
].join('\n');

interface Timed {
  wallMs: number;
  scanMs: number | undefined;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI and times it; the scan's own time comes from its JSON summary. */
function timedScan(cwd: string, args: string[], input?: string): Timed {
  const started = performance.now();
  const result = runBin([...args, '-f', 'json', '--max-file-size', '1MB'], {
    cwd,
    ...(input !== undefined && { input }),
  });
  const wallMs = performance.now() - started;
  const scanMs =
    result.exitCode <= 1
      ? (JSON.parse(result.stdout) as { summary: { durationMs: number } }).summary.durationMs
      : undefined;
  return { wallMs, scanMs, ...result };
}

function expectFast(run: Timed, label: string): void {
  console.log(`${label}: scan ${run.scanMs ?? '?'} ms, process ${run.wallMs.toFixed(0)} ms`);
  expect(run.exitCode, run.stderr).toBeLessThanOrEqual(1);
  expect(run.scanMs).toBeLessThan(1_000);
  // The whole process, start-up included, on a machine that may be busy with other tests.
  expect(run.wallMs).toBeLessThan(5_000);
}

describe('hostile 64 KB inputs finish in well under a second in every mode', () => {
  it('a directory scan', () => {
    const cwd = makeTree({ ...HOSTILE, '.keyfence.yaml': CONFIG });
    expectFast(timedScan(cwd, ['scan', '.']), 'directory');
  });

  it.each(Object.keys(HOSTILE))('standard input: %s', (name) => {
    const cwd = makeTree({ '.keyfence.yaml': CONFIG });
    expectFast(
      timedScan(cwd, ['scan', '-', '--stdin-path', name], HOSTILE[name as keyof typeof HOSTILE]),
      `stdin ${name}`,
    );
  });

  it('what is staged', () => {
    const cwd = makeGitRepo({ ...HOSTILE, '.keyfence.yaml': CONFIG });
    git(cwd, 'add', '.');
    expectFast(timedScan(cwd, ['scan', '--staged']), 'staged');
  });

  it('history', () => {
    const cwd = makeGitRepo({ ...HOSTILE, '.keyfence.yaml': CONFIG });
    commit(cwd, 'hostile files');
    expectFast(timedScan(cwd, ['scan', '--history']), 'history');
  });

  it('the GitHub Action bundle on a push', () => {
    const repo = makeGitRepo({ 'README.md': '# app\n', '.keyfence.yaml': CONFIG });
    commit(repo, 'initial');
    const before = git(repo, 'rev-parse', 'HEAD').trim();
    for (const [name, text] of Object.entries(HOSTILE)) writeFileSync(join(repo, name), text);
    commit(repo, 'hostile files');
    const after = git(repo, 'rev-parse', 'HEAD').trim();
    const runner = makeTree({ output: '', 'summary.md': '' });
    const event = readFileSync(join(REPO_ROOT, 'fixtures/github-events/push.json'), 'utf8')
      .replaceAll('{{BEFORE}}', before)
      .replaceAll('{{AFTER}}', after);
    writeFileSync(join(runner, 'event.json'), event);
    const actionDir = makeTree();
    cpSync(join(REPO_ROOT, 'action'), join(actionDir, 'action'), { recursive: true });
    const started = performance.now();
    const run = spawnSync(process.execPath, [join(actionDir, 'action/index.js')], {
      cwd: repo,
      encoding: 'utf8',
      env: {
        PATH: '/usr/bin:/bin',
        HOME: actionDir,
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: join(runner, 'event.json'),
        GITHUB_OUTPUT: join(runner, 'output'),
        GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
        GITHUB_WORKSPACE: repo,
        GITHUB_REPOSITORY: 'acme/app',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_SHA: after,
      },
    });
    const wallMs = performance.now() - started;
    console.log(`Action bundle: process ${wallMs.toFixed(0)} ms`);
    // The custom rule `(a+)+$` does match the run of a's: one finding, and nothing else to fail on.
    expect(run.status, run.stderr).toBe(1);
    expect(readFileSync(join(runner, 'output'), 'utf8')).toContain('findings=1\n');
    expect(wallMs).toBeLessThan(5_000);
  });
});

describe('standard input is read up to --max-file-size and no further', () => {
  const shell = (command: string, cwd: string) => {
    const started = performance.now();
    const run = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8', timeout: 30_000 });
    return { ...run, ms: performance.now() - started };
  };

  it.each([
    [
      'an endless stream of NULs',
      `"${process.execPath}" "${BIN}" scan - --max-file-size 1MB < /dev/zero`,
      1048576,
    ],
    [
      'an endless pipe of text',
      `yes "lorem ipsum dolor sit amet" | "${process.execPath}" "${BIN}" scan -`,
      5242880,
    ],
    [
      'a 6 MB pipe, over the default limit',
      `head -c 6000000 /dev/zero | tr '\\0' x | "${process.execPath}" "${BIN}" scan -`,
      5242880,
    ],
  ])('%s is skipped and listed, and the scan ends', (_label, command, limit) => {
    const run = shell(command, makeTree());
    console.log(`${_label}: ended in ${run.ms.toFixed(0)} ms`);
    expect(run.signal, 'still reading when the test gave up').toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `stdin: larger than --max-file-size \\(more than ${limit} bytes; stopped reading at \\d+\\)`,
      ),
    );
    expect(run.stdout).toContain('0 files (0 B) scanned');
  });
});
