import { join, relative, sep } from 'node:path';
import { memoized } from '../memo.js';

/** Path of a repository file as the user sees it from `cwd`. */
function displayFromRoot(root: string, path: string, cwd: string): string {
  if (root === cwd) return path;
  const shown = relative(cwd, join(root, path));
  return (shown === '' ? path : shown).split(sep).join('/');
}

/** displayFromRoot with a cache: a history scan asks for the same few paths many times. */
export function displayPaths(root: string, cwd: string): (path: string) => string {
  return memoized((path) => displayFromRoot(root, path, cwd));
}
