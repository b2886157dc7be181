import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

interface Result {
  exitCode: number;
  findings: { ruleId: string; path: string; line: number; column: number; origin: string }[];
  summary: { files: number; bytes: number; skipped: { path: string; reason: string }[] };
  notes: string[];
}

async function staged(cwd: string): Promise<Result> {
  const result = await runCli(['scan', '--staged', '--format', 'json'], { cwd });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Omit<Result, 'exitCode'>;
  return { exitCode: result.exitCode, ...report };
}

const where = (result: Result) => result.findings.map((f) => [f.ruleId, f.path, f.line, f.column]);
const token = (seed: number) => githubToken('ghp', seed);

describe('keyfence scan --staged', () => {
  it('scans the initial commit (no HEAD yet)', async () => {
    const repo = makeGitRepo({ 'config/.env': `A=1\nGITHUB_TOKEN=${token(1)}\n` });
    git(repo, 'add', '.');
    const result = await staged(repo);
    expect(where(result)).toEqual([['github-pat', 'config/.env', 2, 14]]);
    expect(result.findings[0]?.origin).toBe('staged');
    expect(result.exitCode).toBe(1);
  });

  it('says so and exits 0 when nothing is staged, still reporting files and bytes', async () => {
    const repo = makeGitRepo({ 'a.txt': 'a\n' });
    commit(repo, 'init');
    const result = await runCli(['scan', '--staged'], { cwd: repo });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('note: nothing staged: the index has no added or changed lines');
    expect(result.stdout).toMatch(/no secrets found in 0 files \(0 B\)/);
  });

  it('reads the index, not the working tree: staged-then-deleted is found, unstaged is not', async () => {
    const repo = makeGitRepo({ 'a.txt': 'start\n' });
    commit(repo, 'init');
    writeFileSync(join(repo, 'staged.env'), `T=${token(2)}\n`);
    git(repo, 'add', 'staged.env');
    rmSync(join(repo, 'staged.env'));
    writeFileSync(join(repo, 'a.txt'), `start\nT=${token(3)}\n`);
    const result = await staged(repo);
    expect(where(result)).toEqual([['github-pat', 'staged.env', 1, 3]]);
  });

  it('takes only the hunk staged with git add -p, numbered as in the staged version', async () => {
    const lines = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`);
    const repo = makeGitRepo({ 'app.py': `${lines.join('\n')}\n` });
    commit(repo, 'init');
    const edited = [...lines];
    edited.splice(2, 0, `first = "${token(4)}"`);
    edited.splice(27, 0, `second = "${token(5)}"`);
    writeFileSync(join(repo, 'app.py'), `${edited.join('\n')}\n`);
    const addPatch = spawnSync('git', ['add', '-p', 'app.py'], {
      cwd: repo,
      input: 'y\nn\n',
      encoding: 'utf8',
    });
    expect(addPatch.status).toBe(0);
    const result = await staged(repo);
    expect(where(result)).toEqual([['github-pat', 'app.py', 3, 10]]);
  });

  it('does not rescan a pure rename, scans what a rename adds, and scans a copy as a new file', async () => {
    const body = Array.from({ length: 40 }, (_, index) => `SETTING_${index}=value-${index}`).join('\n');
    const repo = makeGitRepo({ 'old/name.env': `${body}\nT=${token(6)}\n`, 'other.txt': 'x\n' });
    commit(repo, 'init');
    git(repo, 'mv', 'old/name.env', 'new name.env');
    expect(where(await staged(repo))).toEqual([]);
    writeFileSync(join(repo, 'new name.env'), `${body}\nT=${token(6)}\nS=${stripeKey('sk_live', 7)}\n`);
    git(repo, 'add', '.');
    expect(git(repo, 'diff', '--cached', '--name-status', '-M')).toMatch(
      /^R\d+\told\/name\.env\tnew name\.env$/m,
    );
    expect(where(await staged(repo))).toEqual([['stripe-secret-key', 'new name.env', 42, 3]]);
    commit(repo, 'rename and change');
    writeFileSync(join(repo, 'copy.env'), `${body}\nT=${token(6)}\n`);
    git(repo, 'add', 'copy.env');
    expect(where(await staged(repo))).toEqual([['github-pat', 'copy.env', 41, 3]]);
  });

  it('finds nothing to scan in a deletion or a mode-only change', async () => {
    const repo = makeGitRepo({ 'gone.env': `T=${token(8)}\n`, 'tool.sh': `#!/bin/sh\nT=${token(9)}\n` });
    commit(repo, 'init');
    git(repo, 'rm', '-q', 'gone.env');
    chmodSync(join(repo, 'tool.sh'), 0o755);
    git(repo, 'add', 'tool.sh');
    const result = await staged(repo);
    expect(result.exitCode).toBe(0);
    expect(where(result)).toEqual([]);
    expect(git(repo, 'diff', '--cached', '--name-status')).toMatch(/D\tgone\.env\nM\ttool\.sh/);
  });

  it('lists a binary file as skipped and decodes a UTF-16 file git calls binary', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`[k]\r\nT=${token(10)}\r\n`, 'utf16le'),
    ]);
    const repo = makeGitRepo({ 'blob.bin': Buffer.from([0, 1, 2, 3, 0, 9]), 'win.ini': utf16 });
    git(repo, 'add', '.');
    const result = await staged(repo);
    expect(where(result)).toEqual([['github-pat', 'win.ini', 2, 3]]);
    expect(result.summary.skipped).toEqual([{ path: 'blob.bin', reason: 'binary file' }]);
  });

  it('lists a submodule pointer change as skipped (its content is another repository’s)', async () => {
    const sub = makeGitRepo({ 'README.md': 'sub\n' });
    commit(sub, 'sub init');
    const repo = makeGitRepo({ 'a.txt': 'a\n' });
    commit(repo, 'init');
    git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'vendor/sub');
    commit(repo, 'add submodule');
    commit(join(repo, 'vendor/sub'), 'move the pointer');
    git(repo, 'add', 'vendor/sub');
    const result = await staged(repo);
    expect(where(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.summary.skipped).toEqual([
      { path: 'vendor/sub', reason: 'submodule (its content is committed in its own repository)' },
    ]);
  });

  it('reports a path that is not UTF-8 with its bytes escaped', async () => {
    const repo = makeGitRepo({ 'a.txt': 'a\n' });
    commit(repo, 'init');
    writeFileSync(Buffer.from(`${repo}/caf\xE9.env`, 'latin1'), `T=${token(18)}\n`);
    git(repo, 'add', '.');
    expect(where(await staged(repo))).toEqual([['github-pat', 'caf\\xE9.env', 1, 3]]);
  });

  it('reports exact columns in a CRLF file', async () => {
    const repo = makeGitRepo({ 'win.cfg': `a=1\r\nb=2\r\ntoken = ${token(11)}\r\n` });
    git(repo, 'add', '.');
    expect(where(await staged(repo))).toEqual([['github-pat', 'win.cfg', 3, 9]]);
  });

  it('handles paths with spaces, unicode and newlines exactly', async () => {
    const weird = 'new\nline.env';
    const repo = makeGitRepo({
      'dir with space/ünï cödé.env': `T=${token(12)}\n`,
      [weird]: `X=1\nT=${token(13)}\n`,
    });
    git(repo, 'add', '.');
    expect(where(await staged(repo)).sort()).toEqual([
      ['github-pat', 'dir with space/ünï cödé.env', 1, 3],
      ['github-pat', weird, 2, 3],
    ]);
  });

  it('scans a merge in progress and lists unmerged paths', async () => {
    const repo = makeGitRepo({ 'shared.txt': 'base\n' });
    commit(repo, 'base');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(repo, 'feature.env'), `T=${token(14)}\n`);
    writeFileSync(join(repo, 'shared.txt'), 'feature\n');
    commit(repo, 'feature');
    git(repo, 'checkout', '-q', 'main');
    writeFileSync(join(repo, 'shared.txt'), 'main\n');
    commit(repo, 'main');
    const merge = spawnSync('git', ['merge', '--no-ff', '--no-commit', 'feature'], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(merge.status).not.toBe(0);
    const result = await staged(repo);
    expect(where(result)).toEqual([['github-pat', 'feature.env', 1, 3]]);
    expect(result.summary.skipped).toEqual([
      { path: 'shared.txt', reason: 'unmerged (resolve the conflict first)' },
    ]);
  });

  it('works in a linked worktree and from a subdirectory, with paths relative to where it runs', async () => {
    const repo = makeGitRepo({ 'a.txt': 'a\n' });
    commit(repo, 'init');
    const worktree = join(makeTree(), 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'other', worktree);
    mkdirSync(join(worktree, 'src', 'deep'), { recursive: true });
    writeFileSync(join(worktree, 'conf.env'), `T=${token(15)}\n`);
    git(worktree, 'add', 'conf.env');
    expect(where(await staged(join(worktree, 'src', 'deep')))).toEqual([
      ['github-pat', '../../conf.env', 1, 3],
    ]);
    expect(where(await staged(repo))).toEqual([]);
  });

  it('prints the commit-blocking guidance on the console', async () => {
    const repo = makeGitRepo({ 'deploy.sh': `export TOKEN=${token(16)}\n` });
    git(repo, 'add', '.');
    const result = await runCli(['scan', '--staged'], { cwd: repo });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('--> deploy.sh:1:14');
    expect(result.stdout).toContain('keyfence blocked this commit: the staged changes add 1 secret.');
    expect(result.stdout).toContain('take the value out of deploy.sh');
    expect(result.stdout).toContain('revoke and rotate it at the provider');
    expect(result.stdout).toContain(
      'Put keyfence:allow (or keyfence:allow RULE-ID) in a comment on that line',
    );
    expect(result.stdout).not.toContain(token(16));
  });

  it('sees the temporary index of git commit -a and git commit <path> (GIT_INDEX_FILE in the hook)', () => {
    const repo = makeGitRepo({ 'app.env': 'A=1\n' });
    commit(repo, 'init');
    writeFileSync(
      join(repo, '.git/hooks/pre-commit'),
      `#!/bin/sh\nexec "${process.execPath}" "${BIN}" scan --staged\n`,
      { mode: 0o755 },
    );
    writeFileSync(join(repo, 'app.env'), `A=1\nTOKEN=${token(17)}\n`);
    const identity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid'];
    for (const args of [
      ['commit', '-a', '-m', 'all'],
      ['commit', '-m', 'path', 'app.env'],
    ]) {
      const run = spawnSync('git', [...identity, ...args], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).toContain('--> app.env:2:7');
    }
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(git(repo, 'diff', '--cached', '--name-only')).toBe('');
  });

  it('is a one-line error outside a git work tree', async () => {
    const result = await runCli(['scan', '--staged'], { cwd: makeTree() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^keyfence: --staged: .* is not inside a git work tree\n$/);
  });

  // The hook's `git diff --cached` starts before the scanner's modules load (sources/staged-diff.ts),
  // with the size limit the command line gives; the config may set another.
  it('takes the size limit from the config when the command line gives none', async () => {
    const big = `${'const filler = 1;\n'.repeat(330_000)}TOKEN=${token(18)}\n`; // about 5.6 MB
    const repo = makeGitRepo({ 'a.txt': 'a\n' });
    commit(repo, 'init');
    writeFileSync(join(repo, 'big.js'), big);
    git(repo, 'add', 'big.js');
    const byDefault = await staged(repo);
    expect(byDefault.summary.skipped.map((entry) => entry.path)).toEqual(['big.js']);
    writeFileSync(join(repo, '.keyfence.yaml'), 'max-file-size: 8000000\n');
    const configured = await staged(repo);
    expect(where(configured)).toEqual([['github-pat', 'big.js', 330_001, 7]]);
    writeFileSync(join(repo, '.keyfence.yaml'), 'max-file-size: 1000\n');
    writeFileSync(join(repo, 'small.env'), `TOKEN=${token(19)}\n${'#'.repeat(2000)}\n`);
    git(repo, 'add', 'small.env');
    const smaller = await staged(repo);
    expect(smaller.findings).toEqual([]);
    expect(smaller.summary.skipped.map((entry) => entry.path).sort()).toEqual(['big.js', 'small.env']);
  });

  it('ends at once when the run stops before reading a diff larger than a pipe holds', () => {
    const repo = makeGitRepo({ 'a.txt': 'a\n' });
    commit(repo, 'init');
    writeFileSync(join(repo, 'many.txt'), 'line of text\n'.repeat(200_000));
    git(repo, 'add', 'many.txt');
    writeFileSync(join(repo, '.keyfence.yaml'), 'rules: [\n');
    const started = Date.now();
    const run = spawnSync(process.execPath, [BIN, 'scan', '--staged'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('.keyfence.yaml');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
