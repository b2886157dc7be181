import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRuleSet, parseRuleFiles, scanChunk, type RuleSet } from '../../src/index.js';
import { toCatalogueRule } from '../../src/rules/catalogue.js';
import { formatProblem } from '../../src/rules/yaml-source.js';

/** A rule file of one Vendor X rule, with `lines` (window keys) before its regex. */
const vendorYaml = (lines: string, regex: string) => `rules:
  - id: vendorx-key
    title: Vendor X key
    severity: high
    keywords: [vendorx]
${lines}    regex: '${regex}'
    remediation: Revoke it.
    references: [https://vendorx.invalid/keys]
    examples:
      positive:
        - { text: 'vendorx = vx0123456789abcdef0123', secret: vx0123456789abcdef0123 }
      negative:
        - 'vx0123456789abcdef0123'
`;

/** A rule whose keyword comes before its token, as context its trailing lookbehind reads. */
async function vendorRules(window: string): Promise<RuleSet> {
  const text = vendorYaml(
    window,
    '(?<![A-Za-z0-9])(?<secret>vx[0-9a-f]{20})(?![A-Za-z0-9])(?<=vendorx[^\\n]{0,40})',
  );
  const { rules, problems } = await parseRuleFiles([{ file: 'vendorx.yaml', text }]);
  expect(problems.map(formatProblem)).toEqual([]);
  const catalogue = rules.map(toCatalogueRule);
  // Without a window stated, none at all (not the one its length gives): the regex over the whole text.
  return compileRuleSet(
    window === '' ? catalogue.map(({ window: _, windowAfter: __, ...rule }) => rule) : catalogue,
  );
}

const found = (ruleSet: RuleSet, content: string) =>
  scanChunk({ path: 'config.txt', content, startLine: 1, origin: 'file' }, ruleSet).findings.map(
    (finding) => [finding.line, finding.column, finding.secret],
  );

describe('window-after: a match that starts after its keyword', () => {
  it('is found where it starts up to window-after characters past a keyword, and only there', async () => {
    // The token starts at most 7 + 40 - 22 = 25 characters after the keyword starts.
    const windowed = await vendorRules('    window: 0\n    window-after: 25\n');
    const token = `vx${'0123456789abcdef'.repeat(2).slice(0, 20)}`;
    expect(found(windowed, `vendorx = ${token}\n`)).toEqual([[1, 11, token]]);
    expect(found(windowed, `vendorx settings: key ${token}\n`)).toEqual([[1, 23, token]]);
    // At the edge: 25 characters after the keyword, and 26 (which the regex itself refuses).
    expect(found(windowed, `vendorx${' '.repeat(18)}${token}\n`)).toEqual([[1, 26, token]]);
    expect(found(windowed, `vendorx${' '.repeat(19)}${token}\n`)).toEqual([]);
    // Too short a window misses what the regex alone finds: the window is what limits the search.
    const short = await vendorRules('    window: 0\n    window-after: 5\n');
    expect(found(short, `vendorx settings: key ${token}\n`)).toEqual([]);
  });

  it('finds exactly what the regex finds over the whole text when the window holds every match', async () => {
    const windowed = await vendorRules('    window: 0\n    window-after: 25\n');
    const everywhere = await vendorRules('');
    expect(everywhere.rules[0]?.window).toBeUndefined();
    const piece = fc.constantFrom(
      'vendorx',
      'VendorX ',
      'vx0123456789abcdef0123',
      'vxfedcba9876543210fedc',
      ' ',
      '=',
      'x',
      '\n',
      'key: ',
      '-'.repeat(30),
      ...Array.from({ length: 20 }, (_, count) => ' '.repeat(count + 1)),
      // The keyword at the edges of the window the regex allows (a token 23 to 26 characters on).
      ...Array.from({ length: 4 }, (_, count) => `vendorx${' '.repeat(16 + count)}`),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        // Padded, so that the engine tries the windows rather than one pass over a short text.
        const text = `${pieces.join('')}\n${'.'.repeat(4000)}`;
        expect(found(windowed, text)).toEqual(found(everywhere, text));
      }),
      { numRuns: 400 },
    );
  });

  it('is refused without a window, or past 5000 characters', async () => {
    const problems = async (lines: string) => {
      const text = vendorYaml(lines, '(?<secret>vx[0-9a-f]{20})');
      return (await parseRuleFiles([{ file: 'vendorx.yaml', text }])).problems.map(formatProblem).join('\n');
    };
    expect(await problems('    window-after: 30\n')).toMatch(/window-after.*needs window/);
    expect(await problems('    window: 0\n    window-after: 6000\n')).toMatch(
      /window-after.*between 0 and 5000/,
    );
    expect(await problems('    window: 0\n    window-after: 30\n')).toBe('');
  });
});
