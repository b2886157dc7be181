import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Whether `dir` holds `.git`: a directory, or a file naming one (a linked worktree, a submodule). */
export async function holdsDotGit(dir: string): Promise<boolean> {
  return (await stat(join(dir, '.git')).catch(() => undefined)) !== undefined;
}

/** The closest directory from `dir` up that holds `.git`, or undefined. */
export async function closestDotGit(dir: string): Promise<string | undefined> {
  for (let current = dir; ; current = dirname(current)) {
    if (await holdsDotGit(current)) return current;
    if (dirname(current) === current) return undefined;
  }
}
