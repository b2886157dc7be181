import { beforeSets, firstAfter, inSet, setOfCode, tableOf, tryParseRegex, type CharSet, type Part } from './regex-parts.js';

/** The farthest a match may start from its keyword, either way (`window`, `window-after`). */
export const MAX_WINDOW = 5000;
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

/** Every code unit: what may come before an offset the engine tries a regex at. */
const ANY_BEFORE: CharSet = new Uint32Array([~0, ~0, ~0, ~0, 1]);

/**
 * The characters a match can start with, so that the engine skips an offset whose character starts
 * none without running the regex; undefined where a match can be empty or the regex is not one
 * regex-parts reads.
 */
export function leadingCharSet(regex: string, flags = ''): CharSet | undefined {
  const root = tryParseRegex(regex, flags);
  if (!root) return undefined;
  // As if multiline: `^` then holds after the line break ANY_BEFORE holds, as it does at offset 0.
  const { first, empty } = firstAfter(root, ANY_BEFORE, true);
  return empty ? undefined : first;
}

/** leadingCharSet as a table by code unit (entry 128 for every non-ASCII one). */
export function leadingChars(regex: string, flags = ''): Uint8Array | undefined {
  const set = leadingCharSet(regex, flags);
  return set && tableOf(set);
}

/**
 * The characters a match can start with, by the character before it: `sets` are sets of characters
 * before an offset, and `first[signature]` what a match can start with after a character that is
 * in `sets[i]` exactly for the bits i of `signature`; the last entry, after a non-ASCII character.
 * A name's leading `(?<![\w.-])` in one branch of a regex, and a `(?<![A-Za-z0-9])AC…` in another,
 * let the engine skip the letters inside words that `leadingCharSet` admits.
 */
export interface StartsAfter {
  sets: CharSet[];
  first: CharSet[];
}

/** Sets of characters before an offset read at most: 2^4 + 1 tables of what follows. */
const MAX_BEFORE_SETS = 4;

/** StartsAfter of a regex, or undefined where it says nothing leadingCharSet does not (or a match can be empty). */
export function leadingCharsAfter(regex: string, flags = ''): StartsAfter | undefined {
  const root = tryParseRegex(regex, flags);
  const sets = root && beforeSets(root, MAX_BEFORE_SETS);
  if (!root || !sets || sets.length === 0) return undefined;
  const first: CharSet[] = [];
  for (let signature = 0; signature <= 1 << sets.length; signature++) {
    const code = signature === 1 << sets.length ? 128 : codeOfSignature(sets, signature);
    if (code === undefined) {
      first.push(new Uint32Array(5));
      continue;
    }
    // As if multiline: `^` then holds after a line break, as it does after none at offset 0 (which
    // the engine always tries).
    const after = firstAfter(root, setOfCode(code), true, true);
    if (after.empty) return undefined;
    first.push(after.first);
  }
  return { sets, first };
}

/** Which of `sets` hold an ASCII character, as bits. */
export function signatureOf(sets: readonly CharSet[], code: number): number {
  let signature = 0;
  for (let index = 0; index < sets.length; index++) if (inSet(sets[index] as CharSet, code)) signature |= 1 << index;
  return signature;
}

function codeOfSignature(sets: readonly CharSet[], signature: number): number | undefined {
  for (let code = 0; code < 128; code++) if (signatureOf(sets, code) === signature) return code;
  return undefined;
}

/**
 * StartsAfter as one table for the engine: `classOf[before]` (128 for every non-ASCII character)
 * times 129, plus the character at the offset (128 likewise), is 1 where a match may start.
 */
export function startsAfterTable({ sets, first }: StartsAfter): { classOf: Uint8Array; starts: Uint8Array } {
  const classOf = new Uint8Array(129);
  for (let code = 0; code < 128; code++) classOf[code] = signatureOf(sets, code);
  classOf[128] = first.length - 1;
  const starts = new Uint8Array(first.length * 129);
  first.forEach((set, index) => {
    starts.set(tableOf(set), index * 129);
  });
  return { classOf, starts };
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


/** Paths through a regex's start are expanded up to this many; past it, no window is implied. */
const MAX_PATHS = 256;

/**
 * The character sets the first `limit` characters of every match come from, one list per path
 * through the regex's start (zero-width parts skipped); undefined where a repetition of varying
 * count comes first or the paths are too many.
 */
function leadingSets(items: readonly Part[], limit: number): CharSet[][] | undefined {
  const [first, ...rest] = items;
  if (limit === 0 || first === undefined) return [[]];
  switch (first.kind) {
    case 'look':
    case 'anchor':
      return leadingSets(rest, limit);
    case 'chars':
      return leadingSets(rest, limit - 1)?.map((sets) => [first.chars, ...sets]);
    case 'group':
      return leadingSets([first.body, ...rest], limit);
    case 'sequence':
      return leadingSets([...first.items, ...rest], limit);
    case 'alternatives': {
      const paths: CharSet[][] = [];
      for (const option of first.options) {
        const more = leadingSets([option, ...rest], limit);
        if (!more || paths.length + more.length > MAX_PATHS) return undefined;
        paths.push(...more);
      }
      return paths;
    }
    case 'repeat': {
      // A fixed count, or at least as many one-character repetitions as are looked at.
      const count = first.min === first.max ? first.min : first.body.longest === 1 && !first.body.empty ? first.min : 0;
      if (count === 0 || (first.min !== first.max && count < limit)) return undefined;
      return leadingSets([...Array<Part>(count).fill(first.body), ...rest], limit);
    }
  }
}

/** Whether every character of `set` is `char` in one case or the other (any non-ASCII one for a non-ASCII char, as the automaton matches). */
function onlyChar(set: CharSet, char: string): boolean {
  const code = char.charCodeAt(0);
  const allowed = code < 128 ? [char.toLowerCase().charCodeAt(0), char.toUpperCase().charCodeAt(0)] : [128];
  for (let other = 0; other <= 128; other++) if (inSet(set, other) && !allowed.includes(other)) return false;
  return true;
}

/**
 * Window 0 for a regex every match of which starts with one of its keywords (as the keyword
 * automaton finds them, in either case), read from the regex's parts rather than its text:
 * `(?<![A-Za-z])[Bb]asic\s+…`, `(?<![\w.-])machine\s+…`, `"auth"\s*:…`. Worked out at build time.
 */
export function keywordStartWindow(regex: string, flags: string, keywords: readonly string[]): 0 | undefined {
  if (keywords.length === 0) return undefined;
  const root = tryParseRegex(regex, flags);
  const limit = Math.max(...keywords.map((keyword) => keyword.length));
  const paths = root && leadingSets([root], limit);
  if (!paths || paths.length === 0) return undefined;
  const starts = (sets: readonly CharSet[]) =>
    keywords.some(
      (keyword) =>
        keyword.length > 0 &&
        keyword.length <= sets.length &&
        Array.from(keyword).every((char, index) => onlyChar(sets[index] as CharSet, char)),
    );
  return paths.every(starts) ? 0 : undefined;
}

/** How far past a match's ends its lookarounds read: the longest reach of any, nested ones added. */
function lookReach(part: Part): number {
  switch (part.kind) {
    case 'look':
      return part.body.longest + lookReach(part.body);
    case 'group':
    case 'repeat':
      return lookReach(part.body);
    case 'sequence':
      return Math.max(0, ...part.items.map(lookReach));
    case 'alternatives':
      return Math.max(0, ...part.options.map(lookReach));
    default:
      return 0;
  }
}

/**
 * How far from the text a match reads its keyword may be: a keyword "occurs near every match"
 * (RuleSpec.keywords), not always in it (`STELLAR_SECRET=S…`, a `[stellar]` section a few lines up).
 */
const KEYWORD_SLACK = 1000;

/**
 * The window a regex with bounded repetitions has by its length: a match reads the text within its
 * longest match and its lookarounds' reach of where it starts, and its keyword lies within
 * KEYWORD_SLACK of that. So a match starts at most that far before a keyword, and at most the
 * lookarounds' reach and the slack after one. For the rules no shape above fits (several forms, a
 * keyword read by a lookbehind). Undefined when the regex is not read, when a repetition is
 * unbounded (tries at a thousand offsets, each reading a run to its end, would be quadratic: the
 * linear-time check's `_authToken` followed by 64 KB of `=` took 147 ms, against 10 over the whole
 * text), or when the window would pass `limit`.
 */
export function reachWindow(
  regex: string,
  flags: string,
  keywords: readonly string[],
  limit: number,
): { window: number; windowAfter: number } | undefined {
  if (keywords.length === 0) return undefined;
  const root = tryParseRegex(regex, flags);
  if (!root) return undefined;
  const reach = lookReach(root) + 1 + KEYWORD_SLACK;
  const window = root.longest + reach;
  const windowAfter = reach + Math.max(...keywords.map((keyword) => keyword.length));
  if (!Number.isFinite(window) || window > limit || windowAfter > limit) return undefined;
  return { window, windowAfter };
}
