/**
 * A small reader of the JavaScript regex syntax the rules use, and what can be said of a regex's
 * parts without running it: which characters a part can consume, which can come first or last,
 * how long a match can be. Every answer errs on the safe side (a larger set, a longer length,
 * "may be empty"), so a check built on them never rules out a match the regex would make.
 */

/** Characters by code: entries 0–127 are ASCII, entry 128 stands for every non-ASCII code unit. */
export type CharTable = Uint8Array;

const OTHER = 128;

export const charTable = (): CharTable => new Uint8Array(OTHER + 1);

/** Whether a code unit is in a table. */
export const inTable = (table: CharTable, code: number): boolean => table[code < OTHER ? code : OTHER] === 1;

function union(into: CharTable, from: CharTable): CharTable {
  for (let code = 0; code <= OTHER; code++) if (from[code] === 1) into[code] = 1;
  return into;
}

/** Whether two tables share a character. */
export function overlaps(a: CharTable, b: CharTable): boolean {
  for (let code = 0; code <= OTHER; code++) if (a[code] === 1 && b[code] === 1) return true;
  return false;
}

/** A part of a regex; `start` and `end` are its offsets in the source. */
export type Part =
  | { kind: 'chars'; chars: CharTable; start: number; end: number }
  | { kind: 'sequence'; items: Part[]; start: number; end: number }
  | { kind: 'alternatives'; options: Part[]; start: number; end: number }
  | { kind: 'group'; body: Part; start: number; end: number }
  | { kind: 'look'; behind: boolean; negative: boolean; body: Part; start: number; end: number }
  | { kind: 'repeat'; body: Part; min: number; max: number; start: number; end: number }
  | { kind: 'anchor'; anchor: '^' | '$' | 'b' | 'B'; start: number; end: number };

class Unsupported extends Error {}

const range = (table: CharTable, from: number, to: number) => {
  for (let code = from; code <= Math.min(to, OTHER - 1); code++) table[code] = 1;
  if (to >= OTHER) table[OTHER] = 1;
  return table;
};

const WORD = range(range(range(range(charTable(), 48, 57), 65, 90), 97, 122), 95, 95);
const DIGIT = range(charTable(), 48, 57);
// \s: tab to carriage return, space, and non-ASCII spaces.
const SPACE = range(range(charTable(), 9, 13), 32, 32);
SPACE[OTHER] = 1;

function complement(table: CharTable): CharTable {
  const result = charTable();
  for (let code = 0; code < OTHER; code++) result[code] = table[code] === 1 ? 0 : 1;
  // A class of ASCII characters left out still lets every non-ASCII one in (and a class that
  // lists some non-ASCII ones leaves others in too).
  result[OTHER] = 1;
  return result;
}

/**
 * Reads a regex source (flags as for `new RegExp`) into parts. Throws on what it does not know:
 * backreferences, modifiers, unicode property escapes, the `u` and `v` flags (where one character
 * of the pattern can stand for two code units of the text).
 */
export function parseRegex(source: string, flags: string): Part {
  if (flags.includes('u') || flags.includes('v')) throw new Unsupported('unicode mode');
  const ignoreCase = flags.includes('i');
  const dotAll = flags.includes('s');
  let at = 0;

  const fold = (table: CharTable): CharTable => {
    if (!ignoreCase) return table;
    for (let code = 65; code <= 90; code++) {
      if (table[code] === 1 || table[code + 32] === 1) {
        table[code] = 1;
        table[code + 32] = 1;
      }
    }
    return table;
  };
  const single = (code: number) => range(charTable(), code, code);

  /** An escape after a backslash (at points after it), as a set, or a code unit inside a class. */
  const escape = (inClass: boolean): CharTable | number => {
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
      case 'x': {
        const hex = /^[0-9A-Fa-f]{2}/.exec(source.slice(at));
        if (!hex) throw new Unsupported('\\x');
        at += 2;
        return parseInt(hex[0], 16);
      }
      case 'u': {
        const hex = /^[0-9A-Fa-f]{4}/.exec(source.slice(at));
        if (!hex) throw new Unsupported('\\u');
        at += 4;
        return parseInt(hex[0], 16);
      }
      case 'b':
        if (inClass) return 8;
        throw new Unsupported('\\b outside a class is an anchor');
      case 'p':
      case 'P':
      case 'k':
        throw new Unsupported(`\\${char}`);
      default:
        if (/[1-9]/.test(char)) throw new Unsupported('backreference');
        return char.charCodeAt(0);
    }
  };

  const charClass = (start: number): Part => {
    at++; // [
    const negated = source[at] === '^';
    if (negated) at++;
    const table = charTable();
    const member = (): CharTable | number => {
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
        range(table, first, last);
      } else if (typeof first === 'number') range(table, first, first);
      else union(table, first);
    }
    at++; // ]
    fold(table);
    return { kind: 'chars', chars: negated ? complement(table) : table, start, end: at };
  };

  const quantifier = (): { min: number; max: number } | undefined => {
    const char = source[at];
    let bounds: { min: number; max: number } | undefined;
    if (char === '*') bounds = { min: 0, max: Infinity };
    else if (char === '+') bounds = { min: 1, max: Infinity };
    else if (char === '?') bounds = { min: 0, max: 1 };
    if (bounds) at++;
    else if (char === '{') {
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
      if (!braces) return undefined; // a literal brace (Annex B)
      at += braces[0].length;
      const min = Number(braces[1]);
      bounds = { min, max: braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3]) };
    } else return undefined;
    if (source[at] === '?') at++; // lazy: the same language
    return bounds;
  };

  const atom = (): Part => {
    const start = at;
    const char = source[at];
    if (char === '(') {
      at++;
      let look: { behind: boolean; negative: boolean } | undefined;
      if (source.startsWith('?:', at)) at += 2;
      else if (source.startsWith('?=', at) || source.startsWith('?!', at)) {
        look = { behind: false, negative: source[at + 1] === '!' };
        at += 2;
      } else if (source.startsWith('?<=', at) || source.startsWith('?<!', at)) {
        look = { behind: true, negative: source[at + 2] === '!' };
        at += 3;
      } else if (source.startsWith('?<', at)) {
        const name = /^\?<[A-Za-z_$][\w$]*>/.exec(source.slice(at));
        if (!name) throw new Unsupported('group name');
        at += name[0].length;
      } else if (source[at] === '?') throw new Unsupported('group modifier');
      const body = disjunction();
      if (source[at] !== ')') throw new Unsupported('unclosed group');
      at++;
      return look ? { kind: 'look', ...look, body, start, end: at } : { kind: 'group', body, start, end: at };
    }
    if (char === '[') return charClass(start);
    at++;
    if (char === '^' || char === '$') return { kind: 'anchor', anchor: char, start, end: at };
    if (char === '.') {
      const table = complement(charTable());
      if (!dotAll) {
        table[10] = 0;
        table[13] = 0;
      }
      return { kind: 'chars', chars: table, start, end: at };
    }
    if (char === '\\') {
      if (source[at] === 'b' || source[at] === 'B') {
        const anchor = source[at] === 'b' ? 'b' : 'B';
        at++;
        return { kind: 'anchor', anchor, start, end: at };
      }
      const escaped = escape(false);
      const chars = typeof escaped === 'number' ? single(escaped) : union(charTable(), escaped);
      return { kind: 'chars', chars: fold(chars), start, end: at };
    }
    if (char === undefined || char === ')' || char === '|' || char === '*' || char === '+' || char === '?')
      throw new Unsupported(`unexpected ${char ?? 'end'}`);
    // A lone surrogate or any other code unit stands for itself.
    return { kind: 'chars', chars: fold(single(char.charCodeAt(0))), start, end: at };
  };

  const term = (): Part => {
    const start = at;
    const body = atom();
    if (body.kind === 'anchor' || (body.kind === 'look' && body.behind)) return body;
    const bounds = quantifier();
    return bounds ? { kind: 'repeat', body, ...bounds, start, end: at } : body;
  };

  const alternative = (): Part => {
    const start = at;
    const items: Part[] = [];
    while (at < source.length && source[at] !== '|' && source[at] !== ')') items.push(term());
    return { kind: 'sequence', items, start, end: at };
  };

  function disjunction(): Part {
    const start = at;
    const options = [alternative()];
    while (source[at] === '|') {
      at++;
      options.push(alternative());
    }
    return options.length === 1 ? (options[0] as Part) : { kind: 'alternatives', options, start, end: at };
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

/** Every character a part can consume (lookarounds consume none). */
export function consumable(part: Part, into: CharTable = charTable()): CharTable {
  switch (part.kind) {
    case 'chars':
      return union(into, part.chars);
    case 'sequence':
      for (const item of part.items) consumable(item, into);
      return into;
    case 'alternatives':
      for (const option of part.options) consumable(option, into);
      return into;
    case 'group':
    case 'repeat':
      return consumable(part.body, into);
    case 'look':
    case 'anchor':
      return into;
  }
}

/** Whether a part can match without consuming anything (its assertions assumed to hold). */
export function canBeEmpty(part: Part): boolean {
  switch (part.kind) {
    case 'chars':
      return false;
    case 'sequence':
      return part.items.every(canBeEmpty);
    case 'alternatives':
      return part.options.some(canBeEmpty);
    case 'group':
      return canBeEmpty(part.body);
    case 'repeat':
      return part.min === 0 || canBeEmpty(part.body);
    case 'look':
    case 'anchor':
      return true;
  }
}

/** The most characters a part can consume (Infinity when unbounded). */
export function longest(part: Part): number {
  switch (part.kind) {
    case 'chars':
      return 1;
    case 'sequence':
      return part.items.reduce((sum, item) => sum + longest(item), 0);
    case 'alternatives':
      return Math.max(...part.options.map(longest));
    case 'group':
      return longest(part.body);
    case 'repeat': {
      const body = longest(part.body);
      return body === 0 ? 0 : part.max * body;
    }
    case 'look':
    case 'anchor':
      return 0;
  }
}

/** The characters a part's match can end with. */
export function lastChars(part: Part, into: CharTable = charTable()): CharTable {
  switch (part.kind) {
    case 'chars':
      return union(into, part.chars);
    case 'sequence':
      for (let index = part.items.length - 1; index >= 0; index--) {
        const item = part.items[index] as Part;
        lastChars(item, into);
        if (!canBeEmpty(item)) break;
      }
      return into;
    case 'alternatives':
      for (const option of part.options) lastChars(option, into);
      return into;
    case 'group':
    case 'repeat':
      return lastChars(part.body, into);
    case 'look':
    case 'anchor':
      return into;
  }
}

/**
 * What a part can start with where the character just before is one of `before`: the characters
 * it can consume first, and whether it can match without consuming any. Assertions that cannot
 * hold after such a character (a lookbehind that must end with another, `^`) close their path.
 */
export function firstAfter(
  part: Part,
  before: CharTable,
  multiline: boolean,
): { first: CharTable; empty: boolean } {
  const first = charTable();
  const empty = visit(part);
  return { first, empty };

  function visit(node: Part): boolean {
    switch (node.kind) {
      case 'chars':
        union(first, node.chars);
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
      case 'look':
        // Only a positive lookbehind says something about the character before.
        return node.negative || !node.behind || canBeEmpty(node.body) || overlaps(lastChars(node.body), before);
      case 'anchor':
        if (node.anchor !== '^') return true;
        // Not at the input's start (a character comes before); after a line terminator in multiline mode.
        return multiline && (before[10] === 1 || before[13] === 1 || before[OTHER] === 1);
    }
  }
}
