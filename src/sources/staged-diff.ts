import { holdsDotGit } from './dot-git.js';
import { PATCH_FLAGS, startGitLines, type StartedGit } from './git.js';

/** The `git diff --cached` a staged scan reads: the index against HEAD, as a patch without context. */
export function stagedDiffArgs(maxFileSize: number): string[] {
  return [
    // git calls a blob over this size binary without putting it in the patch; it is then listed as
    // too large from its size alone.
    '-c',
    `core.bigFileThreshold=${maxFileSize}`,
    'diff',
    '--cached',
    ...PATCH_FLAGS,
    '--full-index',
    '--find-renames',
    '--submodule=short',
  ];
}

/** A staged diff started before the scan's modules were loaded, and what it was started for. */
export interface EarlyStagedDiff {
  root: string;
  maxFileSize: number;
  git: StartedGit;
}

/**
 * Starts the staged diff of the repository whose top is `cwd` (where git runs hooks), so that git
 * works while Node loads the scanner: on the pre-commit path the two overlap instead of adding up.
 * Elsewhere (a subdirectory, no repository) undefined: the staged source finds the top itself.
 */
export async function startStagedDiff(
  cwd: string,
  maxFileSize: number,
): Promise<EarlyStagedDiff | undefined> {
  if (!(await holdsDotGit(cwd))) return undefined;
  return { root: cwd, maxFileSize, git: startGitLines(stagedDiffArgs(maxFileSize), cwd) };
}
