import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNode } from '../../src/hooks/doctor.js';
import { runBin, runCli } from '../helpers/cli.js';
import { allWell, gitVersion, ruleCount } from '../helpers/doctor.js';
import { preCommitCommand } from '../helpers/pre-commit.js';
import { git, makeGitRepo, makeTree, writeTree } from '../helpers/tree.js';

const HOOK =
  '#!/bin/sh\n# keyfence: block commits that add secrets (installed by keyfence init)\nnode_modules/.bin/keyfence scan --staged || exit $?\n';

/** A repository whose project has keyfence installed (a stand-in binary: doctor only checks it is there). */
function project(files: Record<string, string> = {}): string {
  const repo = makeGitRepo(files);
  writeTree(repo, { 'node_modules/.bin/keyfence': '#!/bin/sh\n', '.gitignore': 'node_modules/\n' });
  chmodSync(join(repo, 'node_modules/.bin/keyfence'), 0o755);
  return repo;
}

function withHook(repo: string, script: string, mode = 0o755): string {
  writeFileSync(join(repo, '.git/hooks/pre-commit'), script, { mode });
  chmodSync(join(repo, '.git/hooks/pre-commit'), mode);
  return repo;
}

const doctor = (repo: string, env: Record<string, string> = {}) => runCli(['doctor'], { cwd: repo, env });

/** The one hook line of a doctor report. */
async function hookLine(repo: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await doctor(repo, env);
  return stdout.split('\n')[1] ?? '';
}

describe('keyfence doctor', () => {
  it('says all is well, with exit 0, when the hook git runs calls keyfence', async () => {
    const repo = withHook(project(), HOOK);
    expect(await doctor(repo)).toEqual({
      exitCode: 0,
      stdout: `${allWell('git runs .git/hooks/pre-commit before each commit, and it runs keyfence').join('\n')}\n`,
      stderr: '',
    });
  });

  it('names each hook problem in one line with its fix, and exits 1', async () => {
    const none = await doctor(project());
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toBe(
      [
        `keyfence doctor: ok: git ${gitVersion()} works in this repository`,
        'keyfence doctor: problem: git runs no pre-commit hook: .git/hooks/pre-commit does not exist; fix: npx keyfence init',
        `keyfence doctor: ok: ${ruleCount()} built-in rules load; no config files`,
        `keyfence doctor: ok: Node.js ${process.versions.node} (keyfence needs >=20.19)`,
        'keyfence doctor: 1 problem found',
        '',
      ].join('\n'),
    );
    expect(await hookLine(withHook(project(), HOOK, 0o644))).toBe(
      'keyfence doctor: problem: .git/hooks/pre-commit is not executable, so git skips it; fix: chmod +x .git/hooks/pre-commit',
    );
    expect(await hookLine(withHook(project(), '#!/bin/sh\nnpm run lint\n'))).toBe(
      'keyfence doctor: problem: git runs .git/hooks/pre-commit, which does not run keyfence; fix: npx keyfence init --force (appends keyfence to that hook)',
    );
    expect(await hookLine(withHook(project(), '#!/bin/sh\nexec npm run lint\n' + HOOK.slice(10)))).toBe(
      'keyfence doctor: problem: .git/hooks/pre-commit runs exec before its keyfence line, so keyfence never runs; fix: move the keyfence line in .git/hooks/pre-commit above the exec',
    );
    const notInstalled = withHook(makeGitRepo(), HOOK);
    expect(await hookLine(notInstalled)).toBe(
      'keyfence doctor: problem: .git/hooks/pre-commit runs keyfence, which is not installed in this project (node_modules/.bin/keyfence is missing); fix: npm install --save-dev keyfence',
    );
  });

  it('follows core.hooksPath and husky, and names a keyfence hook that git does not run', async () => {
    const moved = withHook(project(), HOOK);
    git(moved, 'config', 'core.hooksPath', '.githooks');
    expect(await hookLine(moved)).toBe(
      'keyfence doctor: problem: git runs no pre-commit hook: .githooks/pre-commit does not exist (core.hooksPath is .githooks); .git/hooks/pre-commit runs keyfence, but git does not run hooks from there; fix: npx keyfence init',
    );

    const husky = project({ '.husky/pre-commit': 'keyfence scan --staged\n' });
    expect(await hookLine(husky)).toBe(
      'keyfence doctor: problem: git runs no pre-commit hook: .git/hooks/pre-commit does not exist; .husky/pre-commit runs keyfence, but husky is not set up in this clone; fix: npx husky',
    );
    // What `npx husky` writes: core.hooksPath .husky/_, and a wrapper per hook that sources h.
    writeTree(husky, {
      '.husky/_/h': '#!/usr/bin/env sh\n',
      '.husky/_/pre-commit': '#!/usr/bin/env sh\n. "$(dirname "$0")/h"',
    });
    chmodSync(join(husky, '.husky/_/pre-commit'), 0o755);
    git(husky, 'config', 'core.hooksPath', '.husky/_');
    expect(await hookLine(husky)).toBe(
      'keyfence doctor: ok: git runs .husky/pre-commit (husky) before each commit, and it runs keyfence',
    );
    expect(await hookLine(husky, { HUSKY: '0' })).toBe(
      'keyfence doctor: problem: HUSKY=0 is set, so husky runs no hook; fix: unset HUSKY',
    );
  });

  it("follows the pre-commit framework's hook to its config (hook installed by the real pre-commit)", async () => {
    const repo = project({
      '.pre-commit-config.yaml':
        'repos:\n  - repo: https://example.invalid/keyfence\n    rev: v0.1.0\n    hooks:\n      - id: keyfence\n',
    });
    const install = spawnSync(preCommitCommand(), ['install'], { cwd: repo, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    const env = { PATH: process.env.PATH ?? '' };
    expect(await hookLine(repo, env)).toBe(
      'keyfence doctor: ok: git runs .git/hooks/pre-commit (the pre-commit framework), and .pre-commit-config.yaml runs keyfence',
    );
    writeFileSync(
      join(repo, '.pre-commit-config.yaml'),
      'repos:\n  - repo: https://example.invalid/keyfence\n    rev: v0.1.0\n    hooks:\n      - id: keyfence-pre-push\n',
    );
    expect(await hookLine(repo, env)).toBe(
      'keyfence doctor: problem: .pre-commit-config.yaml has no keyfence hook for commits, so the pre-commit framework never runs keyfence; fix: add "- id: keyfence" under keyfence\'s repo in .pre-commit-config.yaml',
    );
  });

  it('names a repository git refuses for its ownership (GIT_TEST_ASSUME_DIFFERENT_OWNER, and chown as root), with the safe.directory command that fixes it', () => {
    const repo = withHook(project(), HOOK);
    const globalConfig = join(makeTree(), 'gitconfig');
    writeFileSync(globalConfig, '');
    const env = { GIT_TEST_ASSUME_DIFFERENT_OWNER: '1', GIT_CONFIG_GLOBAL: globalConfig };
    const refused = runBin(['doctor'], { cwd: repo, env });
    expect(refused.exitCode).toBe(1);
    const line = `keyfence doctor: problem: git refuses to work in ${repo}: it is owned by another user (dubious ownership), so neither commits nor scans run there; fix: git config --global --add safe.directory ${repo}`;
    expect(refused.stdout.split('\n')).toEqual([
      line,
      `keyfence doctor: ok: ${ruleCount()} built-in rules load; no config files`,
      `keyfence doctor: ok: Node.js ${process.versions.node} (keyfence needs >=20.19)`,
      'keyfence doctor: 1 problem found',
      '',
    ]);
    // The fix it prints works.
    const fix = (line.split('; fix: ')[1] ?? '').split(' ');
    expect(spawnSync(fix[0] ?? '', fix.slice(1), { env: { ...process.env, ...env } }).status).toBe(0);
    expect(runBin(['doctor'], { cwd: repo, env }).exitCode).toBe(0);

    // And for real where the test can give the repository away (as root: CI and the dev machines).
    if (process.getuid?.() === 0) {
      const owned = withHook(project(), HOOK);
      chownSync(owned, 4242, 4242);
      const other = runBin(['doctor'], { cwd: owned, env: { GIT_CONFIG_GLOBAL: '/dev/null' } });
      expect(other.exitCode).toBe(1);
      expect(other.stdout).toContain(`problem: git refuses to work in ${owned}: it is owned by another user`);
    }
  });

  it('checks that every config and ignore file parses, each problem on its own line', async () => {
    const repo = withHook(
      project({
        '.keyfence.yaml': 'rules:\n  overrides:\n    github-pat:\n      entropy: 12\n',
        'packages/api/.keyfence.yml': 'fail-on: severe\n',
        '.keyfenceignore': '- fingerprint: nope\n',
      }),
      HOOK,
    );
    const result = await doctor(repo);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.includes('problem'))).toEqual([
      'keyfence doctor: problem: .keyfence.yaml:4: rules.overrides.github-pat.entropy: expected a number between 0 and 8 (bits per character); fix: correct .keyfence.yaml (README, Configuration)',
      'keyfence doctor: problem: packages/api/.keyfence.yml:1: fail-on: expected one of critical, high, medium, low; fix: correct packages/api/.keyfence.yml (README, Configuration)',
      'keyfence doctor: problem: .keyfenceignore:1: [0].fingerprint: expected RULE-ID:HASH as printed after "ignore:" in a report; fix: correct .keyfenceignore (README, Configuration)',
      'keyfence doctor: 3 problems found',
    ]);
    writeTree(repo, {
      '.keyfence.yaml': 'fail-on: medium\n',
      'packages/api/.keyfence.yml': 'rules:\n  disable: [jwt]\n',
      '.keyfenceignore': '',
    });
    const fixed = await doctor(repo);
    expect(fixed.stdout).toContain(
      `keyfence doctor: ok: ${ruleCount()} built-in rules load; configs parse (.keyfence.yaml, packages/api/.keyfence.yml)\n`,
    );
    expect(fixed.exitCode).toBe(0);
  });

  it("compares the Node.js version with keyfence's engines field", () => {
    expect(checkNode('20.19.0', '>=20.19')).toEqual({
      area: 'node',
      ok: true,
      text: 'Node.js 20.19.0 (keyfence needs >=20.19)',
    });
    expect(checkNode('24.1.0', '>=20.19').ok).toBe(true);
    expect(checkNode('20.18.3', '>=20.19')).toEqual({
      area: 'node',
      ok: false,
      text: 'Node.js 20.18.3 is older than keyfence supports (>=20.19)',
      fix: 'install Node.js 20.19 or newer',
    });
    expect(checkNode('18.20.4', '>=20.19').ok).toBe(false);
  });

  it('is a usage error (exit 2, one line) outside a repository, with an argument or an unknown option', async () => {
    const outside = makeTree();
    expect(await runCli(['doctor'], { cwd: outside })).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `keyfence: doctor: ${outside} is not inside a git work tree\n`,
    });
    const repo = project();
    expect(await runCli(['doctor', 'src'], { cwd: repo })).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'keyfence: doctor: takes no arguments, got "src" (run it inside the repository to check)\n',
    });
    expect(await runCli(['doctor', '--fix'], { cwd: repo })).toMatchObject({
      exitCode: 2,
      stderr: 'keyfence: doctor: unknown option --fix (run keyfence doctor --help for usage)\n',
    });
  });

  it('only reads: the repository, its config and hooks are unchanged', async () => {
    const repo = withHook(project({ '.keyfence.yaml': 'fail-on: medium\n' }), HOOK);
    const state = () =>
      [git(repo, 'status', '--porcelain', '--ignored'), git(repo, 'config', '--list', '--local')].join('\n');
    const before = state();
    await doctor(repo);
    expect(state()).toBe(before);
  });
});
