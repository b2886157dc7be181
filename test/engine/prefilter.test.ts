import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keywordsIn } from '../../src/engine/prefilter.js';
import { compileRuleSet } from '../../src/rules/compile.js';
import type { CatalogueRule } from '../../src/rules/types.js';

function ruleSetWith(keywords: string[][]) {
  const rules: CatalogueRule[] = keywords.map((words, index) => ({
    id: `r${index}`,
    title: 't',
    severity: 'low',
    keywords: words,
    regex: '(?<secret>x)',
    remediation: 'r',
    references: ['https://example.invalid'],
    provider: 'test',
  }));
  return compileRuleSet(rules);
}

describe('keyword prefilter (Aho–Corasick)', () => {
  it('finds exactly the keywords and positions a naive case-insensitive search finds, overlapping ones included', () => {
    const word = fc.string({
      unit: fc.constantFrom('a', 'b', 'k', 'e', 'y', '_', '-'),
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.string({ unit: fc.constantFrom('a', 'B', 'k', 'E', 'y', '_', '-', ' '), maxLength: 60 }),
        (keywords, content) => {
          const ruleSet = ruleSetWith(keywords);
          const lower = content.toLowerCase();
          const expected = new Set(
            ruleSet.rules
              .flatMap((rule) => rule.keywords)
              .filter((keyword) => content.toLowerCase().includes(keyword)),
          );
          const hits = keywordsIn(ruleSet, content);
          expect(hits.found).toEqual(expected);
          for (const keyword of expected) {
            const naive: number[] = [];
            for (let at = lower.indexOf(keyword); at !== -1; at = lower.indexOf(keyword, at + 1))
              naive.push(at);
            expect(hits.positions.get(keyword)).toEqual(naive);
          }
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('finds a keyword inside a longer one and one that overlaps the end of another', () => {
    const ruleSet = ruleSetWith([['client_secret'], ['secret'], ['et_to'], ['token']]);
    const hits = keywordsIn(ruleSet, 'CLIENT_SECRET_TOKEN');
    expect(hits.found).toEqual(new Set(['client_secret', 'secret', 'et_to', 'token']));
    expect(hits.positions.get('secret')).toEqual([7]);
    expect(hits.positions.get('et_to')).toEqual([11]);
  });
});
