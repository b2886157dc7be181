import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';

/** File contents by relative path; strings are written as UTF-8, buffers as they are. */
export type Tree = Record<string, string | Buffer>;

/** Writes a tree of files under `root`. */
export function writeTree(root: string, files: Tree): void {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** A fresh temporary directory holding `files`, removed when the current test finishes. */
export function makeTree(files: Tree = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'keyfence-test-'));
  onTestFinished(() => {
    rmSync(root, { recursive: true, force: true });
  });
  writeTree(root, files);
  return root;
}

/** Runs git in `cwd` with a fixed identity, returning stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

/** A temporary git repository (main branch) holding `files`, untracked until the test adds them. */
export function makeGitRepo(files: Tree = {}): string {
  const root = makeTree();
  git(root, 'init', '-q', '-b', 'main');
  // No automatic gc: after thousands of commits (property tests) it runs detached and can still be
  // writing into .git while the test removes the directory (ENOTEMPTY).
  git(root, 'config', 'gc.auto', '0');
  git(root, 'config', 'maintenance.auto', 'false');
  writeTree(root, files);
  return root;
}

/** Stages everything and commits; returns the new commit's sha. */
export function commit(cwd: string, message: string, ...paths: string[]): string {
  git(cwd, 'add', '--', ...(paths.length > 0 ? paths : ['.']));
  git(cwd, 'commit', '-q', '--allow-empty', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD').trim();
}

/** Runs `git commit` the way a user does, hooks included; returns its exit status and all output. */
export function tryCommit(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; output: string } {
  const run = spawnSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', 'commit', ...args],
    {
      cwd,
      encoding: 'utf8',
      env: { ...env, NO_COLOR: '1' },
    },
  );
  return { status: run.status, output: run.stdout + run.stderr };
}
