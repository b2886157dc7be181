import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { REPO } from '../helpers/package.js';
import { preCommitCommand } from '../helpers/pre-commit.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree, tryCommit } from '../helpers/tree.js';

/**
 * Every test installs keyfence from this checkout's HEAD through .pre-commit-hooks.yaml, as a user's
 * `repo:` line would. One PRE_COMMIT_HOME for the file: pre-commit builds the environment (npm
 * install, npm pack, which builds dist in prepack, npm install -g) once per repo and rev.
 */
let home = '';
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'keyfence-pre-commit-home-'));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

const rev = () => git(REPO, 'rev-parse', 'HEAD').trim();
const config = (...hooks: string[]) =>
  `repos:\n  - repo: ${REPO}\n    rev: ${rev()}\n    hooks:\n${hooks.map((id) => `      - id: ${id}\n`).join('')}`;

/** A repository whose .pre-commit-config.yaml uses keyfence's hooks, committed, with pre-commit installed for `types`. */
function setUp(types: string[], hooks: string[] = ['keyfence']) {
  const repo = makeGitRepo({ '.pre-commit-config.yaml': config(...hooks), 'README.md': '# app\n' });
  commit(repo, 'init');
  const env = { ...process.env, PRE_COMMIT_HOME: home, NO_COLOR: '1' };
  const run = (args: string[], cwd = repo) => {
    const result = spawnSync(preCommitCommand(), args, { cwd, env, encoding: 'utf8' });
    return { status: result.status, output: result.stdout + result.stderr };
  };
  for (const type of types) {
    const install = run(['install', '--hook-type', type]);
    expect(install.status, install.output).toBe(0);
  }
  return { repo, env, run };
}

const state = (repo: string) => git(repo, 'ls-files', '-s') + git(repo, 'rev-parse', 'HEAD');

describe('the pre-commit framework', () => {
  it('blocks a commit whose staged content adds a secret, and passes a clean one', () => {
    const { repo, env } = setUp(['pre-commit']);
    writeFileSync(join(repo, 'clean.txt'), 'nothing secret\n');
    git(repo, 'add', 'clean.txt');
    const clean = tryCommit(repo, ['-m', 'clean'], env);
    expect(clean.status, clean.output).toBe(0);
    expect(clean.output).toMatch(/keyfence \(secrets in files\)\.+Passed/);

    writeFileSync(join(repo, 'deploy.env'), `REGION=eu\nGITHUB_TOKEN=${githubToken('ghp', 71)}\n`);
    git(repo, 'add', 'deploy.env');
    const before = state(repo);
    const blocked = tryCommit(repo, ['-m', 'deploy'], env);
    expect(blocked.status).not.toBe(0);
    expect(blocked.output).toMatch(/keyfence \(secrets in files\)\.+Failed/);
    expect(blocked.output).toContain('--> deploy.env:2:14');
    expect(state(repo)).toBe(before);
  }, 600_000);

  it('checks what the commit contains: a secret staged and then deleted from the working tree still blocks it, one only in the working tree does not', () => {
    const { repo, env } = setUp(['pre-commit']);
    const token = githubToken('ghp', 72);
    writeFileSync(join(repo, 'app.env'), `TOKEN=${token}\n`);
    git(repo, 'add', 'app.env');
    writeFileSync(join(repo, 'app.env'), 'TOKEN=${TOKEN}\n');
    const staged = tryCommit(repo, ['-m', 'staged secret'], env);
    expect(staged.status).not.toBe(0);
    expect(staged.output).toContain('--> app.env:1:7');

    git(repo, 'add', 'app.env');
    writeFileSync(join(repo, 'app.env'), `TOKEN=${token}\n`);
    const unstaged = tryCommit(repo, ['-m', 'clean config'], env);
    expect(unstaged.status, unstaged.output).toBe(0);
    expect(git(repo, 'show', 'HEAD:app.env')).toBe('TOKEN=${TOKEN}\n');
  }, 600_000);

  it('`pre-commit run --all-files` fails naming a token committed with --no-verify, and passes once it is gone', () => {
    const { repo, run } = setUp(['pre-commit']);
    writeFileSync(join(repo, 'notes.md'), '# notes\n');
    writeFileSync(join(repo, 'billing.py'), `import os\nSTRIPE_KEY = "${stripeKey('sk_live', 73)}"\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '--no-verify', '-m', 'billing');

    const all = run(['run', '--all-files']);
    expect(all.status).toBe(1);
    expect(all.output).toMatch(/keyfence \(secrets in files\)\.+Failed/);
    expect(all.output).toContain('--> billing.py:2:15');
    const named = run(['run', '--files', 'billing.py']);
    expect(named.status).toBe(1);
    expect(named.output).toContain('--> billing.py:2:15');
    expect(run(['run', '--files', 'notes.md']).status).toBe(0);

    writeFileSync(join(repo, 'billing.py'), 'import os\nSTRIPE_KEY = os.environ["STRIPE_KEY"]\n');
    git(repo, 'commit', '-q', '--no-verify', '-am', 'read the key from the environment');
    const clean = run(['run', '--all-files']);
    expect(clean.status, clean.output).toBe(0);
    expect(clean.output).toMatch(/keyfence \(secrets in files\)\.+Passed/);
  }, 600_000);

  it('the pre-push hook blocks a push of commits that add a secret, on an existing and on a new branch, and lets clean pushes through', () => {
    const { repo, env } = setUp(['pre-push'], ['keyfence-pre-push']);
    const remote = makeTree();
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    git(repo, 'remote', 'add', 'origin', remote);
    const push = (...args: string[]) => {
      const result = spawnSync('git', ['push', ...args], { cwd: repo, env, encoding: 'utf8' });
      return { status: result.status, output: result.stdout + result.stderr };
    };
    const remoteHead = (branch: string) =>
      spawnSync('git', ['rev-parse', '--verify', '-q', `refs/heads/${branch}`], {
        cwd: remote,
        encoding: 'utf8',
      }).stdout.trim();

    // The first push of a repository holds its root commit: pre-commit passes no range then.
    const first = push('-u', 'origin', 'main');
    expect(first.status, first.output).toBe(0);
    expect(first.output).toMatch(/keyfence \(secrets in pushed commits\)\.+Passed/);

    writeFileSync(join(repo, 'ci.sh'), `#!/bin/sh\nexport GH_TOKEN=${githubToken('ghp', 74)}\n`);
    commit(repo, 'ci script');
    writeFileSync(join(repo, 'ci.sh'), '#!/bin/sh\nexport GH_TOKEN="$CI_TOKEN"\n');
    commit(repo, 'read the token from CI');
    const pushedBefore = remoteHead('main');
    const blocked = push('origin', 'main');
    expect(blocked.status).not.toBe(0);
    expect(blocked.output).toMatch(/keyfence \(secrets in pushed commits\)\.+Failed/);
    expect(blocked.output).toContain('--> ci.sh:2:');
    expect(remoteHead('main')).toBe(pushedBefore);

    git(repo, 'reset', '-q', '--hard', 'origin/main');
    git(repo, 'switch', '-q', '-c', 'feature');
    writeFileSync(join(repo, 'feature.txt'), 'a feature\n');
    commit(repo, 'feature');
    writeFileSync(join(repo, 'settings.py'), `STRIPE = "${stripeKey('sk_live', 75)}"\n`);
    commit(repo, 'settings');
    const newBranch = push('-u', 'origin', 'feature');
    expect(newBranch.status).not.toBe(0);
    expect(newBranch.output).toContain('--> settings.py:1:');
    expect(remoteHead('feature')).toBe('');

    git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    const clean = push('-u', 'origin', 'feature');
    expect(clean.status, clean.output).toBe(0);
    expect(clean.output).toMatch(/keyfence \(secrets in pushed commits\)\.+Passed/);
    expect(remoteHead('feature')).toBe(git(repo, 'rev-parse', 'HEAD').trim());
  }, 600_000);
});

describe('keyfence scan --pushed', () => {
  it('with an all-zero from-ref (a new branch) scans only the commits the remote does not have', () => {
    const repo = makeGitRepo();
    const remote = makeTree();
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    git(repo, 'remote', 'add', 'origin', remote);
    writeFileSync(join(repo, 'old.env'), `TOKEN=${githubToken('ghp', 76)}\n`);
    commit(repo, 'an old secret, already pushed');
    git(repo, 'push', '-q', 'origin', 'main');
    git(repo, 'switch', '-q', '-c', 'feature');
    writeFileSync(join(repo, 'new.env'), `TOKEN=${githubToken('ghp', 77)}\n`);
    const sha = commit(repo, 'a new secret');
    const env = {
      PRE_COMMIT_FROM_REF: '0'.repeat(40),
      PRE_COMMIT_TO_REF: sha,
      PRE_COMMIT_REMOTE_NAME: 'origin',
    };
    const result = runBin(['scan', '--pushed', '--format', 'json'], { cwd: repo, env });
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as {
      findings: { path: string }[];
      summary: { commits: number };
    };
    expect(report.findings.map((finding) => finding.path)).toEqual(['new.env']);
    expect(report.summary.commits).toBe(1);

    git(repo, 'push', '-q', 'origin', 'feature');
    const again = runBin(['scan', '--pushed'], { cwd: repo, env });
    expect(again).toMatchObject({ exitCode: 0, stdout: '' });
    expect(again.stderr).toBe(`keyfence: every commit of ${sha} is already on origin: nothing to scan\n`);
  });

  it('outside the pre-push hook is a one-line error with exit 2', () => {
    const repo = makeGitRepo();
    commit(repo, 'init');
    const result = runBin(['scan', '--pushed'], { cwd: repo, env: { PRE_COMMIT_TO_REF: '' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      "keyfence: --pushed: no pushed commits: PRE_COMMIT_TO_REF is not set (--pushed runs as the pre-commit framework's pre-push hook, keyfence-pre-push)\n",
    );
    expect(runBin(['scan', '--pushed', '--since', 'HEAD'], { cwd: repo }).stderr).toBe(
      'keyfence: --pushed and --since: use one of them\n',
    );
    const dashed = runBin(['scan', '--pushed'], { cwd: repo, env: { PRE_COMMIT_TO_REF: '--output=x' } });
    expect(dashed).toMatchObject({
      exitCode: 2,
      stderr: 'keyfence: --pushed: PRE_COMMIT_TO_REF: "--output=x" is not a revision\n',
    });
    const deletion = runBin(['scan', '--pushed'], { cwd: repo, env: { PRE_COMMIT_TO_REF: '0'.repeat(40) } });
    expect(deletion).toMatchObject({
      exitCode: 0,
      stderr: 'keyfence: the push deletes a ref: nothing to scan\n',
    });
  });

  it('says so when a new branch joins the remote at several commits, and scans more rather than less', () => {
    const repo = makeGitRepo();
    const remote = makeTree();
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    git(repo, 'remote', 'add', 'origin', remote);
    const base = commit(repo, 'base');
    git(repo, 'push', '-q', 'origin', 'main');
    git(repo, 'switch', '-q', '-c', 'other', base);
    writeFileSync(join(repo, 'other.txt'), 'other\n');
    commit(repo, 'other');
    git(repo, 'push', '-q', 'origin', 'other');
    git(repo, 'switch', '-q', 'main');
    writeFileSync(join(repo, 'main.txt'), 'main\n');
    const mainTip = commit(repo, 'main');
    git(repo, 'push', '-q', 'origin', 'main');
    git(repo, 'switch', '-q', '-c', 'feature');
    git(repo, 'merge', '-q', '--no-edit', 'origin/other');
    writeFileSync(join(repo, 'new.env'), `TOKEN=${githubToken('ghp', 78)}\n`);
    const sha = commit(repo, 'a new secret');
    const env = {
      PRE_COMMIT_FROM_REF: '0'.repeat(40),
      PRE_COMMIT_TO_REF: sha,
      PRE_COMMIT_REMOTE_NAME: 'origin',
    };
    const result = runBin(['scan', '--pushed', '--format', 'json'], { cwd: repo, env });
    expect(result.exitCode).toBe(1);
    const first = git(repo, 'rev-list', '--boundary', sha, '--not', '--remotes=origin')
      .split('\n')
      .find((line) => line.startsWith('-'))
      ?.slice(1, 13);
    expect([mainTip.slice(0, 12), git(repo, 'rev-parse', 'origin/other').slice(0, 12)]).toContain(first);
    expect(result.stderr).toBe(
      `keyfence: note: the pushed commits join origin at 2 commits; scanning ${first ?? ''}..${sha.slice(0, 12)}, which may include commits origin already has\n`,
    );
    const report = JSON.parse(result.stdout) as { findings: { path: string }[] };
    expect(report.findings.map((finding) => finding.path)).toEqual(['new.env']);
  });
});
