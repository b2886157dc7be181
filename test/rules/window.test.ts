import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keywordStartWindow, leadingChars, leadingCharsAfter, reachWindow, startsAfterTable } from '../../src/rules/window.js';

const compiles = (regex: string) => {
  try {
    new RegExp(regex);
    return true;
  } catch {
    return false;
  }
};

/** Regexes of up to five terms, each a piece with a quantifier or a group of alternatives of pieces. */
function randomRegex(pieces: string[], quantifiers: string[]): fc.Arbitrary<string> {
  const piece = fc.constantFrom(...pieces);
  const quantifier = fc.constantFrom(...quantifiers);
  const term = fc.oneof(
    fc.tuple(piece, quantifier).map(([p, q]) => p + q),
    fc
      .array(fc.array(piece, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
      .map((options) => `(?:${options.map((option) => option.join('')).join('|')})`),
  );
  return fc.array(term, { minLength: 1, maxLength: 5 }).map((terms) => terms.join(''));
}

describe('window 0 read from a regex that starts with a keyword (window.ts)', () => {
  it('reads the keyword after a leading lookbehind, in either case, through groups', () => {
    expect(keywordStartWindow('(?<![A-Za-z])[Bb]asic\\s+(?<secret>\\w+)', '', ['basic'])).toBe(0);
    expect(keywordStartWindow('"auth"\\s*:\\s*"(?<secret>[^"]+)"', '', ['"auth"'])).toBe(0);
    expect(keywordStartWindow('(?:/u3\\+7Q|zs7Ozg)AAAA', '', ['/u3+7q', 'zs7ozg'])).toBe(0);
    expect(keywordStartWindow('machine\\s+(?<secret>\\S+)', 'i', ['machine'])).toBe(0);
  });

  it('implies none when one path starts otherwise', () => {
    expect(keywordStartWindow('(?:basic|token)\\s+(?<secret>\\w+)', '', ['basic'])).toBeUndefined();
    expect(keywordStartWindow('[\\w.-]{0,20}basic=(?<secret>\\w+)', '', ['basic'])).toBeUndefined();
    expect(keywordStartWindow('bas(?<secret>\\w+)', '', ['basic'])).toBeUndefined();
    expect(keywordStartWindow('[Bb]asiK', '', ['basic'])).toBeUndefined();
    expect(keywordStartWindow('basic', '', [])).toBeUndefined();
    expect(keywordStartWindow('(a)\\1basic', '', ['basic'])).toBeUndefined();
  });

  it('only implies it where every match starts at a keyword (random regexes and texts)', () => {
    const keywords = ['ab', 'b=c', 'ca'];
    const regexes = randomRegex(['a', 'A', 'b', 'B', '[aA]', '[bB]', '=', 'c', '[ab]', '(?<=a)', '(?!b)', '\\b', '.'], ['', '', '', '?', '*', '+', '{2}', '{1,2}']);
    let implied = 0;
    fc.assert(
      fc.property(
        regexes,
        fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'B', 'c', '=', ' '), maxLength: 30 }),
        (regex, text) => {
          if (!compiles(regex) || keywordStartWindow(regex, '', keywords) !== 0) return;
          implied++;
          const lower = text.toLowerCase();
          const global = new RegExp(regex, 'g');
          for (let match = global.exec(text); match; match = global.exec(text)) {
            if (match[0] === '') global.lastIndex++;
            expect(keywords.some((keyword) => lower.startsWith(keyword, match.index))).toBe(true);
          }
        },
      ),
      { numRuns: 20_000 },
    );
    expect(implied).toBeGreaterThan(200);
  });
});

describe('the window a regex has by its length (reachWindow)', () => {
  it('spans the longest match and its lookarounds, and a slack for a keyword beside the match', () => {
    const bounded = reachWindow('(?<=ghost[^\\n]{0,40})(?<secret>[a-f0-9]{24})', '', ['ghost'], 5000);
    expect(bounded).toBeDefined();
    // A match may start after its keyword by the lookbehind's reach, and before it by its length.
    expect(bounded?.windowAfter).toBeGreaterThanOrEqual(45);
    expect(bounded?.window).toBeGreaterThanOrEqual(24 + 45);
  });

  it('gives none for an unbounded repetition, no keywords, or past the limit', () => {
    expect(reachWindow('acme\\s*=\\s*(?<secret>\\w{20})', '', ['acme'], 5000)).toBeUndefined();
    expect(reachWindow('(?<secret>acme_[a-z]{20})', '', [], 5000)).toBeUndefined();
    expect(reachWindow('(?<secret>acme_[a-z]{20})', '', ['acme_'], 100)).toBeUndefined();
  });
});

describe('the characters a match starts with (leadingChars)', () => {
  it('reads them through lookbehinds, alternatives, groups and case', () => {
    const starts = (regex: string, flags = '') => {
      const table = leadingChars(regex, flags);
      return table && [...table.keys()].filter((code) => table[code] === 1 && code < 128).map((code) => String.fromCharCode(code)).join('');
    };
    expect(starts('(?<![A-Za-z0-9])(?<secret>5[HJK][1-9]{4}|[KL][1-9]{5})')).toBe('5KL');
    expect(starts('(?:"d"|priv)\\s*:', 'i')).toBe('"Pp');
    expect(starts('^a|b')).toBe('ab');
    expect(starts('a?b')).toBe('ab');
    expect(starts('a*')).toBeUndefined();
  });

  it('never rules out where a match starts (random regexes and texts)', () => {
    const regexes = randomRegex(['a', 'A', 'b', '[aA]', '[^a]', '=', 'c', '\\s', '(?<=a)', '(?!b)', '(?<!c)', '\\b', '^', '$', '.'], ['', '', '', '?', '*', '+', '{2}', '{0,2}']);
    let checked = 0;
    fc.assert(
      fc.property(
        regexes,
        fc.constantFrom('', 'i', 'm'),
        fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'c', '=', ' ', '\n', 'é'), maxLength: 30 }),
        (regex, flags, text) => {
          if (!compiles(regex)) return;
          const table = leadingChars(regex, flags);
          if (!table) return;
          const sticky = new RegExp(regex, `${flags}y`);
          for (let offset = 0; offset < text.length; offset++) {
            sticky.lastIndex = offset;
            const match = sticky.exec(text);
            if (!match) continue;
            checked++;
            expect(match[0]).not.toBe('');
            expect(table[Math.min(text.charCodeAt(offset), 128)]).toBe(1);
          }
        },
      ),
      { numRuns: 5_000 },
    );
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('the characters a match starts with after the one before it (leadingCharsAfter)', () => {
  it('leaves out the letters inside a word where a name must start', () => {
    const after = leadingCharsAfter('(?<![\\w.-])[\\w.-]{0,20}?acme_key\\s{0,5}=|(?<![A-Za-z0-9])AC[0-9a-f]{4}');
    expect(after).toBeDefined();
    const { classOf, starts } = startsAfterTable(after as NonNullable<typeof after>);
    const may = (before: string, at: string) => starts[(classOf[before.charCodeAt(0)] as number) * 129 + at.charCodeAt(0)] === 1;
    expect(may(' ', 'a')).toBe(true);
    expect(may('x', 'a')).toBe(false);
    expect(may('b', 'A')).toBe(false);
    expect(may('.', 'A')).toBe(true);
    expect(may('.', 'x')).toBe(false);
    expect(may('=', 'A')).toBe(true);
    expect(may('x', '=')).toBe(false);
  });

  it('never rules out where a match starts (random regexes and texts)', () => {
    const regexes = randomRegex(['a', 'A', 'b', '[aA]', '[^a]', '=', 'c', '\\s', '(?<=a)', '(?<=[bc])', '(?!b)', '(?<!c)', '(?<![ab=])', '(?<!\\w)', '\\b', '^', '$', '.'], ['', '', '', '?', '*', '+', '{2}', '{0,2}']);
    let checked = 0;
    fc.assert(
      fc.property(
        regexes,
        fc.constantFrom('', 'i', 'm'),
        fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'c', '=', ' ', '\n', 'é', '_'), maxLength: 30 }),
        (regex, flags, text) => {
          if (!compiles(regex)) return;
          const after = leadingCharsAfter(regex, flags);
          if (!after) return;
          const { classOf, starts } = startsAfterTable(after);
          const sticky = new RegExp(regex, `${flags}y`);
          for (let offset = 1; offset < text.length; offset++) {
            sticky.lastIndex = offset;
            if (!sticky.exec(text)) continue;
            checked++;
            const before = Math.min(text.charCodeAt(offset - 1), 128);
            const at = Math.min(text.charCodeAt(offset), 128);
            expect(starts[(classOf[before] as number) * 129 + at]).toBe(1);
          }
        },
      ),
      { numRuns: 5_000 },
    );
    expect(checked).toBeGreaterThan(200);
  });
});
