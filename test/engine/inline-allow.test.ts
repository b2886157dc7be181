import { describe, expect, it } from 'vitest';
import { scanChunk } from '../../src/engine/scan.js';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';

const ruleSet = await builtinRuleSet();
const token = githubToken('ghp', 81);
const ids = (content: string, path = 'app.py') =>
  scanText(ruleSet, content, path).map((finding) => finding.ruleId);

describe('inline allow comments', () => {
  it.each([
    ['keyfence:allow', `TOKEN = "${token}"  # keyfence:allow`],
    [
      'keyfence:allow with a reason',
      `TOKEN = "${token}"  # keyfence:allow revoked in 2025, kept for the docs`,
    ],
    ['gitleaks:allow', `const token = "${token}"; // gitleaks:allow`],
    ['pragma: allowlist secret', `TOKEN = "${token}"  # pragma: allowlist secret`],
    ['a comment-only line before', `# keyfence:allow test fixture\nTOKEN = "${token}"`],
    ['a block comment line before', `/* gitleaks:allow */\nconst token = "${token}";`],
  ])('suppresses a finding with %s, counting it as suppressed', (_case, content) => {
    const result = scanChunk({ path: 'app.py', content, startLine: 1, origin: 'file' }, ruleSet);
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toEqual({ allowlist: 0, inline: 1 });
  });

  it('scopes keyfence:allow RULE-ID to that rule only', () => {
    const stripe = stripeKey('sk_live', 82);
    expect(ids(`A = "${token}" B = "${stripe}"  # keyfence:allow github-pat`)).toEqual(['stripe-secret-key']);
    expect(ids(`A = "${token}" B = "${stripe}"  # keyfence:allow github-pat, stripe-secret-key`)).toEqual([]);
    expect(ids(`A = "${token}"  # keyfence:allow stripe-secret-key`)).toEqual(['github-pat']);
  });

  it('does not reach past one line, nor from a line of code before', () => {
    expect(ids(`# keyfence:allow\n\nTOKEN = "${token}"`)).toEqual(['github-pat']);
    expect(ids(`x = 1  # keyfence:allow\nTOKEN = "${token}"`)).toEqual(['github-pat']);
    expect(ids(`TOKEN = "${token}"\n# keyfence:allow`)).toEqual(['github-pat']);
  });
});
