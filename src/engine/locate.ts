/** Offsets at which each line of `content` starts; lines end at \n (a preceding \r stays in the line). */
export function lineStarts(content: string): number[] {
  const starts = [0];
  let index = content.indexOf('\n');
  while (index !== -1) {
    starts.push(index + 1);
    index = content.indexOf('\n', index + 1);
  }
  return starts;
}

/** Maps an offset to a 0-based line index and a 1-based column (UTF-16 code units). */
export function locate(starts: readonly number[], offset: number): { lineIndex: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { lineIndex: low, column: offset - (starts[low] ?? 0) + 1 };
}

/** Maps a 0-based line index and 1-based column back to an offset (inverse of locate). */
export function offsetOf(starts: readonly number[], lineIndex: number, column: number): number {
  return (starts[lineIndex] ?? 0) + column - 1;
}

const CONTEXT = 80;

/**
 * The line that holds `offset`, without its line ending, clipped to a window around [from, to);
 * `continues` when the line goes on after the window.
 */
export function lineAround(
  content: string,
  starts: readonly number[],
  lineIndex: number,
  from: number,
  to: number,
): { text: string; column: number; continues: boolean } {
  const lineStart = starts[lineIndex] ?? 0;
  let lineEnd = starts[lineIndex + 1] ?? content.length;
  if (lineEnd > lineStart && content[lineEnd - 1] === '\n') lineEnd--;
  if (lineEnd > lineStart && content[lineEnd - 1] === '\r') lineEnd--;
  const start = Math.max(lineStart, from - CONTEXT);
  const end = Math.min(lineEnd, Math.max(to, from) + CONTEXT);
  return { text: content.slice(start, end), column: start - lineStart + 1, continues: end < lineEnd };
}
