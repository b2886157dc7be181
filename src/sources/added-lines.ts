/** Lines one version of a file adds to another, numbered in the new version. */
export interface AddedText {
  /** 1-based line number of the first line in the new version. */
  startLine: number;
  /** The lines, joined with '\n' (no final newline). */
  text: string;
}

const NEWLINE = 10;
const BLOCK = 4096;

/** The largest n in [0, most] for which `equal(n)` holds, given that it holds for every smaller n. */
function longestEqual(most: number, equal: (length: number) => boolean): number {
  let low = 0;
  let high = most;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (equal(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Length of the common prefix of a and b, compared natively: whole blocks, then a binary search
 * inside the first block that differs (a dozen comparisons instead of a byte loop in JavaScript).
 */
function commonPrefix(a: Buffer, b: Buffer): number {
  const limit = Math.min(a.length, b.length);
  let at = 0;
  while (at + BLOCK <= limit && a.compare(b, at, at + BLOCK, at, at + BLOCK) === 0) at += BLOCK;
  return at + longestEqual(Math.min(BLOCK, limit - at), (n) => a.compare(b, at, at + n, at, at + n) === 0);
}

/** Length of the common suffix of a and b, at most `limit` bytes; compared as in commonPrefix. */
function commonSuffix(a: Buffer, b: Buffer, limit: number): number {
  // Whether the n bytes before the last `from` bytes are the same in both.
  const equalBefore = (from: number, n: number) =>
    a.compare(b, b.length - from - n, b.length - from, a.length - from - n, a.length - from) === 0;
  let length = 0;
  while (length + BLOCK <= limit && equalBefore(length, BLOCK)) length += BLOCK;
  return length + longestEqual(Math.min(BLOCK, limit - length), (n) => equalBefore(length, n));
}

function countNewlines(buffer: Buffer, end: number): number {
  let count = 0;
  for (let at = buffer.indexOf(NEWLINE); at !== -1 && at < end; at = buffer.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

const isLineStart = (buffer: Buffer, at: number) => at === 0 || buffer[at - 1] === NEWLINE;

/** Adds each line of bytes [start, end) to `known` (a final newline ends the last line). */
function addLines(known: Set<string>, buffer: Buffer, start: number, end: number): void {
  if (start >= end) return;
  const text = buffer.toString('utf8', start, buffer[end - 1] === NEWLINE ? end - 1 : end);
  for (const line of text.split('\n')) known.add(line);
}

/**
 * The lines of `next` that none of the `previous` versions has, as runs of consecutive lines. The
 * unchanged head and tail are found by comparing bytes; in between, a line counts as added unless the
 * same line occurs in the changed part of the first parent's version or anywhere in another parent's
 * (merges). That is `git diff -U0`'s added lines, except that a line moved within the changed part is
 * not re-reported: the question a secret scan asks is which text is new, not how to edit one file into
 * the other. Cost is proportional to the changed part, not to the file.
 */
export function addedLines(previous: readonly Buffer[], next: Buffer): AddedText[] {
  const [first, ...others] = previous;
  let start = 0;
  let end = next.length;
  const known = new Set<string>();
  if (first !== undefined) {
    const prefix = commonPrefix(first, next);
    start = prefix === 0 ? 0 : next.lastIndexOf(NEWLINE, prefix - 1) + 1;
    const suffix = commonSuffix(first, next, Math.min(first.length, next.length) - start);
    end = next.length - suffix;
    // The tail must start a line in both versions; inside the common tail the bytes before agree.
    if (!(isLineStart(next, end) && isLineStart(first, first.length - suffix))) {
      const newline = next.indexOf(NEWLINE, end);
      end = newline === -1 ? next.length : newline + 1;
    }
    addLines(known, first, start, first.length - (next.length - end));
  }
  for (const other of others) addLines(known, other, 0, other.length);
  if (start >= end) return [];
  const firstLine = 1 + countNewlines(next, start);
  const text = next.toString('utf8', start, next[end - 1] === NEWLINE ? end - 1 : end);
  if (known.size === 0) return [{ startLine: firstLine, text }];
  // Runs of lines not in `known`, cut from the decoded text without copying line by line.
  const added: AddedText[] = [];
  let runStart = -1;
  let runLine = 0;
  let line = firstLine;
  let at = 0;
  for (;;) {
    const newline = text.indexOf('\n', at);
    const lineEnd = newline === -1 ? text.length : newline;
    if (known.has(text.slice(at, lineEnd))) {
      if (runStart !== -1) added.push({ startLine: runLine, text: text.slice(runStart, at - 1) });
      runStart = -1;
    } else if (runStart === -1) {
      runStart = at;
      runLine = line;
    }
    if (newline === -1) break;
    at = newline + 1;
    line++;
  }
  if (runStart !== -1) added.push({ startLine: runLine, text: text.slice(runStart) });
  return added;
}
