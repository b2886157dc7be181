import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keywordsIn } from '../../src/engine/prefilter.js';
import { scanChunk } from '../../src/engine/scan.js';
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

  it('marks a keyword that occurs at nearly every offset dense, and the rule still finds its token after the flood', () => {
    const rules: CatalogueRule[] = [
      {
        id: 'xx-token',
        title: 't',
        severity: 'high',
        keywords: ['xx'],
        regex: '(?<![a-z0-9])(?<secret>xx[0-9a-f]{16})(?![a-z0-9])',
        window: 0,
        remediation: 'r',
        references: ['https://example.invalid'],
        provider: 'test',
      },
    ];
    const ruleSet = compileRuleSet(rules);
    const content = `${'x'.repeat(1_000_000)} xx0123456789abcdef\n`;
    const hits = keywordsIn(ruleSet, content);
    expect(hits.dense).toEqual(new Set(['xx']));
    expect(hits.positions.get('xx')?.length).toBe(Math.ceil(content.length / 32));
    const started = performance.now();
    const findings = scanChunk({ path: 'a.txt', content, startLine: 1, origin: 'file' }, ruleSet).findings;
    expect(findings.map((finding) => finding.secret)).toEqual(['xx0123456789abcdef']);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('finds a keyword inside a longer one and one that overlaps the end of another', () => {
    const ruleSet = ruleSetWith([['client_secret'], ['secret'], ['et_to'], ['token']]);
    const hits = keywordsIn(ruleSet, 'CLIENT_SECRET_TOKEN');
    expect(hits.found).toEqual(new Set(['client_secret', 'secret', 'et_to', 'token']));
    expect(hits.positions.get('secret')).toEqual([7]);
    expect(hits.positions.get('et_to')).toEqual([11]);
  });
});
