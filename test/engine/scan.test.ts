import { describe, expect, it } from 'vitest';
import { scanChunk } from '../../src/engine/scan.js';
import { fingerprint } from '../../src/engine/fingerprint.js';
import { compileRuleSet } from '../../src/rules/compile.js';
import type { CatalogueRule } from '../../src/rules/types.js';
import { builtinRuleSet, position, scanText } from '../helpers/catalogue.js';
import {
  ALPHA,
  awsAccessKeyId,
  awsSecretKey,
  breakChecksum,
  githubToken,
  googleApiKey,
  randomString,
  rsaPrivateKey,
  stripeKey,
} from '../helpers/tokens.js';

const ruleSet = await builtinRuleSet();

describe('scanChunk', () => {
  it('reports exact 1-based line, column and exclusive end column', () => {
    const token = githubToken('ghp', 1);
    const content = `first line\n  const token = "${token}";\n`;
    expect(scanText(ruleSet, content).map(position)).toEqual([
      { ruleId: 'github-pat', line: 2, column: 18, endLine: 2, endColumn: 18 + token.length, secret: token },
    ]);
  });

  it('offsets lines by the chunk start line', () => {
    const key = googleApiKey(2);
    const findings = scanChunk(
      { path: 'a.js', content: `x\nk="${key}"`, startLine: 40, origin: 'staged' },
      ruleSet,
    ).findings;
    expect(findings.map(position)).toEqual([
      { ruleId: 'google-api-key', line: 41, column: 4, endLine: 41, endColumn: 4 + key.length, secret: key },
    ]);
    expect(findings[0]?.origin).toBe('staged');
  });

  it('counts columns in UTF-16 code units after non-ASCII text', () => {
    const key = stripeKey('sk_live', 3);
    const [finding] = scanText(ruleSet, `// clé d'API 🔑: ${key}`);
    expect(finding && position(finding)).toMatchObject({ column: 18, endColumn: 18 + key.length });
  });

  it('reports a multi-line private key at its BEGIN line, with its body as the secret', () => {
    const pem = rsaPrivateKey(4);
    const findings = scanText(ruleSet, `# deploy key\n${pem}\n`, 'deploy/id_rsa');
    expect(findings).toHaveLength(1);
    const bodyLines = pem.split('\n').slice(1, -1);
    expect(findings.map(position)[0]).toEqual({
      ruleId: 'private-key-rsa',
      line: 2,
      column: 1,
      endLine: 2 + bodyLines.length,
      endColumn: (bodyLines.at(-1)?.length ?? 0) + 1,
      secret: bodyLines.join('\n'),
    });
    expect(findings[0]?.secretStart).toEqual({ line: 3, column: 1 });
    expect(findings[0]?.lineText).toBe('-----BEGIN RSA PRIVATE KEY-----');
  });

  it('finds an AWS key pair on one line as one paired finding', () => {
    const id = awsAccessKeyId(5);
    const secret = awsSecretKey(6);
    const content = `aws_access_key_id=${id} aws_secret_access_key=${secret}`;
    const findings = scanText(ruleSet, content);
    expect(findings.map((finding) => [finding.ruleId, finding.severity, finding.pairedWith?.secret])).toEqual(
      [['aws-secret-access-key', 'critical', id]],
    );
  });

  it('lets a provider rule win over the generic rule on the same secret', () => {
    const token = githubToken('ghp', 7);
    const findings = scanText(ruleSet, `api_token = "${token}"`);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['github-pat']);
  });

  it('lets a database rule win over the generic URL-credentials rule', () => {
    const password = randomString(ALPHA.alnum, 20, 8);
    const findings = scanText(ruleSet, `DATABASE_URL=postgres://app:${password}@db:5432/app`);
    expect(findings.map(position)).toEqual([
      expect.objectContaining({ ruleId: 'postgres-connection-string', secret: password }),
    ]);
  });

  it('drops a GitHub token whose checksum does not validate', () => {
    expect(scanText(ruleSet, `t = "${breakChecksum(githubToken('ghp', 9))}"`)).toEqual([]);
  });

  it('gives the same secret under the same rule the same content-addressed fingerprint anywhere', () => {
    const token = githubToken('gho', 10);
    const [a] = scanText(ruleSet, `x = "${token}"`, 'a.py');
    const [b] = scanText(ruleSet, `\n\n    y: ${token}`, 'other/b.yaml');
    expect(a?.fingerprint).toBe(fingerprint('github-oauth-token', token));
    expect(a?.fingerprint).toBe(b?.fingerprint);
    expect(a?.fingerprint).toMatch(/^github-oauth-token:[0-9a-f]{16}$/);
  });

  it('is deterministic: same input, same findings in the same order', () => {
    const content = [githubToken('ghp', 11), stripeKey('sk_live', 12), awsAccessKeyId(13)]
      .map((t) => `k = "${t}"`)
      .join('\n');
    expect(scanText(ruleSet, content)).toEqual(scanText(ruleSet, content));
    expect(scanText(ruleSet, content).map((finding) => finding.line)).toEqual([1, 2, 3]);
  });

  it('clips the line text of a very long line around the secret', () => {
    const key = stripeKey('sk_live', 14);
    const content = `${'a'.repeat(100_000)} ${key} ${'b'.repeat(100_000)}`;
    const [finding] = scanText(ruleSet, content, 'dist/bundle.min.js');
    expect(finding?.lineText.length).toBeLessThan(key.length + 200);
    expect(finding?.lineText).toContain(key);
    expect(finding?.lineTextColumn).toBe(100_002 - 80);
  });
});

describe('allowlists', () => {
  const token = githubToken('ghp', 20);

  it('suppresses by global path glob, secret regex and stopword, and counts what it suppressed', async () => {
    const byPath = await builtinRuleSet({ paths: ['fixtures/**'] });
    expect(scanText(byPath, `t=${token}`, 'fixtures/demo.env')).toEqual([]);
    expect(scanText(byPath, `t=${token}`, 'src/demo.env')).toHaveLength(1);

    const bySecret = await builtinRuleSet({ secrets: [`^${token}$`] });
    const result = scanChunk({ path: 'a', content: `t=${token}`, startLine: 1, origin: 'file' }, bySecret);
    expect(result).toEqual({ findings: [], suppressed: { allowlist: 1, inline: 0 } });

    const byStopword = await builtinRuleSet({ stopwords: [token.slice(10, 20).toUpperCase()] });
    expect(scanText(byStopword, `t=${token}`)).toEqual([]);
  });

  it('skips lockfiles for generic rules only', () => {
    const value = randomString(ALPHA.alnum, 32, 21);
    expect(scanText(ruleSet, `api_key: "${value}"`, 'web/yarn.lock')).toEqual([]);
    expect(scanText(ruleSet, `api_key: "${value}"`, 'web/config.yml')).toHaveLength(1);
    expect(scanText(ruleSet, `token: ${token}`, 'web/yarn.lock')).toHaveLength(1);
    // Any *.lock file, at any depth, dotted or not; not a name that merely contains ".lock".
    for (const path of ['flake.lock', 'a/b/deps.lock', 'x/.lock'])
      expect(scanText(ruleSet, `api_key: "${value}"`, path), path).toEqual([]);
    for (const path of ['a/deps.lockx', 'a.lock/config.yml'])
      expect(scanText(ruleSet, `api_key: "${value}"`, path), path).toHaveLength(1);
  });

  it('tries a rule only near its keywords when its regex starts at one, and everywhere otherwise', () => {
    const rule = (id: string, regex: string, keywords: string[]): CatalogueRule => ({
      id,
      title: id,
      severity: 'high',
      provider: 'test',
      keywords,
      regex,
      remediation: 'Rotate it.',
      references: [],
    });
    const rules = compileRuleSet([
      // Starts at its keyword: found right after it.
      rule('token-first', '(?<![a-z])(?<secret>tok_[0-9]{6})', ['tok_']),
      // One alternative starts 5 characters after its keyword (a lookbehind): no window is safe.
      rule('keyword-behind', '(?<![a-z])(?<secret>abc_[0-9]{6}|(?<=zzzz=)[0-9]{8})', ['abc_', 'zzzz']),
      // A second pattern outside any group does not start at a keyword either.
      rule('top-level-bar', '(?<![\\w.-])[\\w.-]{0,20}?qqq[=:]([0-9]{7})|(?<=rrr )([0-9]{9})', [
        'qqq',
        'rrr',
      ]),
    ]);
    const ids = (content: string) =>
      scanText(rules, content).map((finding) => [finding.ruleId, finding.secret]);
    expect(ids('x tok_123456 y')).toEqual([['token-first', 'tok_123456']]);
    expect(ids('zzzz=12345678')).toEqual([['keyword-behind', '12345678']]);
    expect(ids('my_qqq=1234567')).toEqual([['top-level-bar', '1234567']]);
    expect(ids('rrr 123456789')).toEqual([['top-level-bar', '123456789']]);
  });

  it("honours a provider's published dummy values", () => {
    expect(scanText(ruleSet, 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE')).toEqual([]);
  });
});
