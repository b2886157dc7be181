import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DROP_ROOT_ACCESS, runBin, runCli, type CliResult } from '../helpers/cli.js';
import { corruptLooseObject, ownedByAnotherUser, partialClone } from '../helpers/git-faults.js';
import { ALPHA, githubToken, randomString, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree, type Tree } from '../helpers/tree.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const token = (seed: number) => githubToken('ghp', seed);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000010', 'hex');

/** A project with a secret, a binary file, a file over 1 KB and a directory the globs leave out. */
const project = (): Tree => ({
  'app.env': `T=${token(901)}\n`,
  'logo.png': PNG,
  'big.js': `${'/'.repeat(2000)}\nconst t = "${token(902)}";\n`,
  'vendor/lib.env': `S=${stripeKey('sk_live', 903)}\n`,
});
const SKIPPING = ['--max-file-size', '1KB', '--exclude', 'vendor/**'];

interface Json {
  findings: { path: string }[];
  notes: string[];
  summary: { files: number; skipped: { path: string; reason: string }[] };
}
interface Sarif {
  runs: { invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[];
}

/** One scan in the three report formats a pass is read from, as the built binary gives them. */
function scanThreeWays(
  cwd: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; prefix?: string[] } = {},
) {
  const run = (format: string): CliResult =>
    runBin(['scan', ...args, '--format', format], {
      cwd,
      ...(options.env && { env: options.env }),
      ...(options.stdin !== undefined && { input: options.stdin }),
      ...(options.prefix && { prefix: options.prefix }),
    });
  return { console: run('console'), json: run('json'), sarif: run('sarif') };
}

/** A failure: exit 2, one line naming what failed, no report that could be read as a pass. */
function expectError(runs: Record<string, CliResult>, message: RegExp): void {
  for (const [format, result] of Object.entries(runs)) {
    expect(result.exitCode, format).toBe(2);
    expect(result.stdout, format).toBe('');
    expect(result.stderr, format).toMatch(/^keyfence: [^\n]+\n$/);
    expect(result.stderr, format).toMatch(message);
  }
}

/**
 * A scan that finished: whatever it did not scan is in the JSON's skipped list or notes, and the
 * console summary and the SARIF say the same; the exit code is the same in every format.
 */
function expectHonest(runs: ReturnType<typeof scanThreeWays>, listed: string[]): Json {
  const codes = new Set([runs.console.exitCode, runs.json.exitCode, runs.sarif.exitCode]);
  expect(codes.size, 'same exit code in every format').toBe(1);
  expect([0, 1]).toContain(runs.json.exitCode);
  const json = JSON.parse(runs.json.stdout) as Json;
  const sarif = JSON.parse(runs.sarif.stdout) as Sarif;
  const notices = sarif.runs[0]?.invocations[0]?.toolExecutionNotifications.map((n) => n.message.text) ?? [];
  expect(json.summary.skipped.map((skip) => skip.path).sort()).toEqual([...listed].sort());
  for (const { path, reason } of json.summary.skipped) {
    expect(runs.console.stdout).toContain(`  ${path}: ${reason}`);
    expect(notices).toContain(`not scanned: ${path}: ${reason}`);
  }
  for (const note of json.notes) {
    expect(runs.console.stdout).toContain(note);
    expect(notices).toContain(note);
  }
  if (listed.length > 0) expect(runs.console.stdout).toMatch(/skipped \d+ files?:/);
  return json;
}

/** Runs the Action bundle as the runner does, by default on a schedule event (the whole history). */
function actionBundle(
  workspace: string,
  env: NodeJS.ProcessEnv = {},
  extraArgs = '',
  event = {
    name: 'schedule',
    payload: readFileSync(join(REPO_ROOT, 'fixtures/github-events/schedule.json'), 'utf8'),
  },
) {
  const runner = makeTree({ output: '', 'summary.md': '', 'event.json': event.payload });
  const actionDir = makeTree();
  cpSync(join(REPO_ROOT, 'action'), join(actionDir, 'action'), { recursive: true });
  const run = spawnSync(process.execPath, [join(actionDir, 'action/index.js')], {
    cwd: workspace,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: runner,
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: join(runner, 'event.json'),
      GITHUB_OUTPUT: join(runner, 'output'),
      GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
      GITHUB_WORKSPACE: workspace,
      'INPUT_EXTRA-ARGS': extraArgs,
      'INPUT_SARIF-FILE': join(runner, 'keyfence.sarif'),
      ...env,
    },
  });
  const sarifFile = join(runner, 'keyfence.sarif');
  let sarif: Sarif | undefined;
  try {
    sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as Sarif;
  } catch {
    sarif = undefined;
  }
  return {
    status: run.status,
    stdout: run.stdout,
    summary: readFileSync(join(runner, 'summary.md'), 'utf8'),
    notices: sarif?.runs[0]?.invocations[0]?.toolExecutionNotifications.map((n) => n.message.text),
  };
}

/** The project committed in a second commit (the first holds a README). */
function committedProject(): string {
  const repo = makeGitRepo({ 'README.md': '# app\n' });
  commit(repo, 'init');
  for (const [path, content] of Object.entries(project())) {
    execFileSync('mkdir', ['-p', join(repo, path, '..')]);
    writeFileSync(join(repo, path), content);
  }
  commit(repo, 'the project');
  return repo;
}

describe('fail closed: every mode scans or lists, and a partial scan never reads as a clean pass', () => {
  it('git failing is an error in every git mode and the Action', () => {
    const repo = committedProject();
    writeFileSync(join(repo, 'app.env'), `T=${token(904)}\nU=${token(905)}\n`);
    git(repo, 'add', 'app.env');
    const [before, after] = ['HEAD~1', 'HEAD'].map((rev) => git(repo, 'rev-parse', rev).trim());
    const env = ownedByAnotherUser(repo);
    const dubious =
      /detected dubious ownership in repository at .*\(to fix: git config --global --add safe\.directory /;
    for (const args of [['.'], ['--staged'], ['--history'], ['--range', 'HEAD~1..HEAD']])
      expectError(scanThreeWays(repo, args, { env }), dubious);
    const action = actionBundle(repo, env);
    expect(action.status).toBe(2);
    expect(action.stdout).toMatch(/^::error::keyfence: git rev-parse: detected dubious ownership/m);
    expect(action.stdout).not.toMatch(/no secrets found/);
    // On a push, git's refusal is not taken for commits missing from a shallow checkout.
    const payload = readFileSync(join(REPO_ROOT, 'fixtures/github-events/push.json'), 'utf8')
      .replaceAll('{{BEFORE}}', before ?? '')
      .replaceAll('{{AFTER}}', after ?? '');
    const pushed = actionBundle(repo, env, '', { name: 'push', payload });
    expect(pushed.status).toBe(2);
    expect(pushed.stdout).toMatch(
      /^::error::keyfence: git rev-parse: detected dubious ownership.*\(to fix: git config --global --add safe\.directory /m,
    );
  });

  it('unreadable and special files are listed in a directory scan', () => {
    const dir = makeTree({ ...project(), 'secret.env': `T=${token(906)}\n` });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'secret.env'), 0o000);
    execFileSync('mkfifo', [join(dir, 'pipe.env')]);
    // Root reads any file: the scan runs without the capabilities that let it.
    const prefix = DROP_ROOT_ACCESS;
    // The CLI's code cache (src/launcher.ts) goes elsewhere: under HOME it would be a file of the scan.
    const env = { HOME: dir, XDG_CACHE_HOME: makeTree(), GIT_CONFIG_GLOBAL: '/dev/null' };
    const runs = scanThreeWays(dir, ['.', ...SKIPPING], { env, ...(prefix && { prefix }) });
    const json = expectHonest(runs, ['big.js', 'logo.png', 'pipe.env', 'secret.env', 'vendor/lib.env']);
    expect(json.summary.skipped.find((skip) => skip.path === 'secret.env')?.reason).toBe(
      'cannot read (EACCES)',
    );
    expect(json.findings.map((f) => f.path)).toEqual(['app.env']);
  });

  it('filtered, binary and too-large files are listed in every mode, the Action included', () => {
    const skippedAll = ['big.js', 'logo.png', 'vendor/lib.env'];
    expectHonest(scanThreeWays(makeTree(project()), ['.', ...SKIPPING]), skippedAll);
    const staged = makeGitRepo(project());
    git(staged, 'add', '.');
    expectHonest(scanThreeWays(staged, ['--staged', ...SKIPPING]), skippedAll);
    const repo = committedProject();
    expectHonest(scanThreeWays(repo, ['--history', ...SKIPPING]), skippedAll);
    expectHonest(scanThreeWays(repo, ['--range', 'HEAD~1..HEAD', ...SKIPPING]), skippedAll);
    const binaryStdin = scanThreeWays(makeTree(), ['-', '--stdin-path', 'pasted.bin'], { stdin: '\0\u0001' });
    expectHonest(binaryStdin, ['pasted.bin']);
    expectError(
      scanThreeWays(makeTree(), ['-', '--exclude', '*.env'], { stdin: 'x' }),
      /--include and --exclude/,
    );
    const action = actionBundle(repo, {}, SKIPPING.join(' '));
    expect(action.status).toBe(1);
    for (const path of skippedAll) {
      expect(action.stdout).toMatch(new RegExp(`^ {2}${path.replace('.', '\\.')}: `, 'm'));
      expect(action.notices?.some((text) => text.startsWith(`not scanned: ${path}: `))).toBe(true);
    }
  });

  it('a missing or corrupt object is an error in --staged, --history and the Action; a partial clone says it is incomplete', () => {
    const repo = committedProject();
    const blob = git(repo, 'rev-parse', 'HEAD:app.env').trim();
    corruptLooseObject(repo, blob, 'start');
    const unreadable = new RegExp(`git cat-file: cannot read object ${blob}: `);
    expectError(scanThreeWays(repo, ['--history']), unreadable);
    const action = actionBundle(repo);
    expect(action.status).toBe(2);
    expect(action.stdout).toMatch(
      new RegExp(`^::error::keyfence: git cat-file: cannot read object ${blob}`, 'm'),
    );
    // A staged UTF-16 file is read from the index: its blob removed, the index cannot be read.
    const staged = makeGitRepo({ 'a.txt': 'a\n' });
    commit(staged, 'init');
    writeFileSync(join(staged, 'win.ini'), Buffer.from(`T=${token(907)}\r\n`, 'utf16le'));
    git(staged, 'add', 'win.ini');
    const index = git(staged, 'rev-parse', ':win.ini').trim();
    rmSync(join(staged, '.git', 'objects', index.slice(0, 2), index.slice(2)));
    expectError(scanThreeWays(staged, ['--staged']), new RegExp(`cannot read object ${index}`));
    const source = committedProject();
    rmSync(join(source, 'app.env'));
    commit(source, 'remove the secret');
    const clone = partialClone(source);
    const json = expectHonest(scanThreeWays(clone, ['--history']), ['app.env', 'logo.png']);
    expect(json.notes.join('\n')).toMatch(/the history scan is incomplete/);
  });

  it('findings an allowlist suppresses by path are counted as suppressed', () => {
    const dir = makeTree({
      '.keyfence.yaml': 'allowlist:\n  paths: ["fixtures/**"]\n',
      'fixtures/sample.env': `T=${token(908)}\nU=${token(909)}\n`,
      'app.env': `V=${token(910)}\n`,
    });
    const json = JSON.parse(runBin(['scan', '.', '--format', 'json'], { cwd: dir }).stdout) as {
      findings: unknown[];
      summary: { suppressed: number; suppressedBy: { allowlist: number } };
    };
    expect(json.findings).toHaveLength(1);
    expect(json.summary.suppressed).toBe(2);
    expect(json.summary.suppressedBy.allowlist).toBe(2);
  });

  it('a rule stopped by its thousand-match bound says so: placeholders before a password do not make a silent pass', async () => {
    const password = `Xk9q${randomString(ALPHA.alnum, 14, 911)}`;
    const dir = makeTree({
      'app.env': `${'password = "changeme"\n'.repeat(1500)}password = "${password}"\n`,
    });
    const warning =
      'warning: app.env: rule generic-password matched 1000 times, the most checked per rule and file: the rest of the file was not checked for it';
    const json = await runCli(['scan', '.', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(json.stdout) as { notes: string[] }).notes).toContain(warning);
    const console = await runCli(['scan', '.'], { cwd: dir });
    expect(console.stdout.split('\n')).toContain(warning);
  });
});
