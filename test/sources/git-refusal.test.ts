import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { ownedByAnotherUser } from '../helpers/git-faults.js';
import { stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

/** A repository whose only secret is in a tracked file that .gitignore also matches. */
function trackedButIgnored(): string {
  const repo = makeGitRepo({
    '.gitignore': '.env\n',
    '.env': `STRIPE_SECRET_KEY=${stripeKey('sk_live', 151)}\n`,
  });
  git(repo, 'add', '-f', '.env', '.gitignore');
  commit(repo, 'init');
  return repo;
}

const DUBIOUS =
  /^keyfence: git [a-z-]+: detected dubious ownership in repository at '[^']+' \(to fix: git config --global --add safe\.directory \S+\)\n$/;

describe('a repository git refuses', () => {
  it('is an error with git’s own message and fix in every mode, never a directory walk', () => {
    const repo = trackedButIgnored();
    const parent = join(repo, '..');
    const env = ownedByAnotherUser(repo);
    for (const [cwd, args] of [
      [parent, ['scan', repo]],
      [repo, ['scan', '.']],
      [repo, ['scan', '--staged']],
      [repo, ['scan', '--history']],
      [repo, ['scan', '--range', 'HEAD~1..HEAD']],
    ] as const) {
      const result = runBin([...args, '-f', 'json'], { cwd, env });
      expect(result.stderr, args.join(' ')).toMatch(DUBIOUS);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
    }
  });

  it('a .git file that points nowhere is an error, not a directory without a repository', () => {
    const dir = makeTree({ '.git': 'gitdir: /nonexistent/keyfence-test\n', 'a.env': 'A=1\n' });
    const result = runBin(['scan', '.'], { cwd: dir });
    expect(result.stderr).toBe('keyfence: git rev-parse: not a git repository: /nonexistent/keyfence-test\n');
    expect(result.exitCode).toBe(2);
  });

  it('without git on PATH, a work tree is an error and a plain directory is walked', () => {
    const repo = trackedButIgnored();
    const noGit = { PATH: join(makeTree(), 'no-such-bin') };
    const inRepo = runBin(['scan', '.'], { cwd: repo, env: noGit });
    expect(inRepo.stderr).toBe(
      `keyfence: ${repo}: is in a git work tree, and git is not found on PATH to list its files (install git, or pass --no-ignore to scan every file)\n`,
    );
    expect(inRepo.exitCode).toBe(2);
    const plain = makeTree({ 'a.env': `STRIPE_SECRET_KEY=${stripeKey('sk_live', 152)}\n` });
    const walked = runBin(['scan', '.', '-f', 'json'], { cwd: plain, env: noGit });
    expect(walked.exitCode).toBe(1);
    expect((JSON.parse(walked.stdout) as { findings: unknown[] }).findings).toHaveLength(1);
  });

  it('outside any repository a directory is walked, honouring .gitignore', () => {
    const dir = makeTree({ '.gitignore': 'ignored.env\n', 'ignored.env': 'X=1\n', 'kept.env': 'Y=1\n' });
    writeFileSync(join(dir, 'other.txt'), 'z\n');
    const result = runBin(['scan', '.', '-f', 'json'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(result.stdout) as { summary: { files: number } }).summary.files).toBe(3);
  });
});
