import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRuleFiles, readRuleDirectory } from '../../src/rules/catalogue.js';
import { tryParseRegex } from '../../src/rules/regex-parts.js';
import { inTable, runEnd, type RunEnd } from '../../src/rules/run-end.js';

const RULES_DIR = new URL('../../rules', import.meta.url).pathname;

/** The characters of a table among `alphabet`, as a string. */
const charsOf = (table: Uint8Array, alphabet: string) =>
  alphabet
    .split('')
    .filter((char) => inTable(table, char.charCodeAt(0)))
    .join('');

/**
 * Whether the engine's check lets offset `at` through: the run from there ends within reach,
 * and the tail matches where it ends.
 */
function passes(ends: RunEnd, text: string, at: number): boolean {
  let end = at;
  while (end < text.length && inTable(ends.run, text.charCodeAt(end))) end++;
  if (end - at > ends.longest || end >= text.length || !inTable(ends.first, text.charCodeAt(end))) return false;
  ends.tail.lastIndex = end;
  return ends.tail.test(text);
}

/** Every offset where the regex matches (sticky) lets the check through. */
function expectSound(regex: string, flags: string, text: string): void {
  const ends = runEnd(regex, flags);
  if (!ends) return;
  const sticky = new RegExp(regex, `${flags}y`);
  for (let at = 0; at <= text.length; at++) {
    sticky.lastIndex = at;
    if (sticky.test(text)) expect({ regex, text, at, passes: passes(ends, text, at) }).toMatchObject({ passes: true });
  }
}

describe('run and tail of a regex (run-end.ts)', () => {
  it('reads an assignment rule as its name and operator, then the quoted value', () => {
    const ends = runEnd('(?<![\\w.-])[\\w.-]{0,10}?key[\\w.-]{0,10}[ \\t]{0,2}[:=][ \\t]{0,2}"(?<secret>\\w+)"');
    expect(ends).toBeDefined();
    expect(charsOf(ends?.run ?? new Uint8Array(129), 'aZ9_.-:= "\t(\n')).toBe('aZ9_.-:= \t');
    expect(ends?.longest).toBe(28);
    expect(charsOf(ends?.first ?? new Uint8Array(129), 'aZ9_.-:= "\t(\n')).toBe('"');
    expect(ends?.tail.source).toBe('"(?<secret>\\w+)"');
    expect(ends?.tail.sticky).toBe(true);
  });

  it('splits where the tail is shortest, and says when the run is unbounded', () => {
    const ends = runEnd('[a-z]+\\s*=\\s*(?<secret>\\d+)');
    expect(ends?.tail.source).toBe('(?<secret>\\d+)');
    expect(ends?.longest).toBe(Infinity);
  });

  it('closes a path whose lookbehind needs a character the run cannot end with', () => {
    const ends = runEnd('[a-z]+(?:(?<= )x|=)[a-z=]+');
    expect(ends?.tail.source).toBe('(?:(?<= )x|=)[a-z=]+');
    expect(charsOf(ends?.first ?? new Uint8Array(129), 'ax= ')).toBe('=');
    // A lookbehind the run can satisfy keeps its path, which starts with a run character.
    expect(runEnd('[a-z]+(?:(?<=[a-z])x|=)[a-z=]+')).toBeUndefined();
    // ^ after a run that cannot end a line closes the only path: nothing can follow the run.
    expect(charsOf(runEnd('[a-z]+^[a-z=]', 'm')?.first ?? new Uint8Array(129), 'a=\n')).toBe('');
    expect(runEnd('[a-z\\n]+^[a-z=]', 'm')).toBeUndefined();
  });

  it('has no split when the tail can be empty or start with a run character', () => {
    expect(runEnd('[a-z]+\\d*')).toBeUndefined();
    expect(runEnd('[a-z]+[a-z0-9]')).toBeUndefined();
    expect(runEnd('(?<secret>ghp_[A-Za-z0-9]{36})')).toBeUndefined();
  });

  it('reads case-insensitive sets with both cases, and gives up on syntax it does not know', () => {
    const ends = runEnd('key[a-z]*=(?<secret>X)', 'i');
    expect(charsOf(ends?.run ?? new Uint8Array(129), 'kKyYzZ=xX')).toBe('kKyYzZxX');
    expect(runEnd('(a)[a-z]+=\\1')).toBeUndefined();
    expect(runEnd('[a-z]+=(?<s>x)\\k<s>')).toBeUndefined();
    expect(runEnd('[a-z]+=x', 'u')).toBeUndefined();
    expect(tryParseRegex('(?i:a)b', '')).toBeUndefined();
  });

  it('never rules out an offset where the regex matches (random regexes and texts)', () => {
    const alphabet = ['a', 'b', '=', ' ', '.', '\n', '"'];
    const atom = fc.constantFrom(
      'a', 'b', '=', ' ', '\\.', '"', '[ab]', '[^a]', '[a=]', '\\s', '\\w', '\\W', '.', '[\\w.]', 'A',
    );
    const assertion = fc.constantFrom('(?<=a)', '(?<! )', '(?<=[ =])', '(?=a)', '(?!b)', '^', '$', '\\b', '\\B', '(?<=a[ b]*)');
    const quantifier = fc.constantFrom('', '', '?', '*', '+', '{0,2}', '{1,3}?', '{2}');
    const { regex } = fc.letrec<{ regex: string; term: string; group: string }>((tie) => ({
      regex: fc.array(tie('term'), { minLength: 1, maxLength: 6 }).map((terms) => terms.join('')),
      term: fc.oneof(
        { weight: 5, arbitrary: fc.tuple(atom, quantifier).map(([a, q]) => a + q) },
        { weight: 1, arbitrary: assertion },
        { weight: 2, arbitrary: fc.tuple(tie('group'), quantifier).map(([g, q]) => g + q) },
      ),
      group: fc
        .tuple(fc.constantFrom('(?:', '(', '(?<secret>'), fc.array(tie('regex'), { minLength: 1, maxLength: 3 }))
        .map(([open, options]) => `${open}${options.join('|')})`),
    }));
    fc.assert(
      fc.property(
        regex.filter((source) => source.split('(?<secret>').length <= 2),
        fc.constantFrom('', 'i', 'm', 's'),
        fc.string({ unit: fc.constantFrom(...alphabet, 'A', 'ñ'), maxLength: 24 }),
        (source, flags, text) => {
          expectSound(source, flags, text);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('never rules out a match of a catalogue rule in its examples, alone or inside other text', async () => {
    const { rules } = await parseRuleFiles(await readRuleDirectory(RULES_DIR));
    let checked = 0;
    for (const { spec } of rules) {
      if (!runEnd(spec.regex, spec.flags)) continue;
      checked++;
      const texts = [...spec.examples.positive.map((example) => example.text), ...spec.examples.negative];
      for (const text of texts) {
        for (const variant of [text, `x = f(${text}, y)\n${text.toUpperCase()}\n`]) expectSound(spec.regex, spec.flags ?? '', variant);
      }
    }
    expect(checked).toBeGreaterThan(200);
  });
});
