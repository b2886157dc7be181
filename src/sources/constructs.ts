import { asciiTable } from '../ascii-table.js';
import type { AddedText } from './added-lines.js';

/** Lines of a file, 1-based and inclusive. */
export interface LineSpan {
  first: number;
  last: number;
}

/**
 * A line that may lie inside a multi-line construct whose other lines were not changed: a line of
 * base64 alone (PEM, PGP, OpenSSH and PuTTY key bodies), a member with a long token value, in JSON
 * or an object literal (a JSON Web Key's private parts), a PuTTY key's Private-Lines or
 * Private-MAC. Tried at a line start.
 */
const CONSTRUCT_LINE =
  /[ \t]*(?:[A-Za-z0-9+/=]{40,}[ \t]*\r?(?:\n|$)|(?:"[^"\n]{1,64}"|'[^'\n]{1,64}'|[A-Za-z_$][\w$]{0,63})[ \t]*:[ \t]*["'][A-Za-z0-9+/=_-]{40,}|Private-(?:Lines|MAC):)/y;
const MARKER = /-{4,5} ?(?:BEGIN|END) /;

/** Base64 characters, by code. */
const BASE64 = asciiTable(/[A-Za-z0-9+/=]/);
/** What may follow a key body's line in a container: blanks, a closing quote, +, ., ,, ;, ), &, a line continuation. */
const CLOSERS = new Set([' ', '\t', '\r', '"', "'", '`', '+', '.', ',', ';', ')', '&', '_', '\\']);
/** The most text a container puts before a key body's line: a comment marker, an opening quote, a log line's timestamp. */
const BODY_PREFIX = 120;

/**
 * Whether the line at `start` is a key body's line in a container: read back from its end, past
 * what may close it (a quote, `+`, a `\n` escape), it ends with 40 base64 characters, and what
 * comes before them is short (`# `, `  "`, `2024-01-01T00:00:00Z INFO `). Key blocks written as
 * comments, as concatenated string literals or in logs are then widened as plain ones are.
 */
function keyBodyLineAt(text: string, start: number): boolean {
  const newline = text.indexOf('\n', start);
  let at = newline === -1 ? text.length : newline;
  while (at > start && CLOSERS.has(text[at - 1] ?? '')) at--;
  while (at - 2 >= start && text[at - 2] === '\\' && (text[at - 1] === 'n' || text[at - 1] === 'r')) at -= 2;
  const end = at;
  let digits = 0;
  while (at > start && end - at < 40 && BASE64[text.charCodeAt(at - 1)] === 1) {
    const code = text.charCodeAt(--at);
    if (code >= 48 && code <= 57) digits++;
  }
  // Random base64 has a digit every six characters; a URL path or a long identifier (a doc
  // comment's link to Global_Objects/Intl/ListFormat/supportedLocalesOf) usually has none, and
  // holding its file for a key block costs a staged scan a git process.
  if (end - at < 40 || digits < 2) return false;
  while (at > start && BASE64[text.charCodeAt(at - 1)] === 1) at--;
  return at - start <= BODY_PREFIX;
}

const constructLineAt = (text: string, start: number): boolean => {
  CONSTRUCT_LINE.lastIndex = start;
  return CONSTRUCT_LINE.test(text) || keyBodyLineAt(text, start);
};

/**
 * Whether a run of added lines may lie inside a multi-line construct whose other lines did not
 * change: when a key is rotated only its body changes, and the rules that recognise it need its
 * unchanged first and last lines too. Unchanged lines end a run, so a run inside a construct starts
 * and ends with lines of it: only those two are tried, and the run searched for BEGIN/END markers
 * (which the history's hot path can afford; testing every line cost a tenth of a history scan).
 */
export function mayContinueConstruct(text: string): boolean {
  if (text.includes('----') && MARKER.test(text)) return true;
  return (
    constructLineAt(text, 0) || constructLineAt(text, text.lastIndexOf('\n') + 1) || takesNameFromAbove(text)
  );
}

/**
 * A first line that may take its name from the lines above it: a `value` member under its `name`
 * (Kubernetes env lists, ECS and ARM name/value pairs), a field of a .netrc entry (`password X` under
 * `machine host`), an indented argument of a continued command (`-u user:pass` after `curl \`, a
 * JAAS `password="…";`). When only that line changes, the rules need the name's line too.
 */
const VALUE_MEMBER_LINE = String.raw`[ \t]*(?:-[ \t]+)?["']?value["']?[ \t]*[:=]`;
const NETRC_FIELD_LINE = String.raw`[ \t]*(?:password|passwd|login|account)[ \t]+[^\s=:]`;
const NAME_ABOVE = new RegExp(
  String.raw`${VALUE_MEMBER_LINE}|${NETRC_FIELD_LINE}|[ \t]+(?:-{1,2}[A-Za-z]|[\w.-]{1,64}=)`,
  'y',
);

function takesNameFromAbove(text: string): boolean {
  NAME_ABOVE.lastIndex = 0;
  return NAME_ABOVE.test(text);
}

/** Lines searched up and down for an armoured block's or a key file's other end. */
const BLOCK_LINES = 1100;
/** Lines searched up and down for the braces of a JSON object. */
const OBJECT_LINES = 64;

type Marker = 'begin' | 'end' | 'both' | undefined;

const ARMOUR_BEGIN = /-{4,5} ?BEGIN [A-Z0-9 ]{1,64}-{4,5}/;
const ARMOUR_END = /-{4,5} ?END [A-Z0-9 ]{1,64}-{4,5}/;

function armour(line: string): Marker {
  const begins = ARMOUR_BEGIN.test(line);
  const ends = ARMOUR_END.test(line);
  return begins && ends ? 'both' : begins ? 'begin' : ends ? 'end' : undefined;
}

function puttyKey(line: string): Marker {
  if (line.startsWith('PuTTY-User-Key-File-')) return 'begin';
  return line.startsWith('Private-MAC:') ? 'end' : undefined;
}

/** The block between begin and end markers that holds line index `at`, if any. */
function markedBlock(
  lines: readonly string[],
  at: number,
  marker: (line: string) => Marker,
): LineSpan | undefined {
  let start = -1;
  for (let index = at; index >= Math.max(0, at - BLOCK_LINES); index--) {
    const kind = marker(lines[index] ?? '');
    // A block on one line, or one that ends above: the line is in no open block.
    if (kind === 'both' || (kind === 'end' && index < at)) return undefined;
    if (kind === 'begin') {
      start = index;
      break;
    }
  }
  if (start === -1) return undefined;
  const limit = Math.min(lines.length - 1, start + BLOCK_LINES);
  for (let index = start + 1; index <= limit; index++) {
    const kind = marker(lines[index] ?? '');
    if (kind === 'end') return { first: start + 1, last: index + 1 };
    // Another block begins first: this one is not closed, and ends before it.
    if (kind !== undefined) return { first: start + 1, last: index };
  }
  return { first: start + 1, last: limit + 1 };
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/**
 * The pretty-printed JSON object that holds line index `at`: the nearest line above that ends with
 * `{` and is indented less, to the line below indented as much that starts with `}`.
 */
function jsonObject(lines: readonly string[], at: number): LineSpan | undefined {
  const indent = indentOf(lines[at] ?? '');
  for (let index = at - 1; index >= Math.max(0, at - OBJECT_LINES); index--) {
    const line = (lines[index] ?? '').trimEnd();
    if (line.trim() === '' || indentOf(line) >= indent) continue;
    if (!line.endsWith('{')) return undefined;
    const open = indentOf(line);
    for (let end = at + 1; end <= Math.min(lines.length - 1, at + OBJECT_LINES); end++) {
      const below = lines[end] ?? '';
      if (below.trim() === '' || indentOf(below) > open) continue;
      return indentOf(below) === open && below.trimStart().startsWith('}')
        ? { first: index + 1, last: end + 1 }
        : undefined;
    }
    return undefined;
  }
  return undefined;
}

/** Lines searched up for the name a line's value belongs to. */
const NAME_LINES = 8;
const VALUE_MEMBER = new RegExp(`^${VALUE_MEMBER_LINE}`);
const NETRC_FIELD = new RegExp(`^${NETRC_FIELD_LINE}`);
const NETRC_ENTRY = /^[ \t]*(?:machine[ \t]|default\b)/;
const CONTINUED = /(?:\\|[ \t]\^|[ \t]`)\r?$/;

/**
 * The lines from the one that names line index `at`'s value down to it: the list item a YAML
 * `value:` belongs to (`- name: DB_PASSWORD`), the `machine` line of a .netrc field, the first line
 * of a command continued onto it. Only lines above are added, so a value that did not change is
 * not read again unless it shares the command.
 */
function namedFrom(lines: readonly string[], at: number): LineSpan | undefined {
  const line = lines[at] ?? '';
  let first = at;
  if (at > 0 && CONTINUED.test(lines[at - 1] ?? '')) {
    while (first > 0 && at - first < 4 * NAME_LINES && CONTINUED.test(lines[first - 1] ?? '')) first--;
  } else if (VALUE_MEMBER.test(line)) {
    const indent = indentOf(line);
    for (let index = at - 1; index >= Math.max(0, at - NAME_LINES); index--) {
      const above = lines[index] ?? '';
      if (above.trim() === '') break;
      if (indentOf(above) > indent) continue;
      if (indentOf(above) < indent || above.trimStart().startsWith('-')) first = index;
      break;
    }
  } else if (NETRC_FIELD.test(line)) {
    for (let index = at - 1; index >= Math.max(0, at - NAME_LINES); index--) {
      if (NETRC_ENTRY.test(lines[index] ?? '')) {
        first = index;
        break;
      }
    }
  }
  return first < at ? { first: first + 1, last: at + 1 } : undefined;
}

/** Every construct that holds line index `at`. */
function constructsAt(lines: readonly string[], at: number): LineSpan[] {
  return [
    markedBlock(lines, at, armour),
    markedBlock(lines, at, puttyKey),
    jsonObject(lines, at),
    namedFrom(lines, at),
  ].filter((span): span is LineSpan => span !== undefined);
}

/**
 * The spans of added lines, each widened to the whole constructs its first and last line lie in,
 * in `lines` (the new version of the file), then sorted and merged. A span whose text cannot
 * continue a construct is kept as it is.
 */
export function widenToConstructs(
  lines: readonly string[],
  spans: readonly (LineSpan & { text: string })[],
): LineSpan[] {
  const widened = spans.map(({ first, last, text }) => {
    if (!mayContinueConstruct(text)) return { first, last };
    const around = [...constructsAt(lines, first - 1), ...constructsAt(lines, last - 1)];
    return {
      first: Math.min(first, ...around.map((span) => span.first)),
      last: Math.max(last, ...around.map((span) => span.last)),
    };
  });
  widened.sort((a, b) => a.first - b.first);
  const merged: LineSpan[] = [];
  for (const span of widened) {
    const previous = merged[merged.length - 1];
    if (previous && span.first <= previous.last + 1) previous.last = Math.max(previous.last, span.last);
    else merged.push({ ...span });
  }
  return merged;
}

const lineCount = (text: string): number => {
  let count = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
};

/**
 * Runs of added text, widened to the constructs they lie in and cut from `next` (the whole new
 * version): a rotated key's new body is scanned with its unchanged BEGIN and END lines, at its
 * real line numbers. The new version is only split into lines when some run needs it.
 */
export function addedWithConstructs(added: AddedText[], next: Buffer | string): AddedText[] {
  if (!added.some((run) => mayContinueConstruct(run.text))) return added;
  const lines = (typeof next === 'string' ? next : next.toString('utf8')).split('\n');
  const spans = added.map((run) => ({
    first: run.startLine,
    last: run.startLine + lineCount(run.text) - 1,
    text: run.text,
  }));
  return widenToConstructs(lines, spans).map(({ first, last }) => ({
    startLine: first,
    text: lines.slice(first - 1, last).join('\n'),
  }));
}
