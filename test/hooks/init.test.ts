import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { allWell } from '../helpers/doctor.js';
import { npmInstall } from '../helpers/package.js';
import { preCommitCommand } from '../helpers/pre-commit.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, tryCommit } from '../helpers/tree.js';

const PACKAGE_JSON = '{ "name": "app", "version": "1.0.0", "private": true }\n';

/** Runs husky's own command (from node_modules) in `repo`, as `npx husky ...` would. */
function husky(repo: string, ...args: string[]) {
  const run = spawnSync(join(repo, 'node_modules/.bin/husky'), args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, HUSKY: '' },
  });
  expect(run.status, run.stderr).toBe(0);
}

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
    expect(init).toMatchObject({ status: 0, stderr: '' });
    expect(init.stdout).toBe(
      [
        'keyfence init: git hook created (.git/hooks/pre-commit)',
        ...allWell('git runs .git/hooks/pre-commit before each commit, and it runs keyfence'),
        '',
      ].join('\n'),
    );
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
    // keyfence itself is not installed in this repository: the hook is written, and the check says so.
    const init = await runCli(['init'], { cwd: repo });
    expect(init.exitCode).toBe(1);
    expect(init.stdout).toContain('keyfence init: git hook created (.githooks/pre-commit)\n');
    expect(init.stdout).toContain(
      'keyfence doctor: problem: .githooks/pre-commit runs keyfence, which is not installed in this project (node_modules/.bin/keyfence is missing); fix: npm install --save-dev keyfence\n',
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
    const forced = keyfence(repo, 'init', '--force');
    expect(forced.stdout).toContain(
      'keyfence init: appended to the existing git hook (--force) (.git/hooks/pre-commit)\n',
    );
    expect(forced.stdout).toContain('keyfence doctor: no problems found\n');
    expect(forced.status).toBe(0);
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
    husky(repo, 'init');
    expect(git(repo, 'config', 'core.hooksPath').trim()).toBe('.husky/_');
    writeFileSync(join(repo, '.husky/pre-commit'), 'echo "husky pre-commit ran"\n');
    commit(repo, 'init');
    const init = keyfence(repo, 'init');
    expect(init.status, init.stdout).toBe(0);
    expect(init.stdout).toContain('keyfence init: added to the husky hook (.husky/pre-commit)\n');
    expect(init.stdout).toContain(
      'keyfence doctor: ok: git runs .husky/pre-commit (husky) before each commit, and it runs keyfence\n',
    );
    expect(readFileSync(join(repo, '.husky/pre-commit'), 'utf8')).toBe(
      'echo "husky pre-commit ran"\nkeyfence scan --staged\n',
    );
    expect(keyfence(repo, 'init').stdout).toContain('nothing to do');
    writeFileSync(join(repo, 'settings.py'), `DEBUG = True\nGITHUB_TOKEN = "${githubToken('ghp', 63)}"\n`);
    git(repo, 'add', 'settings.py');
    expectBlocked(repo, 'settings.py');
    expect(tryCommit(repo, ['-m', 'x']).output).toContain('husky pre-commit ran');
  }, 180_000);

  it('sets up husky when package.json lists it but .husky/ does not exist yet, instead of a git hook husky would later switch off', () => {
    const repo = makeGitRepo({ 'package.json': PACKAGE_JSON });
    npmInstall(repo);
    npmInstall(repo, ['husky@9']);
    commit(repo, 'init');
    expect(keyfence(repo, 'init', '--dry-run').stdout).toBe(
      'keyfence init: would run husky (node_modules/.bin/husky sets core.hooksPath to .husky/_) and create .husky/pre-commit:\nkeyfence scan --staged\n',
    );
    expect(spawnSync('git', ['config', 'core.hooksPath'], { cwd: repo }).status).toBe(1);
    expect(existsSync(join(repo, '.husky'))).toBe(false);
    const init = keyfence(repo, 'init');
    expect(init.status, init.stdout).toBe(0);
    expect(init.stdout).toContain(
      'keyfence init: husky set up (core.hooksPath .husky/_) and its pre-commit hook created (.husky/pre-commit)\n',
    );
    expect(init.stdout).toContain(
      'keyfence doctor: ok: git runs .husky/pre-commit (husky) before each commit, and it runs keyfence\n',
    );
    expect(init.stderr).toBe(
      'keyfence init: warning: package.json has no "prepare": "husky" script, so other clones get no hooks from npm install: npm pkg set scripts.prepare=husky\n',
    );
    expect(git(repo, 'config', 'core.hooksPath').trim()).toBe('.husky/_');
    expect(readFileSync(join(repo, '.husky/pre-commit'), 'utf8')).toBe('keyfence scan --staged\n');
    expect(existsSync(join(repo, '.git/hooks/pre-commit'))).toBe(false);
    writeFileSync(join(repo, 'billing.js'), `const key = '${stripeKey('sk_live', 64)}';\n`);
    git(repo, 'add', 'billing.js');
    expect(tryCommit(repo, ['-m', 'billing']).output).toContain('keyfence blocked this commit');

    // `npx husky init` afterwards replaces .husky/pre-commit with `npm test`: doctor says so, init mends it.
    husky(repo, 'init');
    const doctor = keyfence(repo, 'doctor');
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toContain(
      'keyfence doctor: problem: git runs .husky/pre-commit (husky), which does not run keyfence; fix: npx keyfence init\n',
    );
    expect(keyfence(repo, 'init').status).toBe(0);
    expect(readFileSync(join(repo, '.husky/pre-commit'), 'utf8')).toBe('npm test\nkeyfence scan --staged\n');
    expect(keyfence(repo, 'doctor')).toMatchObject({ status: 0, stderr: '' });
  }, 180_000);

  it('doctor finds the hook that husky switched off: keyfence in .git/hooks/pre-commit, then husky init sets core.hooksPath', () => {
    const repo = makeGitRepo({ 'package.json': PACKAGE_JSON });
    npmInstall(repo);
    commit(repo, 'init');
    expect(keyfence(repo, 'init').stdout).toContain(
      'keyfence init: git hook created (.git/hooks/pre-commit)\n',
    );
    npmInstall(repo, ['husky@9']);
    husky(repo, 'init');
    writeFileSync(join(repo, '.husky/pre-commit'), 'echo "lint ran"\n');
    commit(repo, 'husky');
    writeFileSync(join(repo, 'billing.js'), `const key = '${stripeKey('sk_live', 65)}';\n`);
    git(repo, 'add', 'billing.js');
    const before = git(repo, 'rev-parse', 'HEAD');
    // The trap: the commit goes through, keyfence never ran.
    expect(tryCommit(repo, ['-m', 'billing']).status).toBe(0);
    git(repo, 'reset', '-q', '--soft', before.trim());

    const doctor = keyfence(repo, 'doctor');
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toContain(
      'keyfence doctor: problem: git runs .husky/pre-commit (husky), which does not run keyfence; .git/hooks/pre-commit runs keyfence, but git does not run hooks from there; fix: npx keyfence init\n',
    );
    expect(doctor.stdout).toContain('keyfence doctor: 1 problem found\n');
    expect(keyfence(repo, 'init').status).toBe(0);
    expect(tryCommit(repo, ['-m', 'billing']).output).toContain('keyfence blocked this commit');
  }, 180_000);

  it('says what to run when package.json lists husky that is not installed, and writes nothing', async () => {
    const repo = makeGitRepo({
      'package.json': '{ "name": "app", "private": true, "devDependencies": { "husky": "^9.1.7" } }\n',
    });
    const init = await runCli(['init'], { cwd: repo });
    expect(init).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        'keyfence: init: husky is in package.json but not installed, and has no .husky/ yet (run npm install, then npx keyfence init again)\n',
    });
    expect(existsSync(join(repo, '.git/hooks/pre-commit'))).toBe(false);
    expect(existsSync(join(repo, '.husky'))).toBe(false);
  });

  it("leaves the pre-commit framework's hook alone and says to add keyfence to its config", async () => {
    const repo = makeGitRepo({ '.pre-commit-config.yaml': 'repos: []\n' });
    const install = spawnSync(preCommitCommand(), ['install'], { cwd: repo, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    const hook = readFileSync(join(repo, '.git/hooks/pre-commit'), 'utf8');
    for (const args of [['init'], ['init', '--force']])
      expect(await runCli(args, { cwd: repo })).toEqual({
        exitCode: 2,
        stdout: '',
        stderr:
          'keyfence: init: .git/hooks/pre-commit is the pre-commit framework\'s hook; it was left unchanged (add "- id: keyfence" to .pre-commit-config.yaml instead, as the README shows)\n',
      });
    expect(readFileSync(join(repo, '.git/hooks/pre-commit'), 'utf8')).toBe(hook);
  });
});
