import { locate } from './locate.js';
import type { SecretSpan } from './types.js';

/** Where a rule matched a secret in a chunk: offsets (end exclusive), and the secret (decoded, for encoded text). */
export interface MatchedSpan {
  start: number;
  end: number;
  secret: string;
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

/** Every place in `shown` (printed from `column` of line `line`) where one of the secrets occurs. */
function occurrences(
  secrets: readonly string[],
  shown: { text: string; column: number },
  line: number,
): SecretSpan[] {
  const found: SecretSpan[] = [];
  for (const secret of secrets) {
    for (
      let index = shown.text.indexOf(secret);
      index !== -1;
      index = shown.text.indexOf(secret, index + 1)
    ) {
      const column = shown.column + index;
      found.push({ line, column, endLine: line, endColumn: column + secret.length, length: secret.length });
    }
  }
  return found;
}

/**
 * The secrets to mask on each of the given lines (0-based line indexes of the chunk): the matched
 * secrets starting, ending or continuing on it, and any other place in the printed part of the
 * line where the text of a secret matched elsewhere in the chunk recurs. Only lines that hold a
 * finding are ever printed, so only those are looked at.
 */
export function secretsOnLines(
  spans: readonly MatchedSpan[],
  starts: readonly number[],
  startLine: number,
  lineIndexes: readonly number[],
): (lineIndex: number, shown: { text: string; column: number }) => SecretSpan[] {
  const lines = [...new Set(lineIndexes)].sort((a, b) => a - b);
  const byLine = new Map<number, SecretSpan[]>();
  const seen = new Set<string>();
  for (const {
    start,
    end,
    secret: { length },
  } of spans) {
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
  const secrets = [...new Set(spans.map((span) => span.secret))];
  return (lineIndex, shown) => [
    ...(byLine.get(lineIndex) ?? []),
    ...occurrences(secrets, shown, startLine + lineIndex),
  ];
}
