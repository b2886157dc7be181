import { locate } from './locate.js';
import type { SecretSpan } from './types.js';

/** Where a rule matched a secret in a chunk: offsets (end exclusive), and the secret (decoded, for encoded text). */
export interface MatchedSpan {
  start: number;
  end: number;
  secret: string;
}

/** The part of a line a report prints: its text and the column of its first character. */
export interface Shown {
  text: string;
  column: number;
  /** The line goes on after the text (it was clipped on the right). */
  continues?: boolean;
}

/** Index of the first element of a sorted array that is at least `value`. */
function firstAtLeast<T>(sorted: readonly T[], value: number, key: (item: T) => number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const item = sorted[middle];
    if (item !== undefined && key(item) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Secrets are looked up by a hash of at most this many of their first characters. */
const KEY_LENGTH = 16;

/** One step of the hash of a text's first characters, kept within V8's small integers (no allocation). */
const step = (hash: number, code: number): number => (hash * 31 + code) & 0x3fffffff;

/**
 * Finds where any of the secrets occurs in a printed part of a line, in one pass: at each
 * position the hash of the next 1..16 characters is looked up (secrets sharing a prefix such as
 * `ghp_` still land in different buckets), not each secret searched for in turn.
 */
function recurrenceFinder(secrets: readonly string[]): (shown: Shown, line: number) => SecretSpan[] {
  /** By key length: secrets by the hash of their first (key length) characters. */
  const buckets: (Map<number, string[]> | undefined)[] = [];
  const firsts = new Set<number>();
  let deepest = 0;
  for (const secret of secrets) {
    const length = Math.min(secret.length, KEY_LENGTH);
    let hash = 0;
    for (let index = 0; index < length; index++) hash = step(hash, secret.charCodeAt(index));
    const byHash = (buckets[length] ??= new Map<number, string[]>());
    const list = byHash.get(hash);
    if (list) list.push(secret);
    else byHash.set(hash, [secret]);
    firsts.add(secret.charCodeAt(0));
    deepest = Math.max(deepest, length);
  }
  return ({ text, column }, line) => {
    const found: SecretSpan[] = [];
    for (let index = 0; index < text.length; index++) {
      if (!firsts.has(text.charCodeAt(index))) continue;
      let hash = 0;
      for (let length = 1; length <= deepest && index + length <= text.length; length++) {
        hash = step(hash, text.charCodeAt(index + length - 1));
        for (const secret of buckets[length]?.get(hash) ?? []) {
          if (!text.startsWith(secret, index)) continue;
          const start = column + index;
          found.push({
            line,
            column: start,
            endLine: line,
            endColumn: start + secret.length,
            length: secret.length,
          });
        }
      }
    }
    return found;
  };
}

/** The secrets touching one line: those inside it by start column, and the few that cross its ends. */
interface LineIndex {
  line: number;
  inside: SecretSpan[];
  /** The longest secret inside the line: none starting further left can reach a window. */
  longest: number;
  crossing: SecretSpan[];
}

function indexLine(line: number, secrets: readonly SecretSpan[]): LineIndex {
  const inside = secrets
    .filter((secret) => secret.line === line && secret.endLine === line)
    .sort((a, b) => a.column - b.column);
  return {
    line,
    inside,
    longest: inside.reduce((most, secret) => Math.max(most, secret.endColumn - secret.column), 0),
    crossing: secrets.filter((secret) => secret.line !== line || secret.endLine !== line),
  };
}

/** The secrets of the line that overlap columns [from, to). */
function overlapping(index: LineIndex, from: number, to: number): SecretSpan[] {
  const found = index.crossing.filter(
    (secret) =>
      (secret.line === index.line ? secret.column : 1) < to &&
      (secret.endLine === index.line ? secret.endColumn : Number.POSITIVE_INFINITY) > from,
  );
  const { inside } = index;
  for (
    let at = firstAtLeast(inside, from - index.longest, (secret) => secret.column);
    at < inside.length;
    at++
  ) {
    const secret = inside[at];
    if (!secret || secret.column >= to) break;
    if (secret.endColumn > from) found.push(secret);
  }
  return found;
}

/**
 * The secrets to mask where findings' lines are printed (`printed`: 0-based line indexes in the
 * chunk and the part of each line shown): the matched secrets starting, ending or continuing
 * there, and any place where the text of a secret matched elsewhere in the chunk recurs. Each
 * printed line is indexed once and each look-up costs what is printed, so a minified line with a
 * thousand findings is not searched a thousand times.
 */
export function secretsOnLines(
  spans: readonly MatchedSpan[],
  content: string,
  starts: readonly number[],
  startLine: number,
  printed: readonly { lineIndex: number; shown: Shown }[],
): (lineIndex: number, shown: Shown) => SecretSpan[] {
  const ranges = new Map<number, { from: number; to: number }>();
  for (const { lineIndex, shown } of printed) {
    const range = ranges.get(lineIndex);
    const to = shown.column + shown.text.length;
    if (range)
      ranges.set(lineIndex, { from: Math.min(range.from, shown.column), to: Math.max(range.to, to) });
    else ranges.set(lineIndex, { from: shown.column, to });
  }
  const lines = [...ranges.keys()].sort((a, b) => a - b);
  const byLine = new Map<number, SecretSpan[]>(lines.map((lineIndex) => [lineIndex, []]));
  for (const { start, end, secret } of spans) {
    const begin = locate(starts, start);
    const finish = locate(starts, end);
    const span: SecretSpan = {
      line: startLine + begin.lineIndex,
      column: begin.column,
      endLine: startLine + finish.lineIndex,
      endColumn: finish.column,
      length: secret.length,
    };
    for (let at = firstAtLeast(lines, begin.lineIndex, (line) => line); at < lines.length; at++) {
      const lineIndex = lines[at] ?? 0;
      if (lineIndex > finish.lineIndex) break;
      byLine.get(lineIndex)?.push(span);
    }
  }
  const recurrences = recurrenceFinder([...new Set(spans.map((span) => span.secret))]);
  const indexes = new Map<number, LineIndex>();
  for (const [lineIndex, { from, to }] of ranges) {
    const lineStart = starts[lineIndex] ?? 0;
    const shown = { text: content.slice(lineStart + from - 1, lineStart + to - 1), column: from };
    const line = startLine + lineIndex;
    const found = [...(byLine.get(lineIndex) ?? []), ...recurrences(shown, line)];
    indexes.set(lineIndex, indexLine(line, found));
  }
  return (lineIndex, shown) => {
    const index = indexes.get(lineIndex);
    return index ? overlapping(index, shown.column, shown.column + shown.text.length) : [];
  };
}
