import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Forward slashes, whatever the platform: globs and stored paths use them. */
export const posix = (path: string): string => path.split(sep).join('/');

/**
 * A finding or chunk path (relative to the cwd) as seen from `dir`: configs, ignore files and
 * baselines write their paths relative to their own directory.
 */
export const relativeTo = (dir: string, cwd: string, path: string): string =>
  posix(relative(dir, resolve(cwd, path)));

/** How a file is named in messages: relative to the cwd when it is below it. */
export function shownPath(file: string, cwd: string): string {
  const shown = relative(cwd, file);
  return shown.startsWith('..') || isAbsolute(shown) ? file : posix(shown);
}
