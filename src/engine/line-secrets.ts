import { locate } from './locate.js';
import type { SecretSpan } from './types.js';

/** Where a rule matched a secret in a chunk: offsets (end exclusive) and the secret's length. */
export interface MatchedSpan {
  start: number;
  end: number;
  length: number;
}

/** Index of the first element of a sorted array that is at least `value`. */
function firstAtLeast(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The matched secrets that touch each of the given lines (0-based line indexes of the chunk):
 * those starting, ending or continuing on it. Only lines that hold a finding are ever printed, so
 * spans are looked up for those lines only.
 */
export function secretsOnLines(
  spans: readonly MatchedSpan[],
  starts: readonly number[],
  startLine: number,
  lineIndexes: readonly number[],
): (lineIndex: number) => SecretSpan[] {
  const lines = [...new Set(lineIndexes)].sort((a, b) => a - b);
  const byLine = new Map<number, SecretSpan[]>();
  const seen = new Set<string>();
  for (const { start, end, length } of spans) {
    // Several rules often match the same text (a provider rule and a generic one).
    const key = `${start}:${end}:${length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const begin = locate(starts, start);
    const finish = locate(starts, end);
    const secret: SecretSpan = {
      line: startLine + begin.lineIndex,
      column: begin.column,
      endLine: startLine + finish.lineIndex,
      endColumn: finish.column,
      length,
    };
    for (let index = firstAtLeast(lines, begin.lineIndex); index < lines.length; index++) {
      const line = lines[index] ?? 0;
      if (line > finish.lineIndex) break;
      const list = byLine.get(line);
      if (list) list.push(secret);
      else byLine.set(line, [secret]);
    }
  }
  return (lineIndex) => byLine.get(lineIndex) ?? [];
}
