import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { git, gitLines } from './git.js';

/**
 * Whether a history scan of `revs` is cut short by a shallow clone: whether one of the commits it
 * walks is a shallow boundary, a commit whose parents the clone does not have. A range whose
 * commits are all present with their parents (a pull request fetched deep enough) is whole,
 * shallow clone or not.
 */
export async function cutShortByShallowClone(
  revs: readonly string[],
  limit: readonly string[],
  root: string,
): Promise<boolean> {
  if ((await git(['rev-parse', '--is-shallow-repository'], root)).trim() !== 'true') return false;
  const file = resolve(root, (await git(['rev-parse', '--git-path', 'shallow'], root)).trim());
  const boundary = new Set(
    (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((sha) => sha !== ''),
  );
  // A shallow clone whose boundary cannot be read: say the history may be incomplete.
  if (boundary.size === 0) return true;
  // The same walk as the scan's (a --max-count limit picks the same newest commits).
  for await (const shas of gitLines(['rev-list', ...limit, '--date-order', ...revs, '--'], root)) {
    if (shas.some((sha) => boundary.has(sha))) return true;
  }
  return false;
}
