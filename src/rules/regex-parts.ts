/**
 * A small reader of the JavaScript regex syntax the rules use, and what can be said of a regex's
 * parts without running it: which characters a part can consume, which can come first or last,
 * how long a match can be. Every answer errs on the safe side (a larger set, a longer length,
 * "may be empty"), so a check built on them never rules out a match the regex would make.
 */

/**
 * A set of code units as bits: words 0–3 hold ASCII, bit 0 of word 4 stands for every non-ASCII
 * code unit. Sets are never changed once made.
 */
export type CharSet = Uint32Array;

const OTHER_WORD = 4;

const emptySet = (): CharSet => new Uint32Array(OTHER_WORD + 1);
const NOTHING = emptySet();

/** Whether a code unit is in a set. */
export const inSet = (set: CharSet, code: number): boolean =>
  code < 128 ? ((set[code >> 5] as number) & (1 << (code & 31))) !== 0 : ((set[OTHER_WORD] as number) & 1) !== 0;

/** Whether two sets share a code unit. */
export function overlaps(a: CharSet, b: CharSet): boolean {
  for (let word = 0; word <= OTHER_WORD; word++) if (((a[word] as number) & (b[word] as number)) !== 0) return true;
  return false;
}

function joined(sets: readonly CharSet[]): CharSet {
  if (sets.length === 1) return sets[0] as CharSet;
  const set = emptySet();
  for (const from of sets) for (let word = 0; word <= OTHER_WORD; word++) set[word] = (set[word] as number) | (from[word] as number);
  return set;
}

/** The set as a table by code unit (entry 128 for every non-ASCII one), for loops that test many characters. */
export function tableOf(set: CharSet): Uint8Array {
  const table = new Uint8Array(129);
  for (let code = 0; code < 128; code++) table[code] = inSet(set, code) ? 1 : 0;
  table[128] = inSet(set, 128) ? 1 : 0;
  return table;
}

/** What is known of any part: whether it can match empty, its longest match, what it can consume. */
interface Facts {
  start: number;
  end: number;
  /** It can match without consuming anything (its assertions assumed to hold). */
  empty: boolean;
  /** The most code units it can consume (Infinity when unbounded). */
  longest: number;
  /** Every code unit it can consume (lookarounds consume none). */
  chars: CharSet;
}

/** A part of a regex; `start` and `end` are its offsets in the source. */
export type Part = Facts &
  (
    | { kind: 'chars' }
    | { kind: 'sequence'; items: Part[] }
    | { kind: 'alternatives'; options: Part[] }
    | { kind: 'group'; body: Part }
    | { kind: 'look'; behind: boolean; negative: boolean; body: Part }
    | { kind: 'repeat'; body: Part; min: number; max: number }
    | { kind: 'anchor'; anchor: '^' | '$' | 'b' | 'B' }
  );

class Unsupported extends Error {}

function setOfRange(from: number, to: number, set = emptySet()): CharSet {
  for (let code = from; code <= Math.min(to, 127); code++) set[code >> 5] = (set[code >> 5] as number) | (1 << (code & 31));
  if (to >= 128) set[OTHER_WORD] = 1;
  return set;
}

const WORD = joined([setOfRange(48, 57), setOfRange(65, 90), setOfRange(97, 122), setOfRange(95, 95)]);
const DIGIT = setOfRange(48, 57);
// \s: tab to carriage return, space, and non-ASCII spaces.
const SPACE = joined([setOfRange(9, 13), setOfRange(32, 32), setOfRange(128, 128)]);

function complement(set: CharSet): CharSet {
  const result = emptySet();
  for (let word = 0; word < OTHER_WORD; word++) result[word] = ~(set[word] as number);
  // A class of ASCII characters left out still lets every non-ASCII one in (and a class that
  // lists some non-ASCII ones leaves others in too).
  result[OTHER_WORD] = 1;
  return result;
}

const sequence = (items: Part[], start: number, end: number): Part => ({
  kind: 'sequence',
  items,
  start,
  end,
  empty: items.every((item) => item.empty),
  longest: items.reduce((sum, item) => sum + item.longest, 0),
  chars: items.length === 0 ? NOTHING : joined(items.map((item) => item.chars)),
});

/** A sequence of a regex's top-level parts from `from` to `to`. */
export const sliceOf = (items: readonly Part[], from: number, to = items.length): Part =>
  sequence(items.slice(from, to), items[from]?.start ?? 0, items[to - 1]?.end ?? 0);

/**
 * Reads a regex source (flags as for `new RegExp`) into parts. Throws on what it does not know:
 * backreferences, modifiers, unicode property escapes, the `u` and `v` flags (where one character
 * of the pattern can stand for two code units of the text).
 */
export function parseRegex(source: string, flags: string): Part {
  if (flags.includes('u') || flags.includes('v')) throw new Unsupported('unicode mode');
  const ignoreCase = flags.includes('i');
  const dotAll = flags.includes('s');
  const singles = new Map<number, CharSet>();
  let at = 0;

  /** The set with both cases of its letters (in non-unicode mode no other character folds to ASCII). */
  const fold = (set: CharSet): CharSet => {
    if (!ignoreCase) return set;
    const upper = (set[2] as number) & 0x07fffffe;
    const lower = (set[3] as number) & 0x07fffffe;
    if ((upper | lower) === upper && (upper | lower) === lower) return set;
    const folded = Uint32Array.from(set);
    folded[2] = (set[2] as number) | lower;
    folded[3] = (set[3] as number) | upper;
    return folded;
  };
  const single = (code: number): CharSet => {
    let set = singles.get(code);
    if (!set) {
      set = fold(setOfRange(code, code));
      singles.set(code, set);
    }
    return set;
  };
  const chars = (set: CharSet, start: number): Part => ({
    kind: 'chars',
    start,
    end: at,
    empty: false,
    longest: 1,
    chars: set,
  });

  /** An escape after a backslash (at points after it), as a set, or a code unit inside a class. */
  const escape = (inClass: boolean): CharSet | number => {
    const char = source[at++];
    switch (char) {
      case undefined:
        throw new Unsupported('trailing backslash');
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return SPACE;
      case 'S':
        return complement(SPACE);
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 't':
        return 9;
      case 'v':
        return 11;
      case 'f':
        return 12;
      case '0':
        if (/[0-9]/.test(source[at] ?? '')) throw new Unsupported('octal escape');
        return 0;
      case 'c': {
        const letter = source[at];
        if (letter && /[A-Za-z]/.test(letter)) {
          at++;
          return letter.charCodeAt(0) % 32;
        }
        throw new Unsupported('\\c');
      }
      case 'x':
      case 'u': {
        const digits = char === 'x' ? 2 : 4;
        const hex = source.slice(at, at + digits);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) throw new Unsupported(`\\${char}`);
        at += digits;
        return parseInt(hex, 16);
      }
      case 'b':
        if (inClass) return 8;
        throw new Unsupported('\\b outside a class is an anchor');
      case 'p':
      case 'P':
      case 'k':
        throw new Unsupported(`\\${char}`);
      default:
        if (char >= '1' && char <= '9') throw new Unsupported('backreference');
        return char.charCodeAt(0);
    }
  };

  const charClass = (start: number): Part => {
    at++; // [
    const negated = source[at] === '^';
    if (negated) at++;
    const members: CharSet[] = [];
    const member = (): CharSet | number => {
      const char = source[at];
      if (char === undefined) throw new Unsupported('unclosed class');
      at++;
      return char === '\\' ? escape(true) : char.charCodeAt(0);
    };
    while (source[at] !== ']') {
      const first = member();
      if (source[at] === '-' && source[at + 1] !== ']' && source[at + 1] !== undefined && typeof first === 'number') {
        at++;
        const last = member();
        if (typeof last !== 'number') throw new Unsupported('range to a class escape');
        members.push(setOfRange(first, last));
      } else members.push(typeof first === 'number' ? setOfRange(first, first) : first);
    }
    at++; // ]
    const set = fold(members.length === 0 ? NOTHING : joined(members));
    return chars(negated ? complement(set) : set, start);
  };

  const quantifier = (): { min: number; max: number } | undefined => {
    const char = source[at];
    let bounds: { min: number; max: number } | undefined;
    if (char === '*') bounds = { min: 0, max: Infinity };
    else if (char === '+') bounds = { min: 1, max: Infinity };
    else if (char === '?') bounds = { min: 0, max: 1 };
    if (bounds) at++;
    else if (char === '{') {
      const close = source.indexOf('}', at);
      const braces = close === -1 ? null : /^\{(\d+)(,(\d*))?\}$/.exec(source.slice(at, close + 1));
      if (!braces) return undefined; // a literal brace (Annex B)
      at = close + 1;
      const min = Number(braces[1]);
      bounds = { min, max: braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3]) };
    } else return undefined;
    if (source[at] === '?') at++; // lazy: the same language
    return bounds;
  };

  const group = (start: number): Part => {
    at++; // (
    let look: { behind: boolean; negative: boolean } | undefined;
    if (source.startsWith('?:', at)) at += 2;
    else if (source.startsWith('?=', at) || source.startsWith('?!', at)) {
      look = { behind: false, negative: source[at + 1] === '!' };
      at += 2;
    } else if (source.startsWith('?<=', at) || source.startsWith('?<!', at)) {
      look = { behind: true, negative: source[at + 2] === '!' };
      at += 3;
    } else if (source.startsWith('?<', at)) {
      const close = source.indexOf('>', at);
      if (close === -1 || !/^\?<[A-Za-z_$][\w$]*$/.test(source.slice(at, close))) throw new Unsupported('group name');
      at = close + 1;
    } else if (source[at] === '?') throw new Unsupported('group modifier');
    const body = disjunction();
    if (source[at] !== ')') throw new Unsupported('unclosed group');
    at++;
    const end = at;
    return look
      ? { kind: 'look', ...look, body, start, end, empty: true, longest: 0, chars: NOTHING }
      : { kind: 'group', body, start, end, empty: body.empty, longest: body.longest, chars: body.chars };
  };

  const atom = (): Part => {
    const start = at;
    const char = source[at];
    if (char === '(') return group(start);
    if (char === '[') return charClass(start);
    at++;
    const anchor = (kind: '^' | '$' | 'b' | 'B'): Part => ({
      kind: 'anchor',
      anchor: kind,
      start,
      end: at,
      empty: true,
      longest: 0,
      chars: NOTHING,
    });
    if (char === '^' || char === '$') return anchor(char);
    if (char === '.') {
      const set = complement(NOTHING);
      if (!dotAll) set[0] = (set[0] as number) & ~((1 << 10) | (1 << 13));
      return chars(set, start);
    }
    if (char === '\\') {
      const next = source[at];
      if (next === 'b' || next === 'B') {
        at++;
        return anchor(next);
      }
      const escaped = escape(false);
      return chars(typeof escaped === 'number' ? single(escaped) : fold(escaped), start);
    }
    if (char === undefined || char === ')' || char === '|' || char === '*' || char === '+' || char === '?')
      throw new Unsupported(`unexpected ${char ?? 'end'}`);
    // A lone surrogate or any other code unit stands for itself.
    return chars(single(char.charCodeAt(0)), start);
  };

  const term = (): Part => {
    const start = at;
    const body = atom();
    if (body.kind === 'anchor' || (body.kind === 'look' && body.behind)) return body;
    const bounds = quantifier();
    if (!bounds) return body;
    return {
      kind: 'repeat',
      body,
      ...bounds,
      start,
      end: at,
      empty: bounds.min === 0 || body.empty,
      longest: body.longest === 0 || bounds.max === 0 ? 0 : bounds.max * body.longest,
      chars: body.chars,
    };
  };

  const alternative = (): Part => {
    const start = at;
    const items: Part[] = [];
    while (at < source.length && source[at] !== '|' && source[at] !== ')') items.push(term());
    return sequence(items, start, at);
  };

  function disjunction(): Part {
    const start = at;
    const options = [alternative()];
    while (source[at] === '|') {
      at++;
      options.push(alternative());
    }
    if (options.length === 1) return options[0] as Part;
    return {
      kind: 'alternatives',
      options,
      start,
      end: at,
      empty: options.some((option) => option.empty),
      longest: Math.max(...options.map((option) => option.longest)),
      chars: joined(options.map((option) => option.chars)),
    };
  }

  const parsed = disjunction();
  if (at !== source.length) throw new Unsupported('unbalanced parenthesis');
  return parsed;
}

/** `parseRegex`, or undefined for a regex it does not read. */
export function tryParseRegex(source: string, flags: string): Part | undefined {
  try {
    return parseRegex(source, flags);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** The characters a part's match can end with. */
export function lastChars(part: Part): CharSet {
  switch (part.kind) {
    case 'chars':
      return part.chars;
    case 'sequence': {
      const sets: CharSet[] = [];
      for (let index = part.items.length - 1; index >= 0; index--) {
        const item = part.items[index] as Part;
        sets.push(lastChars(item));
        if (!item.empty) break;
      }
      return sets.length === 0 ? NOTHING : joined(sets);
    }
    case 'alternatives':
      return joined(part.options.map(lastChars));
    case 'group':
    case 'repeat':
      return lastChars(part.body);
    case 'look':
    case 'anchor':
      return NOTHING;
  }
}

/** The characters a part that consumes one character and asserts nothing matches, else undefined. */
function charClassOf(part: Part): CharSet | undefined {
  if (part.kind === 'chars') return part.chars;
  if (part.kind === 'group') return charClassOf(part.body);
  if (part.kind === 'sequence' && part.items.length === 1) return charClassOf(part.items[0] as Part);
  return undefined;
}

/** Whether every ASCII character of `set` is in `of` (none of them non-ASCII). */
function asciiSubset(set: CharSet, of: CharSet): boolean {
  if (((set[OTHER_WORD] as number) & 1) !== 0) return false;
  for (let word = 0; word < OTHER_WORD; word++) if (((set[word] as number) & ~(of[word] as number)) !== 0) return false;
  return true;
}

/**
 * What a part can start with where the character just before is one of `before`: the characters
 * it can consume first, and whether it can match without consuming any. Assertions that cannot
 * hold after such a character (a lookbehind that must end with another, `^`) close their path;
 * with `negatives`, so does a negative lookbehind of one character class that holds every
 * character of `before` (`(?<![\w.-])` after a letter).
 */
export function firstAfter(
  part: Part,
  before: CharSet,
  multiline: boolean,
  negatives = false,
): { first: CharSet; empty: boolean } {
  const sets: CharSet[] = [];
  const empty = visit(part);
  return { first: sets.length === 0 ? NOTHING : joined(sets), empty };

  function visit(node: Part): boolean {
    switch (node.kind) {
      case 'chars':
        sets.push(node.chars);
        return false;
      case 'sequence':
        for (const item of node.items) if (!visit(item)) return false;
        return true;
      case 'alternatives': {
        let any = false;
        for (const option of node.options) if (visit(option)) any = true;
        return any;
      }
      case 'group':
        return visit(node.body);
      case 'repeat':
        return visit(node.body) || node.min === 0;
      case 'look': {
        if (!node.behind) return true;
        if (!node.negative) return node.body.empty || overlaps(lastChars(node.body), before);
        // A class that holds non-ASCII characters may hold some of them only: not read.
        const excluded = negatives ? charClassOf(node.body) : undefined;
        return excluded === undefined || ((excluded[OTHER_WORD] as number) & 1) !== 0 || !asciiSubset(before, excluded);
      }
      case 'anchor':
        if (node.anchor !== '^') return true;
        // Not at the input's start (a character comes before); after a line terminator in multiline mode.
        return multiline && (inSet(before, 10) || inSet(before, 13) || inSet(before, 128));
    }
  }
}

/**
 * The sets of characters before a position that firstAfter's answer depends on (negative
 * lookbehinds of one class, what positive lookbehinds end with, line terminators for `^`), read
 * from the part's assertions; undefined past `limit` of them.
 */
export function beforeSets(part: Part, limit: number): CharSet[] | undefined {
  const sets: CharSet[] = [];
  const add = (set: CharSet) => {
    if (!sets.some((known) => known.every((word, index) => word === set[index]))) sets.push(set);
  };
  const visit = (node: Part): void => {
    switch (node.kind) {
      case 'look':
        if (node.behind) {
          const excluded = node.negative ? charClassOf(node.body) : undefined;
          if (!node.negative && !node.body.empty) add(lastChars(node.body));
          else if (excluded && ((excluded[OTHER_WORD] as number) & 1) === 0) add(excluded);
        }
        visit(node.body);
        return;
      case 'anchor':
        if (node.anchor === '^') add(LINE_ENDS);
        return;
      case 'chars':
        return;
      case 'group':
      case 'repeat':
        visit(node.body);
        return;
      case 'sequence':
        node.items.forEach(visit);
        return;
      case 'alternatives':
        node.options.forEach(visit);
    }
  };
  visit(part);
  return sets.length <= limit ? sets : undefined;
}

const LINE_ENDS = joined([setOfRange(10, 10), setOfRange(13, 13), setOfRange(128, 128)]);

/** The set of one code unit (128: every non-ASCII one). */
export const setOfCode = (code: number): CharSet => setOfRange(code, code);
