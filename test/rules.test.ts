import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRuleFiles, readRuleDirectory, toCatalogueRule } from '../src/rules/catalogue.js';
import { checkRules } from '../src/rules/check.js';
import { formatProblem } from '../src/rules/yaml-source.js';

const RULES_DIR = fileURLToPath(new URL('../rules', import.meta.url));

describe('the built-in rule catalogue', async () => {
  const { rules, problems } = await parseRuleFiles(await readRuleDirectory(RULES_DIR));
  const catalogue = rules.map(toCatalogueRule);

  it('parses with no schema problem and unique ids', () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('holds at least 60 rules, each with a remediation line and a reference URL', () => {
    expect(rules.length).toBeGreaterThanOrEqual(60);
    for (const { spec } of rules) {
      expect(spec.remediation.length, spec.id).toBeGreaterThan(20);
      expect(spec.references[0], spec.id).toMatch(/^https:\/\//);
    }
  });

  it('limits rules to paths by a file name or extension in any directory, which needs no glob library at start-up', () => {
    // Any other glob loads micromatch (about 10 ms) on every scan, the pre-commit hook's included.
    const simple = /^\*\*\/(?:\*\.)?[^*?[\]{}()!+@/\\]+$/;
    const other = rules.flatMap(({ spec }) =>
      (spec.paths ?? []).filter((glob) => !simple.test(glob)).map((glob) => `${spec.id}: ${glob}`),
    );
    expect(other).toEqual([]);
  });

  it.each(rules.map((rule) => [rule.spec.id, rule] as const))(
    '%s passes checkRule on its examples',
    (_id, rule) => {
      expect(checkRules([rule], catalogue).map(formatProblem)).toEqual([]);
    },
  );

  it('covers the credentials the issue names', () => {
    const ids = new Set(rules.map((rule) => rule.spec.id));
    for (const id of [
      'aws-access-key-id',
      'aws-secret-access-key',
      'aws-session-token',
      'google-api-key',
      'google-oauth-client-secret',
      'gcp-service-account-key',
      'stripe-secret-key',
      'stripe-secret-key-test',
      'stripe-restricted-key',
      'stripe-webhook-secret',
      'github-pat',
      'github-fine-grained-pat',
      'github-oauth-token',
      'github-user-to-server-token',
      'github-server-to-server-token',
      'github-refresh-token',
      'oauth-client-secret',
      'slack-bot-token',
      'slack-webhook-url',
      'twilio-api-key',
      'sendgrid-api-key',
      'mailgun-api-key',
      'npm-access-token',
      'pypi-api-token',
      'gitlab-pat',
      'gitlab-runner-token',
      'gitlab-deploy-token',
      'azure-storage-account-key',
      'azure-ad-client-secret',
      'openai-api-key',
      'anthropic-api-key',
      'huggingface-token',
      'shopify-access-token',
      'square-access-token',
      'braintree-access-token',
      'heroku-api-key',
      'digitalocean-token',
      'datadog-api-key',
      'discord-bot-token',
      'telegram-bot-token',
      'firebase-fcm-server-key',
      'atlassian-api-token',
      'dropbox-access-token',
      'jwt',
      'private-key-rsa',
      'private-key-ec',
      'private-key-dsa',
      'private-key-pkcs8',
      'private-key-pkcs8-encrypted',
      'private-key-openssh',
      'private-key-pgp',
      'private-key-putty',
      'postgres-connection-string',
      'mysql-connection-string',
      'mongodb-connection-string',
      'redis-connection-string',
      'amqp-connection-string',
      'url-credentials',
      'http-basic-auth',
      'http-bearer-token',
      'generic-password',
      'generic-secret',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
  });
});

describe('checkRule', () => {
  const rule = (overrides: string) => `rules:
  - id: demo-token
    title: Demo token
    severity: high
    keywords: [demo_]
    regex: '(?<secret>demo_[a-z0-9]{20})'
    remediation: Revoke it in the demo console and load it from a secret manager.
    references: [https://example.invalid/docs]
${overrides}`;

  async function problemsOf(text: string): Promise<string[]> {
    const { rules, problems } = await parseRuleFiles([{ file: 'demo.yaml', text }]);
    return [...problems, ...checkRules(rules, [])].map(formatProblem);
  }

  it('accepts a rule whose examples hold', async () => {
    const text = rule(`    examples:
      positive:
        - { text: 'a = demo_abcdefghij0123456789', secret: demo_abcdefghij0123456789 }
        - { text: 'demo_0123456789abcdefghij', secret: demo_0123456789abcdefghij }
        - { text: 'export DEMO=demo_9876543210abcdefghij', secret: demo_9876543210abcdefghij }
      negative: ['demo_short', 'nothing here', 'DEMO=demo_<token>']`);
    expect(await problemsOf(text)).toEqual([]);
  });

  it('reports an unknown key with file, line and field', async () => {
    const text = rule(`    colour: red
    examples: { positive: [], negative: [] }`);
    expect(await problemsOf(text)).toContain(
      'demo.yaml:9: rules[0].colour: unknown key (allowed: id, title, severity, keywords, regex, flags, entropy, window, window-after, validate, extract, report-at, filters, allowlist, paths, path-regexes, fingerprint, pair, github-types, remediation, references, examples)',
    );
  });

  it('reports a regex without a secret group and a bad severity', async () => {
    const text = rule(`    examples: { positive: [], negative: [] }`)
      .replace("'(?<secret>demo_[a-z0-9]{20})'", "'demo_[a-z0-9]{20}'")
      .replace('severity: high', 'severity: urgent');
    const problems = await problemsOf(text);
    expect(problems).toContain('demo.yaml:4: rules[0].severity: expected one of critical, high, medium, low');
    expect(problems).toContain('demo.yaml:6: rules[0].regex: needs a named group (?<secret>…)');
  });

  it('refuses a one-character keyword, which every file of code holds', async () => {
    const text = rule(`    examples: { positive: [], negative: [] }`).replace(
      'keywords: [demo_]',
      `keywords: ['"', demo_]`,
    );
    expect(await problemsOf(text)).toContain(
      'demo.yaml:5: rules[0].keywords: a one-character keyword occurs in nearly every file and costs every scan: use a longer literal, or no keywords and paths',
    );
  });

  it('fails a rule with too few examples, a positive without keyword, and a matching negative', async () => {
    const text = rule(`    examples:
      positive:
        - { text: 'x = DEMO_abcdefghij0123456789', secret: demo_abcdefghij0123456789 }
      negative: ['demo_0123456789abcdefghij']`);
    const problems = await problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('demo-token.examples.positive: needs at least 3 examples'),
        expect.stringContaining('demo-token.examples.negative: needs at least 3 examples'),
        expect.stringContaining('demo-token.examples.positive[0]: text does not contain the secret'),
        expect.stringContaining('demo-token.examples.negative[0]: must not match'),
      ]),
    );
  });

  it('reports duplicate ids across files', async () => {
    const text = rule(`    examples: { positive: [], negative: [] }`);
    const { problems } = await parseRuleFiles([
      { file: 'a.yaml', text },
      { file: 'b.yaml', text },
    ]);
    expect(problems.map(formatProblem)).toContain(
      'b.yaml:2: id: duplicate rule id "demo-token" (first defined at a.yaml:2)',
    );
  });
});
