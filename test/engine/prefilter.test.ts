import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeywordAutomaton } from '../../src/engine/aho-corasick.js';
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

  it('finds the same keywords restored from its snapshot, also from one that numbers its states otherwise', () => {
    const keywords = ['key', 'api_key', 'token', 'secret', 'ghp_', 'sk', 'ey', 'ok'];
    const automaton = new KeywordAutomaton(keywords);
    const { saved, table: bytes } = automaton.snapshot();
    const table = new Uint16Array(bytes.slice().buffer);
    // Numbered backwards (the start state stays 0): accepting states are no longer last.
    const states = table.length >> saved.shift;
    const renumber = (state: number) => (state === 0 ? 0 : states - state);
    const reversed = new Uint16Array(table.length);
    table.forEach((target, slot) => {
      const symbol = slot & ((1 << saved.shift) - 1);
      reversed[(renumber(slot >> saved.shift) << saved.shift) | symbol] = renumber(target);
    });
    const reordered = {
      ...saved,
      outputs: saved.outputs.map(([state, ending]): [number, number[]] => [renumber(state), ending]),
    };
    const restored = [KeywordAutomaton.restore(saved, table), KeywordAutomaton.restore(reordered, reversed)];
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('k', 'E', 'y', 'a', 'p', 'i', '_', 't', 'o', 'n', 's', 'G', 'h', 'é'),
          maxLength: 80,
        }),
        (text) => {
          const expected = automaton.search(text);
          for (const copy of restored) expect(copy.search(text)).toEqual(expected);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
