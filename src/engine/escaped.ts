/**
 * Lines that hold code as the text of a JSON string: a Jupyter notebook keeps each line of a cell
 * as `"    api_key = \"…\"\n",`, and a JSON config can hold a JSON document as one escaped string.
 * Rules that key on a name next to a quoted value do not see `\"` as a quote; the same line with
 * its string escapes undone reads to them as the code it stands for.
 */
export interface EscapedLine {
  /** The line with `\"`, `\\`, `\/`, `\'`, `\t`, `\n` and `\r` undone. */
  text: string;
  /**
   * For each character of `text`, the offset in the chunk of what it was read from, and one more
   * entry for the line's end: text[a..b) was read from chunk[offsets[a]..offsets[b]).
   */
  offsets: Int32Array;
}

/** Longer lines (minified bundles) are left alone: their cost would double for a rare find. */
const MAX_LINE = 16 * 1024;

const SIMPLE: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  "'": "'",
  t: '\t',
  n: '\n',
  r: '\r',
};

/**
 * Whether the escaped quote at `at` opens a value: it follows `=`, `:`, `(` or `,` (an assignment,
 * a JSON member, an argument). Source code is full of `\"` inside ordinary strings; only lines
 * with one that opens a value are unescaped.
 */
function opensValue(content: string, at: number): boolean {
  let before = at - 1;
  while (before >= 0 && (content[before] === ' ' || content[before] === '\t')) before--;
  const char = content[before];
  return char === '=' || char === ':' || char === '(' || char === ',';
}

/** Every line of `content` where an escaped quote opens a value, unescaped. */
export function escapedLines(content: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  for (let at = content.indexOf('\\"'); at !== -1;) {
    if (!opensValue(content, at)) {
      at = content.indexOf('\\"', at + 2);
      continue;
    }
    const start = content.lastIndexOf('\n', at) + 1;
    const newline = content.indexOf('\n', at);
    const end = newline === -1 ? content.length : newline;
    if (end - start <= MAX_LINE) found.push(unescape(content, start, end));
    at = newline === -1 ? -1 : content.indexOf('\\"', newline);
  }
  return found;
}

function unescape(content: string, start: number, end: number): EscapedLine {
  let text = '';
  const offsets = new Int32Array(end - start + 1);
  let length = 0;
  for (let index = start; index < end; index++) {
    const char = content[index] ?? '';
    const unescaped = char === '\\' && index + 1 < end ? SIMPLE[content[index + 1] ?? ''] : undefined;
    offsets[length++] = index;
    if (unescaped === undefined) text += char;
    else {
      text += unescaped;
      index++;
    }
  }
  offsets[length] = end;
  return { text, offsets: offsets.subarray(0, length + 1) };
}
