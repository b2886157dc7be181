/** Paths a memo keeps answers for before it starts over: a history can name millions of paths. */
export const PATH_MEMO_LIMIT = 100_000;

/**
 * Remembers a function's answer per path: a history scan asks about the same few paths for every
 * commit, and globs, path resolution or config lookups cost more than a map lookup.
 */
export function memoized<T extends string | number | boolean | object>(
  compute: (path: string) => T,
): (path: string) => T {
  const answers = new Map<string, T>();
  return (path) => {
    let answer = answers.get(path);
    if (answer === undefined) {
      answer = compute(path);
      if (answers.size >= PATH_MEMO_LIMIT) answers.clear();
      answers.set(path, answer);
    }
    return answer;
  };
}
