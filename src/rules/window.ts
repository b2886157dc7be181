/**
 * The window a rule's regex implies when it has none: rules shaped `(?<![\w.-])[\w.-]{0,N}?` followed
 * by a keyword (or by a group each of whose alternatives starts with a keyword) cannot match more
 * than N characters before a keyword, and a token rule `(?<![…])(?<secret>ghp_…` starts at its
 * keyword (window 0), so the engine may try them only there instead of over the whole chunk.
 * Anything else has no implied window and runs over the chunk.
 */
const NAME_PREFIX = /^\(\?<!\[\\w\.-\]\)\[\\w\.-\]\{0,(\d+)\}\?/;

/**
 * The alternatives of a group's body: `source` from `start` (just after the group's opening) to its
 * closing parenthesis, split at top-level bars. With `whole`, the body runs to the end of `source`
 * (the regex itself). Undefined when the parentheses do not balance.
 */
function alternatives(source: string, start: number, whole = false): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = start;
  for (let index = start; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      index++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') {
      if (depth === 0) {
        if (whole) return undefined;
        parts.push(source.slice(from, index));
        return parts;
      }
      depth--;
    } else if (char === '|' && depth === 0) {
      parts.push(source.slice(from, index));
      from = index + 1;
    }
  }
  if (!whole || depth !== 0) return undefined;
  parts.push(source.slice(from));
  return parts;
}

const startsWithKeyword = (text: string, keywords: readonly string[]) =>
  keywords.some((keyword) => /^[\w-]+$/.test(keyword) && text.toLowerCase().startsWith(keyword));

/** A leading negative lookbehind of one character class, then the secret group opening. */
const TOKEN_START = /^(?:\(\?<!\[(?:\\.|[^\]\\])*\]\))?\(\?<secret>/;

/** Whether `rest` starts with a keyword, or with a group each of whose alternatives does. */
function keywordFirst(rest: string, keywords: readonly string[]): boolean {
  if (startsWithKeyword(rest, keywords)) return true;
  if (!rest.startsWith('(?:')) return false;
  const options = alternatives(rest, 3);
  return options?.every((option) => startsWithKeyword(option, keywords)) === true;
}

export function impliedWindow(regex: string, keywords: readonly string[]): number | undefined {
  if (keywords.length === 0) return undefined;
  // A bar outside any group would start a second pattern without the shape checked below.
  if (alternatives(regex, 0, true)?.length !== 1) return undefined;
  const prefix = NAME_PREFIX.exec(regex);
  if (prefix) return keywordFirst(regex.slice(prefix[0].length), keywords) ? Number(prefix[1]) : undefined;
  // A token that starts with its keyword (`ghp_`, `AKIA`): the match starts at the keyword, and so
  // must every alternative of the secret group.
  const token = TOKEN_START.exec(regex);
  if (!token) return undefined;
  const options = alternatives(regex, token[0].length);
  return options?.every((option) => keywordFirst(option, keywords)) === true ? 0 : undefined;
}

/** A leading negative lookbehind of one character class: `(?<![…])`. */
const LEADING_EXCLUSION = /^\(\?<!(\[(?:\\.|[^\]\\])*\])\)/;

/**
 * The ASCII characters that, just before a position, rule out a match starting there: those of
 * the regex's leading negative lookbehind `(?<![…])`, as a table by character code. Undefined when
 * the regex has none. Lets the engine skip such offsets without running the regex.
 */
export function leadingExclusion(regex: string, flags = ''): Uint8Array | undefined {
  const lookbehind = LEADING_EXCLUSION.exec(regex);
  if (!lookbehind?.[1]) return undefined;
  let test: RegExp;
  try {
    test = new RegExp(`^${lookbehind[1]}$`, flags.replace(/[^iu]/g, ''));
  } catch {
    return undefined;
  }
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) table[code] = test.test(String.fromCharCode(code)) ? 1 : 0;
  return table;
}

/** Where the group opened at `open` closes (escapes and classes skipped); -1 when it does not. */
function closingParen(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let index = open; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') index++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index;
  }
  return -1;
}

const NAME_START = '(?<![\\w.-])';
const NAME_RUN = /^\[\\w\.-\]\{0,\d+\}\?/;

/**
 * Whether a regex is an assignment rule's name: `(?<![\w.-])`, any negative lookaheads, then
 * `[\w.-]{0,N}?` up to its keyword. Such a match starts where the run of name characters that holds
 * a keyword starts, so the engine tries that one offset per keyword instead of every offset in the
 * window.
 */
export function startsAtNameRun(regex: string): boolean {
  if (!regex.startsWith(NAME_START)) return false;
  let rest = regex.slice(NAME_START.length);
  while (rest.startsWith('(?!')) {
    const end = closingParen(rest, 0);
    if (end === -1) return false;
    rest = rest.slice(end + 1);
  }
  return NAME_RUN.test(rest);
}

