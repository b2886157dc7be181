import { globMatcher } from '../rules/compile.js';

/** Why a path is not scanned (listed as skipped), or undefined to scan it. */
export type PathFilter = (path: string) => string | undefined;

/**
 * `--include` and `--exclude` as one test that gives the reason a path is left out, naming the
 * option and glob, so that the summary lists it like any other skip. Undefined when neither is
 * given (nothing to load: globs that are not simple suffixes load micromatch on first use).
 */
export function pathFilter(include: readonly string[], exclude: readonly string[]): PathFilter | undefined {
  if (include.length === 0 && exclude.length === 0) return undefined;
  const included = globMatcher(include);
  const excluded = exclude.map((glob) => ({ glob, matches: globMatcher([glob]) ?? (() => false) }));
  const outside = `not matched by --include ${include.join(', ')}`;
  return (path) => {
    if (included && !included(path)) return outside;
    const glob = excluded.find((entry) => entry.matches(path))?.glob;
    return glob === undefined ? undefined : `excluded by --exclude ${glob}`;
  };
}
