import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { npmInstall } from '../helpers/package.js';
import { githubToken } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, tryCommit } from '../helpers/tree.js';

const PACKAGE_JSON = '{ "name": "app", "version": "1.0.0", "private": true }\n';

/** Everything a blocked commit must leave untouched: HEAD, the index entries and the working tree files. */
function snapshot(repo: string): string {
  const files = git(repo, 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
    .split('\0')
    .filter(Boolean);
  const tree = files.map(
    (file) =>
      `${file}:${createHash('sha256')
        .update(readFileSync(join(repo, file)))
        .digest('hex')}`,
  );
  return [git(repo, 'rev-parse', '--verify', '-q', 'HEAD').trim(), git(repo, 'ls-files', '-s'), ...tree].join(
    '\n',
  );
}

function expectBlocked(repo: string, file: string) {
  const before = snapshot(repo);
  const attempt = tryCommit(repo, ['-m', 'add config']);
  expect(attempt.status).not.toBe(0);
  expect(attempt.output).toContain(`--> ${file}:2:`);
  expect(attempt.output).toContain('keyfence blocked this commit');
  expect(attempt.output).toContain('revoke and rotate it at the provider');
  expect(snapshot(repo)).toBe(before);
}

function keyfence(repo: string, ...args: string[]) {
  const run = spawnSync(join(repo, 'node_modules', '.bin', 'keyfence'), args, {
    cwd: repo,
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('keyfence init', () => {
  it('installs a plain git hook that blocks a commit adding a secret and lets a clean one through', () => {
    const repo = makeGitRepo({ 'package.json': PACKAGE_JSON });
    npmInstall(repo);
    commit(repo, 'init');
    const init = keyfence(repo, 'init');
    expect(init).toMatchObject({
      status: 0,
      stdout: 'keyfence init: git hook created (.git/hooks/pre-commit)\n',
      stderr: '',
    });
    expect(statSync(join(repo, '.git/hooks/pre-commit')).mode & 0o111).not.toBe(0);
    writeFileSync(join(repo, 'config.env'), `A=1\nTOKEN=${githubToken('ghp', 61)}\n`);
    git(repo, 'add', 'config.env');
    expectBlocked(repo, 'config.env');
    writeFileSync(join(repo, 'config.env'), 'A=1\nTOKEN=${TOKEN}\n');
    git(repo, 'add', 'config.env');
    expect(tryCommit(repo, ['-m', 'clean config']).status).toBe(0);
  }, 120_000);

  it('is idempotent, prints a dry run without writing, and respects core.hooksPath', async () => {
    const repo = makeGitRepo();
    git(repo, 'config', 'core.hooksPath', '.githooks');
    const dry = await runCli(['init', '--dry-run'], { cwd: repo });
    expect(dry.stdout).toBe(
      'keyfence init: would create .githooks/pre-commit:\n#!/bin/sh\n# keyfence: block commits that add secrets (installed by keyfence init)\nif [ -x node_modules/.bin/keyfence ]; then node_modules/.bin/keyfence scan --staged; else npx --no-install keyfence scan --staged; fi || exit $?\n',
    );
    expect(existsSync(join(repo, '.githooks'))).toBe(false);
    expect((await runCli(['init'], { cwd: repo })).stdout).toBe(
      'keyfence init: git hook created (.githooks/pre-commit)\n',
    );
    const written = readFileSync(join(repo, '.githooks/pre-commit'), 'utf8');
    expect((await runCli(['init'], { cwd: repo })).stdout).toContain(
      'nothing to do: keyfence is already in the git hook',
    );
    expect(readFileSync(join(repo, '.githooks/pre-commit'), 'utf8')).toBe(written);
    expect(existsSync(join(repo, '.git/hooks/pre-commit'))).toBe(false);
  });

  it('never clobbers a foreign hook: refuses, then appends with --force, and both run', () => {
    const repo = makeGitRepo({ 'package.json': PACKAGE_JSON });
    npmInstall(repo);
    commit(repo, 'init');
    const hook = join(repo, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\necho "team lint ran"\n', { mode: 0o755 });
    const refused = keyfence(repo, 'init');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      "keyfence: init: .git/hooks/pre-commit already exists and is not keyfence's; it was left unchanged (re-run with --force to append keyfence to it)\n",
    );
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\necho "team lint ran"\n');
    expect(keyfence(repo, 'init', '--force').stdout).toBe(
      'keyfence init: appended to the existing git hook (--force) (.git/hooks/pre-commit)\n',
    );
    writeFileSync(join(repo, 'deploy.sh'), `#!/bin/sh\nexport TOKEN=${githubToken('ghp', 62)}\n`);
    git(repo, 'add', 'deploy.sh');
    const attempt = tryCommit(repo, ['-m', 'deploy']);
    expect(attempt.status).not.toBe(0);
    expect(attempt.output).toContain('team lint ran');
    expect(attempt.output).toContain('keyfence blocked this commit');
  }, 120_000);

  it('adds keyfence to husky 9 (installed from npm) and the husky hook blocks the commit', () => {
    const repo = makeGitRepo({ 'package.json': PACKAGE_JSON });
    npmInstall(repo);
    npmInstall(repo, ['husky@9']);
    const husky = spawnSync(join(repo, 'node_modules/.bin/husky'), ['init'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, HUSKY: '' },
    });
    expect(husky.status, husky.stderr).toBe(0);
    expect(git(repo, 'config', 'core.hooksPath').trim()).toBe('.husky/_');
    writeFileSync(join(repo, '.husky/pre-commit'), 'echo "husky pre-commit ran"\n');
    commit(repo, 'init');
    expect(keyfence(repo, 'init')).toMatchObject({
      status: 0,
      stdout: 'keyfence init: added to the husky hook (.husky/pre-commit)\n',
    });
    expect(readFileSync(join(repo, '.husky/pre-commit'), 'utf8')).toBe(
      'echo "husky pre-commit ran"\nkeyfence scan --staged\n',
    );
    expect(keyfence(repo, 'init').stdout).toContain('nothing to do');
    writeFileSync(join(repo, 'settings.py'), `DEBUG = True\nGITHUB_TOKEN = "${githubToken('ghp', 63)}"\n`);
    git(repo, 'add', 'settings.py');
    expectBlocked(repo, 'settings.py');
    expect(tryCommit(repo, ['-m', 'x']).output).toContain('husky pre-commit ran');
  }, 180_000);
});
