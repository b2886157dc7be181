import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRuleFiles, readRuleDirectory } from '../../src/rules/catalogue.js';
import { notProviderLookalike, PROVIDER_FORMATS } from '../../src/rules/provider-formats.js';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';
import { breakChecksum, githubToken, randomString, ALPHA } from '../helpers/tokens.js';

const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));
const context = { match: '', before: '"', after: '"', lineBefore: '', path: 'a' };

describe('provider formats that the generic rules defer to', async () => {
  const { rules } = await parseRuleFiles(await readRuleDirectory(RULES_DIR));
  const byId = new Map(rules.map(({ spec }) => [spec.id, spec]));

  it('match their provider rules: the prefixes in the regex, the same validator, every positive example well formed', () => {
    for (const format of PROVIDER_FORMATS) {
      for (const id of format.rules) {
        const spec = byId.get(id);
        expect(spec, id).toBeDefined();
        if (!spec) continue;
        expect(spec.validate, id).toBe(format.validate);
        const secrets = spec.examples.positive.map((example) => example.secret);
        const own = secrets.filter((secret) => format.prefixes.some((prefix) => secret.startsWith(prefix)));
        expect(own.length, id).toBeGreaterThan(0);
        for (const secret of own) expect(notProviderLookalike(secret, context), `${id}: ${secret}`).toBe(true);
      }
    }
  });

  const ruleSet = await builtinRuleSet();
  const generic = (content: string) =>
    scanText(ruleSet, content, 'config/.env').map((finding) => [finding.ruleId, finding.secret]);

  it('reports no generic finding for a GitHub token with a broken checksum or length, or a short DigitalOcean token', () => {
    for (const prefix of ['ghp', 'gho', 'ghu', 'ghs', 'ghr'] as const) {
      expect(generic(`GITHUB_TOKEN=${breakChecksum(githubToken(prefix, 71))}\n`), prefix).toEqual([]);
    }
    expect(generic(`GITHUB_TOKEN=ghp_${randomString(ALPHA.alnum, 20, 72)}\n`)).toEqual([]);
    expect(generic(`DO_TOKEN=dop_v1_${randomString(ALPHA.hex, 32, 73)}\n`)).toEqual([]);
  });

  it('reports no generic finding for a truncated token of a fixed-length format (Anthropic, OpenRouter, Groq, Google, Postman, ...)', () => {
    const truncated = [
      `ANTHROPIC_API_KEY=sk-ant-api03-${randomString(ALPHA.alnum, 10, 80)}`,
      `OPENROUTER_API_KEY=sk-or-v1-${randomString(ALPHA.hex, 16, 81)}`,
      `GROQ_API_KEY=gsk_${randomString(ALPHA.alnum, 12, 82)}`,
      `REPLICATE_API_TOKEN=r8_${randomString(ALPHA.alnum, 10, 83)}`,
      `GOOGLE_API_KEY=AIza${randomString(ALPHA.alnum, 12, 84)}`,
      `LINEAR_API_KEY=lin_api_${randomString(ALPHA.alnum, 10, 85)}`,
      `POSTMAN_API_KEY=PMAK-${randomString(ALPHA.hex, 10, 86)}`,
      `CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-${randomString(ALPHA.alnum, 10, 87)}`,
      `NEW_RELIC_API_KEY=NRAK-${randomString(ALPHA.upperAlnum, 8, 88)}`,
      `DT_API_TOKEN=dt0c01.${randomString(ALPHA.upperAlnum, 10, 89)}`,
    ];
    for (const line of truncated) expect(generic(`${line}\n`), line).toEqual([]);
  });

  it('still reports well-formed tokens, and values that only resemble a prefix', () => {
    const valid = githubToken('ghp', 74);
    expect(generic(`GITHUB_TOKEN=${valid}\n`)).toEqual([['github-pat', valid]]);
    // GitHub's 36-character ghr_ with its CRC32 tail: no provider rule, the generic rule reports it.
    const refresh = githubToken('ghr', 75);
    expect(generic(`GITHUB_REFRESH_TOKEN=${refresh}\n`)).toEqual([['generic-secret', refresh]]);
    const other = 'ghx_' + randomString(ALPHA.alnum, 20, 76);
    expect(generic(`API_TOKEN=${other}\n`)).toEqual([['generic-secret', other]]);
  });
});
