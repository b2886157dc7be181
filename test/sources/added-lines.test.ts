import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addedLines, type AddedText } from '../../src/sources/added-lines.js';

/**
 * addedLines written the plain way: common head and tail byte by byte, then the changed middle of
 * the first version and every other version split into a set of lines (as bytes: two invalid UTF-8
 * sequences that both decode to U+FFFD are different lines); runs of lines of the new version's
 * middle not in the set, decoded.
 */
function addedByText(previous: readonly Buffer[], next: Buffer): AddedText[] {
  const [first, ...others] = previous;
  const known = new Set<string>();
  const addLines = (buffer: Buffer, start: number, end: number) => {
    if (start >= end) return;
    const text = buffer.toString('latin1', start, buffer[end - 1] === 10 ? end - 1 : end);
    for (const line of text.split('\n')) known.add(line);
  };
  let start = 0;
  let end = next.length;
  if (first !== undefined) {
    let prefix = 0;
    while (prefix < Math.min(first.length, next.length) && first[prefix] === next[prefix]) prefix++;
    start = prefix === 0 ? 0 : next.lastIndexOf(10, prefix - 1) + 1;
    let suffix = 0;
    const most = Math.min(first.length, next.length) - start;
    while (suffix < most && first[first.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
    end = next.length - suffix;
    const lineStart = (buffer: Buffer, at: number) => at === 0 || buffer[at - 1] === 10;
    if (!(lineStart(next, end) && lineStart(first, first.length - suffix))) {
      const newline = next.indexOf(10, end);
      end = newline === -1 ? next.length : newline + 1;
    }
    addLines(first, start, first.length - (next.length - end));
  }
  for (const other of others) addLines(other, 0, other.length);
  if (start >= end) return [];
  let line = 1;
  for (let at = 0; at < start; at++) if (next[at] === 10) line++;
  const text = next.toString('latin1', start, next[end - 1] === 10 ? end - 1 : end);
  const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');
  if (known.size === 0) return [{ startLine: line, text: utf8(text) }];
  const added: AddedText[] = [];
  let run: { startLine: number; lines: string[] } | undefined;
  for (const current of text.split('\n')) {
    if (known.has(current)) {
      if (run) added.push({ startLine: run.startLine, text: utf8(run.lines.join('\n')) });
      run = undefined;
    } else if (run) run.lines.push(current);
    else run = { startLine: line, lines: [current] };
    line++;
  }
  if (run) added.push({ startLine: run.startLine, text: utf8(run.lines.join('\n')) });
  return added;
}

// Few distinct lines, so that lines repeat, move and come back; CRLF, blank lines, non-ASCII text
// and invalid UTF-8 (two different sequences that both decode to U+FFFD).
const lineArb = fc.constantFrom('{', '}', '', ' ', 'a = 1;', 'a = 1;\r', 'b = "x"', 'héllo', '\u2028z', 'ok');
const rawLineArb = fc.oneof(
  { weight: 9, arbitrary: lineArb.map((line) => Buffer.from(line)) },
  { weight: 1, arbitrary: fc.constantFrom(Buffer.from([0x61, 0xff]), Buffer.from([0x61, 0xfe])) },
);
const fileArb = fc.tuple(fc.array(rawLineArb, { maxLength: 30 }), fc.boolean()).map(([lines, newline]) => {
  const parts: Buffer[] = [];
  lines.forEach((line, index) => {
    parts.push(line);
    if (index < lines.length - 1 || newline) parts.push(Buffer.from('\n'));
  });
  return Buffer.concat(parts);
});
/** A new version made from an old one by a few edits, so that head and tail are shared. */
const editedArb = fileArb.chain((old) =>
  fc
    .tuple(fc.nat({ max: old.length }), fc.nat({ max: 40 }), fileArb)
    .map(([at, removed, inserted]): [Buffer, Buffer] => [
      old,
      Buffer.concat([old.subarray(0, at), inserted, old.subarray(at + removed)]),
    ]),
);

describe('addedLines', () => {
  it('finds the runs a plain line comparison finds, for one version and for merges', () => {
    fc.assert(
      fc.property(editedArb, fc.array(fileArb, { maxLength: 2 }), ([old, next], others) => {
        const previous: Buffer[] = [old, ...others];
        expect(addedLines(previous, next)).toEqual(addedByText(previous, next));
        expect(addedLines([], next)).toEqual(addedByText([], next));
      }),
      { numRuns: 2000 },
    );
  });

  it('numbers runs in the new version and leaves out lines the old version had', () => {
    const old = Buffer.from('a\n}\nb\nc\n');
    const next = Buffer.from('a\nx\n}\ny\nc\n');
    expect(addedLines([old], next)).toEqual([
      { startLine: 2, text: 'x' },
      { startLine: 4, text: 'y' },
    ]);
  });

  it('tells apart lines whose hashes collide, and keeps thousands of lines apart', () => {
    // 'kmo4' and 'k5652' have the same 32-bit hash: a line is known by its bytes, not its hash.
    expect(addedLines([Buffer.from('a\nkmo4\nb\n')], Buffer.from('a\nk5652\nb\n'))).toEqual([
      { startLine: 2, text: 'k5652' },
    ]);
    expect(addedLines([Buffer.from('a\nkmo4\nb\n')], Buffer.from('a\nkmo4\nc\n'))).toEqual([
      { startLine: 3, text: 'c' },
    ]);
    // Many lines (the table grows), shuffled so that head and tail differ; every tenth line is new.
    const lines = Array.from(
      { length: 20_000 },
      (_, index) => `line ${(index * 7919) % 20_000} = ${index % 13}`,
    );
    const next = lines.map((line, index) => (index % 10 === 3 ? `new ${index}` : line)).reverse();
    const previous = [Buffer.from(`${lines.join('\n')}\n`)];
    expect(addedLines(previous, Buffer.from(`${next.join('\n')}\n`))).toEqual(
      addedByText(previous, Buffer.from(`${next.join('\n')}\n`)),
    );
    // The table kept between calls starts empty: the same lines are new again against an empty version.
    expect(addedLines([Buffer.from('x\n')], Buffer.from('line 0 = 0\n'))).toEqual([
      { startLine: 1, text: 'line 0 = 0' },
    ]);
  });
});
