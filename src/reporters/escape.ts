/**
 * Characters that steer a terminal or a CI log rather than show: C0 controls (tab aside), DEL, C1
 * controls (CSI and NEL among them), line and paragraph separators, and the bidirectional
 * controls that reorder what a reader sees (Trojan Source).
 */
const CONTROL =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' };

/** A character as a visible escape: `\n`, `\x1b`, `\u202e`. */
function escapeCharacter(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text with every control character shown as a visible escape, so it cannot move the cursor, recolour, or add a line. */
export function escapeControls(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, escapeCharacter) : text;
}

/**
 * CI log commands that a runner takes anywhere in a line: GitHub's `##[command]`, Azure Pipelines'
 * `##vso[command]` (`##vso[task.prependpath]` changes the PATH of every later step) and TeamCity's
 * `##teamcity[message]`. Their `[` is what is shown escaped.
 */
const LOG_COMMAND = /##[A-Za-z]*\[/;
const LOG_COMMANDS = new RegExp(LOG_COMMAND.source, 'g');

/**
 * `escapeControls` of the parts joined, returned part by part (so that a caret can be placed under
 * one part), and with the `[` of a log command (LOG_COMMAND: `##[`, `##vso[`) shown as `\x5b`:
 * `##[stop-commands]` would silence every annotation after it on GitHub.
 */
export function printableParts(parts: readonly string[]): string[] {
  const joined = parts.join('');
  if (!CONTROL.test(joined) && !LOG_COMMAND.test(joined)) return [...parts];
  const brackets = new Set(
    [...joined.matchAll(LOG_COMMANDS)].map((match) => match.index + match[0].length - 1),
  );
  const shown: string[] = [];
  let offset = 0;
  for (const part of parts) {
    let out = '';
    for (let index = 0; index < part.length; index++) {
      const character = part[index] ?? '';
      if (CONTROL.test(character)) out += escapeCharacter(character);
      else if (brackets.has(offset + index)) out += '\\x5b';
      else out += character;
    }
    shown.push(out);
    offset += part.length;
  }
  return shown;
}

/** Text safe to print on a terminal or in a CI log: visible escapes for control characters and log commands. */
export function printable(text: string): string {
  return printableParts([text])[0] ?? '';
}

/**
 * Text that starts a printed line: `printable`, and a leading `::` (after blanks) shown as `\x3a:`,
 * since GitHub's runner takes a line starting with `::command::` as a workflow command.
 */
export function printableLineStart(text: string): string {
  return printable(text).replace(/^(\s*):(?=:)/, '$1\\x3a');
}

/** Characters JSON.stringify leaves raw that still steer a terminal: DEL, C1, separators, bidi controls. */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text (from JSON.stringify) with the control characters it leaves raw, and the `[` of log
 * commands (`##[`, `##vso[`), written as `\uXXXX` escapes: the same value to a JSON parser, inert
 * on a terminal or in a CI log.
 */
export function inertJson(json: string): string {
  return json
    .replace(JSON_RAW, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(LOG_COMMANDS, (command) => `${command.slice(0, -1)}\\u005b`);
}

/**
 * Markdown that shows `value` as written: control characters as visible escapes, and every ASCII
 * punctuation mark backslash-escaped, so a path, commit or author cannot add HTML, links, emphasis,
 * headings or table cells.
 */
export const markdownText = (value: string): string =>
  escapeControls(value).replace(/[!-/:-@[-`{-~]/g, '\\$&');

/**
 * A Markdown code span holding `value` literally: control characters as visible escapes, a fence
 * longer than any backtick run in it, and in a table cell pipes escaped (GFM unescapes them there).
 * A value holding a log command (`##[`, `##vso[`) is escaped text instead: a code span shows
 * backslashes as they are, so it could not keep a runner from taking the command when the Markdown
 * is printed in a CI log.
 */
export function markdownCode(value: string, inTable = false): string {
  if (LOG_COMMAND.test(value)) return markdownText(value);
  const escaped = escapeControls(value);
  const shown = inTable ? escaped.replace(/\|/g, '\\|') : escaped;
  if (shown === '') return '';
  const fence = '`'.repeat(Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = /^[` ]|[` ]$/.test(shown) ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** Code units XML 1.0 forbids that `printable` leaves: lone surrogates and the noncharacters U+FFFE and U+FFFF. */
const XML_FORBIDDEN =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

const XML_ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A raw tab in an attribute value reads back as a space (attribute-value normalisation).
  '\t': '&#9;',
};

/**
 * Text for an XML element or attribute value: `printable` (control characters, which XML 1.0
 * forbids or a CI log would obey, as visible escapes), the other characters XML forbids as
 * `\uXXXX`, and markup characters as entities, so that scanned text can neither end an element
 * nor make the document unreadable.
 */
export function xmlText(text: string): string {
  return printable(text)
    .replace(XML_FORBIDDEN, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>"'\t]/g, (character) => XML_ENTITY[character] ?? character);
}
