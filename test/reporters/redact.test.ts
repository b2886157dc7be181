import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_VISIBLE_PREFIX, maskReport, redact } from '../../src/reporters/redact.js';
import type { Report } from '../../src/engine/types.js';
import { builtinRuleSet, fileReport, scanText } from '../helpers/catalogue.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';

const ruleSet = await builtinRuleSet();

function reportOf(content: string): Report {
  return fileReport(scanText(ruleSet, content), content);
}

/** Longest prefix of `secret` that occurs in `text`. */
function longestRevealedPrefix(secret: string, text: string): number {
  let length = 0;
  while (length < secret.length && text.includes(secret.slice(0, length + 1))) length++;
  return length;
}

describe('redaction', () => {
  it('never shows more than a 4-character prefix, and at most a quarter of the secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (secret) => {
        const masked = redact(secret);
        const shown = masked.replace(/\*+$/, '');
        expect(secret.startsWith(shown)).toBe(true);
        expect(shown.length).toBeLessThanOrEqual(Math.min(MAX_VISIBLE_PREFIX, Math.floor(secret.length / 4)));
      }),
      { numRuns: 10_000 },
    );
  });

  it('masks every secret on a shared line in every finding, keeping the caret alignment', () => {
    const a = githubToken('ghp', 31);
    const b = stripeKey('sk_live', 32);
    const line = `a="${a}" b="${b}"`;
    const report = reportOf(line);
    const masked = maskReport(report, true);
    expect(masked.findings).toHaveLength(2);
    for (const [index, finding] of masked.findings.entries()) {
      expect(finding.lineText.length).toBe(report.findings[index]?.lineText.length);
      expect(longestRevealedPrefix(a, finding.lineText)).toBeLessThanOrEqual(4);
      expect(longestRevealedPrefix(b, finding.lineText)).toBeLessThanOrEqual(4);
      expect(finding.secret).not.toContain(a.slice(0, 5));
    }
  });

  it('releases secrets unchanged only when asked (--no-redact)', () => {
    const a = githubToken('ghp', 33);
    const released = maskReport(reportOf(`t=${a}`), false);
    expect(released.findings[0]?.secret).toBe(a);
    expect(released.findings[0]?.lineText).toBe(`t=${a}`);
  });
});
