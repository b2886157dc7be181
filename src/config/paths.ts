import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Config file names looked for in each directory, in order of preference. */
export const CONFIG_NAMES = ['.keyfence.yaml', '.keyfence.yml'];
/** Read (translated) when a directory has no keyfence config. */
export const GITLEAKS_CONFIG_NAME = '.gitleaks.toml';
/** Ignore files read at the repository top. */
export const IGNORE_FILE_NAME = '.keyfenceignore';
export const GITLEAKS_IGNORE_NAME = '.gitleaksignore';
/** The baseline file name the docs suggest. */
export const BASELINE_FILE_NAME = '.keyfence-baseline.json';

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
