/**
 * Values that are base64 (or hex) of text, assigned on a line of their own: Kubernetes Secret `data:`
 * entries, `.env` files of encoded values, JSON configs. Their decoded text is scanned with the
 * assignment's name in front of it, so that rules which need a name (`aws_secret_access_key`,
 * `password`) still see one.
 */

import { asciiTable } from '../ascii-table.js';

/** `name: value` or `name = value`, optionally quoted, the value alone up to the end of the line. */
export const ENCODED_ASSIGNMENT_SOURCE =
  /^([^\S\r\n]*(?:-[^\S\r\n]+)?["']?[\w.-]{1,100}["']?[^\S\r\n]*[:=][^\S\r\n]*["']?)([A-Za-z0-9+/]{16,4096}={0,2})(?=["']?[^\S\r\n]*,?[^\S\r\n]*\r?$)/
    .source;
/** Tried at the start of one line at a time (sticky). */
const ENCODED_ASSIGNMENT = new RegExp(ENCODED_ASSIGNMENT_SOURCE, 'my');
/**
 * What every such line contains: an operator, then 16 characters of the alphabet
 * (`/[:=][^\S\r\n]*["']?[A-Za-z0-9+/]{16}/`). Searching for it and trying the assignment only at
 * the start of the lines that have it is about twice as fast as trying the anchored regex at every
 * position of every chunk (V8 does not skip to line starts); finding the operators with indexOf
 * and reading on from each by hand is faster again than a regex search for them.
 */
class Candidates {
  private colon = -1;
  private equals = -1;

  constructor(private readonly content: string) {}

  /** The first candidate at or after `from`, or -1. */
  next(from: number): number {
    const { content } = this;
    for (;;) {
      if (this.colon !== -2 && this.colon < from) this.colon = nextOrNone(content, ':', from);
      if (this.equals !== -2 && this.equals < from) this.equals = nextOrNone(content, '=', from);
      if (this.colon === -2 && this.equals === -2) return -1;
      const at =
        this.colon === -2 ? this.equals : this.equals === -2 ? this.colon : Math.min(this.colon, this.equals);
      if (valueFollows(content, at + 1)) return at;
      from = at + 1;
    }
  }
}

/** The next `char` at or after `from`, or -2 when there is none (the cursor stays spent). */
function nextOrNone(content: string, char: string, from: number): number {
  const at = content.indexOf(char, from);
  return at === -1 ? -2 : at;
}

/** `[A-Za-z0-9+/]` by character code. */
const BASE64 = asciiTable(/[A-Za-z0-9+/]/);

/** `[^\S\r\n]`: white space other than \r and \n. */
const blank = (code: number) =>
  code === 32 ||
  code === 9 ||
  code === 11 ||
  code === 12 ||
  (code > 127 && /\s/.test(String.fromCharCode(code)));

/** Whether `[^\S\r\n]*["']?[A-Za-z0-9+/]{16}` matches at `at` (its sets are disjoint: no backtracking). */
function valueFollows(content: string, at: number): boolean {
  let index = at;
  while (index < content.length && blank(content.charCodeAt(index))) index++;
  const quote = content.charCodeAt(index);
  if (quote === 34 || quote === 39) index++;
  if (index + 16 > content.length) return false;
  for (const end = index + 16; index < end; index++)
    if (BASE64[content.charCodeAt(index)] !== 1) return false;
  return true;
}
/** What ends a line for `^` and `$` in a multiline regex. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/g;

/**
 * Where to start trying the assignment for a candidate at `at`: after the last \n or \r before it,
 * but not before `from`. Not after U+2028 or U+2029: they end lines for `^`, yet the assignment's
 * whitespace runs may span them, so a line start before one can still match.
 */
function searchStart(content: string, at: number, from: number): number {
  let start = at;
  while (start > from) {
    const code = content.charCodeAt(start - 1);
    if (code === 10 || code === 13) break;
    start--;
  }
  return start;
}

/** Where the line after the one containing `at` starts (the content's length when there is none). */
function nextLine(content: string, at: number): number {
  LINE_TERMINATOR.lastIndex = at;
  const end = LINE_TERMINATOR.exec(content);
  return end ? end.index + 1 : content.length;
}

/** Decoded text worth scanning: valid UTF-8, printable, not trivially short. */
const PRINTABLE = /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/;

export interface EncodedValue {
  /** The line up to the value (the name, the operator, an opening quote). */
  prefix: string;
  /** Offsets of the encoded value in the chunk. */
  start: number;
  end: number;
  decoded: string;
  encoding: 'base64' | 'hex';
}

function decodeBase64Text(value: string): string | undefined {
  const bare = value.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  const bytes = Buffer.from(value, 'base64');
  // Only canonical base64: random identifiers of the right alphabet rarely re-encode to themselves.
  if (bytes.toString('base64').replace(/=+$/, '') !== bare) return undefined;
  const text = bytes.toString('utf8');
  if (text.length < 8 || text.includes('\ufffd') || !PRINTABLE.test(text)) return undefined;
  return text;
}

/** Text from hex digits (an even number, 16 or more), when the bytes are printable UTF-8. */
function decodeHexText(value: string): string | undefined {
  if (value.length < 16 || value.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(value)) return undefined;
  const text = Buffer.from(value, 'hex').toString('utf8');
  if (text.length < 8 || text.includes('\ufffd') || !PRINTABLE.test(text)) return undefined;
  return text;
}

/** A value alone on its line after `name:` or `name =`: the line up to the value, the value, and where it starts. */
export interface Assignment {
  prefix: string;
  value: string;
  start: number;
}

/**
 * What ENCODED_ASSIGNMENT_SOURCE finds as a multiline regex run over `content`: it is tried only at
 * the line starts before a candidate (since the last line it matched or was tried on), in order.
 */
export function assignmentsIn(content: string): Assignment[] {
  const found: Assignment[] = [];
  let from = 0;
  const candidates = new Candidates(content);
  for (let hit = candidates.next(0); hit !== -1; hit = candidates.next(from)) {
    let match: RegExpExecArray | null = null;
    for (let start = searchStart(content, hit, from); start <= hit && !match;) {
      ENCODED_ASSIGNMENT.lastIndex = start;
      match = ENCODED_ASSIGNMENT.exec(content);
      start = nextLine(content, start);
    }
    // At most one assignment per line: go on from the next line.
    from = nextLine(content, match ? ENCODED_ASSIGNMENT.lastIndex : hit);
    if (!match) continue;
    const prefix = match[1] ?? '';
    found.push({ prefix, value: match[2] ?? '', start: match.index + prefix.length });
  }
  return found;
}

/** Every base64- or hex-of-text value assigned on its own line in `content`. */
export function encodedValues(content: string): EncodedValue[] {
  const found: EncodedValue[] = [];
  for (const { prefix, value, start } of assignmentsIn(content)) {
    const hex = decodeHexText(value);
    const decoded = hex ?? decodeBase64Text(value);
    if (decoded === undefined) continue;
    found.push({
      prefix,
      start,
      end: start + value.length,
      decoded,
      encoding: hex === undefined ? 'base64' : 'hex',
    });
  }
  return found;
}
