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

/** Slots of a table kept between calls; a table grown past this for a large file is let go after it. */
const KEPT_SLOTS = 1 << 14;

/**
 * Lines of byte ranges, looked up by the line's bytes: a hash of each line in an open-address
 * table, and on a hash hit the bytes compared, so membership is exact. No line is
 * decoded or copied: the old versions' lines are never needed as text. One table serves every call
 * (cleared after each), since allocating typed arrays per change cost more than the lookups.
 */
class LineSet {
  size = 0;
  private slots = new Int32Array(KEPT_SLOTS);
  private hashes = new Int32Array(KEPT_SLOTS / 2);
  private starts = new Int32Array(KEPT_SLOTS / 2);
  private ends = new Int32Array(KEPT_SLOTS / 2);
  private owners = new Int32Array(KEPT_SLOTS / 2);
  private buffers: Buffer[] = [];

  /** Adds each line of bytes [start, end) of `buffer` (a final newline ends the last line). */
  addLines(buffer: Buffer, start: number, end: number): void {
    if (start >= end) return;
    const owner = this.buffers.push(buffer) - 1;
    const last = buffer[end - 1] === NEWLINE ? end - 1 : end;
    for (let at = start; ;) {
      let lineEnd = buffer.indexOf(NEWLINE, at);
      if (lineEnd === -1 || lineEnd > last) lineEnd = last;
      const hash = hashBytes(buffer, at, lineEnd);
      if (this.find(hash, buffer, at, lineEnd) === -1) this.insert(hash, owner, at, lineEnd);
      if (lineEnd >= last) return;
      at = lineEnd + 1;
    }
  }

  /** Whether bytes [start, end) of `buffer` are one of the lines added. */
  has(buffer: Buffer, start: number, end: number): boolean {
    return this.find(hashBytes(buffer, start, end), buffer, start, end) !== -1;
  }

  /** Empties the set and lets go of the versions it refers to. */
  clear(): void {
    if (this.slots.length > KEPT_SLOTS) {
      this.slots = new Int32Array(KEPT_SLOTS);
      this.hashes = new Int32Array(KEPT_SLOTS / 2);
      this.starts = new Int32Array(KEPT_SLOTS / 2);
      this.ends = new Int32Array(KEPT_SLOTS / 2);
      this.owners = new Int32Array(KEPT_SLOTS / 2);
    } else if (this.size > 0) this.slots.fill(0);
    this.size = 0;
    this.buffers = [];
  }

  private find(hash: number, buffer: Buffer, start: number, end: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = (this.slots[slot] as number) - 1;
      if (entry === -1) return -1;
      if (this.hashes[entry] === hash && this.sameBytes(entry, buffer, start, end)) return entry;
    }
  }

  private sameBytes(entry: number, buffer: Buffer, start: number, end: number): boolean {
    const from = this.starts[entry] as number;
    const length = end - start;
    if ((this.ends[entry] as number) - from !== length) return false;
    const other = this.buffers[this.owners[entry] as number] as Buffer;
    if (length < 32) {
      for (let index = 0; index < length; index++)
        if (other[from + index] !== buffer[start + index]) return false;
      return true;
    }
    return other.compare(buffer, start, end, from, from + length) === 0;
  }

  private insert(hash: number, owner: number, start: number, end: number): void {
    if (this.size === this.hashes.length) this.grow();
    const entry = this.size++;
    this.hashes[entry] = hash;
    this.owners[entry] = owner;
    this.starts[entry] = start;
    this.ends[entry] = end;
    this.place(entry, hash);
  }

  private place(entry: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private grow(): void {
    const capacity = this.hashes.length * 2;
    const widen = (array: Int32Array): Int32Array<ArrayBuffer> => {
      const wider = new Int32Array(capacity);
      wider.set(array);
      return wider;
    };
    this.hashes = widen(this.hashes);
    this.starts = widen(this.starts);
    this.ends = widen(this.ends);
    this.owners = widen(this.owners);
    this.slots = new Int32Array(capacity * 2);
    for (let entry = 0; entry < this.size; entry++) this.place(entry, this.hashes[entry] as number);
  }
}

/** A 32-bit multiplicative hash of bytes [start, end), four bytes a step. */
function hashBytes(buffer: Buffer, start: number, end: number): number {
  let hash = end - start;
  let at = start;
  for (; at + 4 <= end; at += 4) {
    const word =
      (buffer[at] as number) |
      ((buffer[at + 1] as number) << 8) |
      ((buffer[at + 2] as number) << 16) |
      ((buffer[at + 3] as number) << 24);
    hash = Math.imul(hash ^ word, 0x9e3779b1);
    hash ^= hash >>> 15;
  }
  for (; at < end; at++) hash = Math.imul(hash ^ (buffer[at] as number), 0x01000193);
  return hash ^ (hash >>> 16);
}

const known = new LineSet();

/**
 * The lines of `next` that none of the `previous` versions has, as runs of consecutive lines. The
 * unchanged head and tail are found by comparing bytes; in between, a line counts as added unless the
 * same line (the same bytes) occurs in the changed part of the first parent's version or anywhere in
 * another parent's (merges). That is `git diff -U0`'s added lines, except that a line moved within
 * the changed part is not re-reported: the question a secret scan asks is which text is new, not how
 * to edit one file into the other. Cost is proportional to the changed part, not to the file.
 */
export function addedLines(previous: readonly Buffer[], next: Buffer): AddedText[] {
  try {
    return addedAgainst(known, previous, next);
  } finally {
    known.clear();
  }
}

function addedAgainst(known: LineSet, previous: readonly Buffer[], next: Buffer): AddedText[] {
  const [first, ...others] = previous;
  let start = 0;
  let end = next.length;
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
    known.addLines(first, start, first.length - (next.length - end));
  }
  for (const other of others) known.addLines(other, 0, other.length);
  if (start >= end) return [];
  const firstLine = 1 + countNewlines(next, start);
  const last = next[end - 1] === NEWLINE ? end - 1 : end;
  if (known.size === 0) return [{ startLine: firstLine, text: next.toString('utf8', start, last) }];
  // Runs of lines not in `known`, each decoded once: a run starts and ends at a newline, which no
  // UTF-8 sequence contains, so decoding runs apart gives the text decoding them together would.
  const added: AddedText[] = [];
  let runStart = -1;
  let runLine = 0;
  let line = firstLine;
  for (let at = start; ;) {
    let lineEnd = next.indexOf(NEWLINE, at);
    if (lineEnd === -1 || lineEnd > last) lineEnd = last;
    if (known.has(next, at, lineEnd)) {
      if (runStart !== -1) added.push({ startLine: runLine, text: next.toString('utf8', runStart, at - 1) });
      runStart = -1;
    } else if (runStart === -1) {
      runStart = at;
      runLine = line;
    }
    if (lineEnd >= last) break;
    at = lineEnd + 1;
    line++;
  }
  if (runStart !== -1) added.push({ startLine: runLine, text: next.toString('utf8', runStart, last) });
  return added;
}
