import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/package.js';
import { githubToken } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree, tryCommit } from '../helpers/tree.js';

describe('the pre-commit framework', () => {
  it('installs keyfence from this repository via .pre-commit-hooks.yaml and blocks a staged secret', () => {
    const rev = git(REPO, 'rev-parse', 'HEAD').trim();
    const repo = makeGitRepo({
      '.pre-commit-config.yaml': `repos:\n  - repo: ${REPO}\n    rev: ${rev}\n    hooks:\n      - id: keyfence\n`,
    });
    commit(repo, 'init');
    const env = { ...process.env, PRE_COMMIT_HOME: makeTree(), NO_COLOR: '1' };
    const run = (command: string, ...args: string[]) =>
      spawnSync(command, args, { cwd: repo, env, encoding: 'utf8' });
    const install = run('pre-commit', 'install');
    expect(install.error, 'pre-commit must be on PATH (.ci/run installs the Debian package)').toBeUndefined();
    expect(install.status, install.stdout + install.stderr).toBe(0);

    writeFileSync(join(repo, 'clean.txt'), 'nothing secret\n');
    git(repo, 'add', 'clean.txt');
    const clean = tryCommit(repo, ['-m', 'clean'], env);
    expect(clean.status, clean.output).toBe(0);
    expect(clean.output).toMatch(/keyfence \(secrets in staged changes\)\.+Passed/);

    writeFileSync(join(repo, 'deploy.env'), `REGION=eu\nGITHUB_TOKEN=${githubToken('ghp', 71)}\n`);
    git(repo, 'add', 'deploy.env');
    const before = git(repo, 'ls-files', '-s') + git(repo, 'rev-parse', 'HEAD');
    const blocked = tryCommit(repo, ['-m', 'deploy'], env);
    const output = blocked.output;
    expect(blocked.status).not.toBe(0);
    expect(output).toMatch(/keyfence \(secrets in staged changes\)\.+Failed/);
    expect(output).toContain('--> deploy.env:2:14');
    expect(output).toContain('keyfence blocked this commit');
    expect(git(repo, 'ls-files', '-s') + git(repo, 'rev-parse', 'HEAD')).toBe(before);
  }, 240_000);
});
