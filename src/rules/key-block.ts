import type { Extracted } from './types.js';

/**
 * The body of an armoured key block (PEM, OpenSSH, PGP) in whatever holds it: plain lines, `\n`
 * escapes, a comment prefix on each line (`# `, `// `, ` * `, `;`, `--`, `>`), string literals
 * concatenated across lines (`"…\n" +`, Python's implicit concatenation, Go raw strings), or log
 * lines that each start with a timestamp. The container is read from the BEGIN line (the text
 * before the marker); its decoration is removed line by line, and what is left must be optional
 * headers (`Proc-Type:`, `Comment:`), then base64. One pass over the text, no backtracking regex.
 */

/** Text taken out of a container, with the offset in the container of each of its characters. */
class Unwrapped {
  readonly chars: string[] = [];
  readonly offsets: number[] = [];

  push(char: string, at: number): void {
    this.chars.push(char);
    this.offsets.push(at);
  }
}

/** What holds the block, read from the text before the BEGIN marker on its line. */
type Container =
  | { kind: 'plain' }
  | { kind: 'string'; quote: string }
  | { kind: 'comment'; marker: string }
  | { kind: 'log' };

const QUOTES = new Set(['"', "'", '`']);
/** A comment marker at the start of the BEGIN line. */
const COMMENT_LEAD = /^[ \t]*(#+|\/\/+|\/\*+|\*+|;+|-{2,}|>|%+|!+|')/;
/** A timestamp that starts a log line: ISO 8601, `2024/01/01 00:00`, syslog `Jan  1 00:00:00`, `00:00:00.123`. */
const TIMESTAMP =
  /[ \t]*\[?(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{4}\/\d{2}\/\d{2}[T ]\d{2}:\d{2}|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\d{2}:\d{2}:\d{2}[.,]\d)/y;

function containerOf(lineBefore: string): Container {
  const last = lineBefore.at(-1) ?? '';
  if (QUOTES.has(last)) return { kind: 'string', quote: last };
  const comment = COMMENT_LEAD.exec(lineBefore)?.[1];
  if (comment !== undefined) return { kind: 'comment', marker: comment };
  TIMESTAMP.lastIndex = 0;
  if (TIMESTAMP.test(lineBefore)) return { kind: 'log' };
  return { kind: 'plain' };
}

const isBlank = (char: string | undefined): boolean => char === ' ' || char === '\t';

/** Where the text after a comment marker starts on a line (the marker is optional on body lines). */
function afterComment(text: string, at: number, end: number, marker: string): number {
  let index = at;
  while (index < end && isBlank(text[index])) index++;
  const first = marker[0];
  if (first === '/' && marker[1] === '/') {
    // Exactly as many slashes as the BEGIN line has: a body line may itself start with a slash.
    if (text.startsWith(marker, index)) index += marker.length;
  } else if (first === '/' || first === '*') {
    if (text[index] === '/' && text[index + 1] === '*') index++;
    while (index < end && text[index] === '*') index++;
  } else if (first === '>') {
    while (index < end && (text[index] === '>' || isBlank(text[index]))) index++;
  } else if (first === "'") {
    if (text[index] === "'") index++;
  } else {
    while (index < end && text[index] === first) index++;
  }
  return index;
}

/** How many blank-separated words text[start, end) holds. */
function wordCount(text: string, start: number, end: number): number {
  let count = 0;
  for (let index = start; index < end; index++) {
    if (!isBlank(text[index]) && text[index] !== '\r' && (index === start || isBlank(text[index - 1]))) count++;
  }
  return count;
}

/** Where the text after the first `words` blank-separated words of text[start, end) starts. */
function afterWords(text: string, start: number, end: number, words: number): number {
  let index = start;
  for (let word = 0; word < words; word++) {
    while (index < end && isBlank(text[index])) index++;
    while (index < end && !isBlank(text[index])) index++;
  }
  while (index < end && isBlank(text[index])) index++;
  return index;
}

/**
 * Copies text[from, to) into `out`, turning `\n` and `\r` escapes into line breaks (JSON, .env and
 * YAML double-quoted values hold keys on one line that way) and dropping a backslash that ends the
 * line: a Java `.properties` value or a shell string continued on the next line (`key=…\n\`).
 */
function copyUnescaped(text: string, from: number, to: number, out: Unwrapped): void {
  for (let index = from; index < to; index++) {
    const char = text[index] ?? '';
    const next = text[index + 1];
    if (char === '\\' && (index + 1 === to || (next === '\r' && index + 2 === to))) break;
    if (char === '\\' && (next === 'n' || next === 'r') && index + 1 < to) {
      if (next === 'n') out.push('\n', index);
      index++;
    } else out.push(char, index);
  }
}

/**
 * Line by line: each line's decoration (comment marker, log prefix) is dropped, the rest copied. A
 * log line's prefix is as many words as the END marker's line has before the marker (timestamp,
 * level, logger, host: `2024-01-01T00:00:00Z INFO app `), so that an empty message is still empty.
 */
function unwrapLines(text: string, container: Container): Unwrapped {
  const out = new Unwrapped();
  const lastLine = text.lastIndexOf('\n') + 1;
  TIMESTAMP.lastIndex = lastLine;
  const logWords = container.kind === 'log' && TIMESTAMP.test(text) ? wordCount(text, lastLine, text.length) : 0;
  let start = 0;
  let first = true;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    let from = start;
    // The first line is the rest of the BEGIN line: it has no prefix of its own.
    if (!first && container.kind === 'comment') from = afterComment(text, start, end, container.marker);
    else if (!first && logWords > 0) {
      TIMESTAMP.lastIndex = start;
      if (TIMESTAMP.test(text)) from = afterWords(text, start, end, logWords);
    }
    copyUnescaped(text, from, end, out);
    if (newline === -1) break;
    out.push('\n', end);
    first = false;
    start = end + 1;
  }
  return out;
}

const ESCAPED: Record<string, string> = { n: '\n', t: ' ', r: '' };

/**
 * The content of the string literals the block is written in, as the language joins them: the text
 * starts inside a literal opened by `quote`; outside literals (operators, line breaks, `+`, `.`,
 * parentheses, comments) nothing is kept until the next literal of the same quote opens.
 */
function unwrapStrings(text: string, quote: string): Unwrapped {
  const out = new Unwrapped();
  let inside = true;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (!inside) {
      if (char === quote) inside = true;
      continue;
    }
    if (char === quote) inside = false;
    else if (char === '\\' && index + 1 < text.length) {
      const next = text[index + 1] ?? '';
      // A backslash before a line break continues the literal on the next line (C, shell).
      const replacement = next === '\n' ? '' : (ESCAPED[next] ?? next);
      if (replacement !== '') out.push(replacement, index);
      index++;
    } else out.push(char, index);
  }
  return out;
}

/** A PEM or armour header line (RFC 1421 `Proc-Type:`, `DEK-Info:`; OpenPGP `Version:`, `Comment:`). */
const HEADER = /^[A-Za-z][A-Za-z0-9-]{0,63}:/;
/** Base64, in one or more runs separated by blanks. */
const BODY = /^[A-Za-z0-9+/=]+(?:[ \t]+[A-Za-z0-9+/=]+)*$/;

/**
 * The key body in `text` (what lies between a BEGIN and an END marker), given the text before the
 * BEGIN marker on its line: the span from the body's first character to its last (container
 * decoration between body lines included, so that the span is a piece of the file), and the body
 * without its container, one base64 run per line. Undefined when anything but headers, blank lines
 * and base64 is left once the container is removed.
 */
export function keyBlock(text: string, context: { lineBefore: string }): Extracted | undefined {
  const container = containerOf(context.lineBefore);
  const unwrapped =
    container.kind === 'string' ? unwrapStrings(text, container.quote) : unwrapLines(text, container);
  const { chars, offsets } = unwrapped;
  const content = chars.join('');
  const runs: string[] = [];
  let start = -1;
  let end = -1;
  let lineStart = 0;
  while (lineStart <= content.length) {
    const newline = content.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? content.length : newline;
    let from = lineStart;
    let to = lineEnd;
    while (from < to && /[ \t\r]/.test(content[from] ?? '')) from++;
    while (to > from && /[ \t\r]/.test(content[to - 1] ?? '')) to--;
    const line = content.slice(from, to);
    lineStart = lineEnd + 1;
    if (line === '' || (start === -1 && HEADER.test(line))) continue;
    if (!BODY.test(line)) return undefined;
    if (start === -1) start = offsets[from] ?? 0;
    end = (offsets[to - 1] ?? 0) + 1;
    runs.push(...line.split(/[ \t]+/));
  }
  if (start === -1) return undefined;
  return { start, end, value: runs.join('\n') };
}
