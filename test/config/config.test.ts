import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ALPHA, githubToken, randomString, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

interface JsonReport {
  findings: { ruleId: string; path: string; severity: string; secret: string }[];
  notes: string[];
}

async function scanJson(
  cwd: string,
  ...args: string[]
): Promise<JsonReport & { exitCode: number; stderr: string }> {
  const result = await runCli(['scan', ...args, '-f', 'json', '--no-redact'], { cwd });
  if (result.exitCode === 2) return { findings: [], notes: [], exitCode: 2, stderr: result.stderr };
  return { ...(JSON.parse(result.stdout) as JsonReport), exitCode: result.exitCode, stderr: result.stderr };
}

const pairs = (report: JsonReport) =>
  report.findings.map((finding) => `${finding.path} ${finding.ruleId}`).sort();

describe('per-directory configs (monorepos)', () => {
  const token = githubToken('ghp', 501);
  const stripe = stripeKey('sk_live', 502);
  const files = {
    'packages/a/.keyfence.yaml': 'rules:\n  disable: [github-pat]\n',
    'packages/a/src/client.js': `export const gh = "${token}";\nexport const stripe = "${stripe}";\n`,
    'packages/b/src/client.js': `export const gh = "${token}";\nexport const stripe = "${stripe}";\n`,
  };

  it('a rule disabled in packages/a fires in packages/b and not in a, in directory, staged and history scans', async () => {
    const repo = makeGitRepo(files);
    const expected = [
      'packages/a/src/client.js stripe-secret-key',
      'packages/b/src/client.js github-pat',
      'packages/b/src/client.js stripe-secret-key',
    ];
    expect(pairs(await scanJson(repo))).toEqual(expected);
    git(repo, 'add', '.');
    expect(pairs(await scanJson(repo, '--staged'))).toEqual(expected);
    commit(repo, 'add packages');
    expect(pairs(await scanJson(repo, '--history', '--all-occurrences'))).toEqual(expected);
    // From inside a package, the same configs apply; paths are shown relative to the cwd.
    expect(pairs(await scanJson(join(repo, 'packages/a')))).toEqual(['src/client.js stripe-secret-key']);
  });

  it('merges field by field: closest wins for settings, allowlists add up, a closer config can enable a rule again', async () => {
    const repo = makeGitRepo({
      ...files,
      '.keyfence.yaml': [
        'rules:',
        '  disable: [stripe-secret-key]',
        '  overrides:',
        '    github-pat: { severity: medium }',
        'allowlist:',
        '  paths: ["**/legacy/**"]',
        'fail-on: high',
        '',
      ].join('\n'),
      'packages/b/.keyfence.yaml':
        'rules:\n  enable: [stripe-secret-key]\n  overrides:\n    github-pat: { severity: low }\n',
      'packages/b/legacy/old.js': `const gh = "${token}";\n`,
    });
    const report = await scanJson(repo);
    expect(
      report.findings.map((finding) => `${finding.path} ${finding.ruleId} ${finding.severity}`).sort(),
    ).toEqual([
      'packages/b/src/client.js github-pat low',
      'packages/b/src/client.js stripe-secret-key critical',
    ]);
    // fail-on high from the top config: the critical Stripe key fails the scan.
    expect(report.exitCode).toBe(1);
    writeFileSync(join(repo, 'packages/b/src/client.js'), `export const gh = "${token}";\n`);
    expect((await scanJson(repo)).exitCode).toBe(0);
  });

  it('--config uses one file for every path; --no-config uses none', async () => {
    const repo = makeGitRepo({ ...files, 'strict.yaml': 'rules:\n  disable: [stripe-secret-key]\n' });
    expect(pairs(await scanJson(repo, '--config', 'strict.yaml'))).toEqual([
      'packages/a/src/client.js github-pat',
      'packages/b/src/client.js github-pat',
    ]);
    expect(pairs(await scanJson(repo, '--no-config'))).toHaveLength(4);
  });
});

describe('rule overrides and custom rules', () => {
  const acme = (seed: number) => `acme_${randomString(ALPHA.lowerDigits, 32, seed)}`;

  const customRule = (examples: string) =>
    [
      'rules:',
      '  custom:',
      '    - id: acme-api-key',
      '      title: Acme API key',
      '      severity: high',
      '      keywords: [acme_]',
      "      regex: '\\b(?<secret>acme_[a-z0-9]{32})\\b'",
      '      entropy: 3',
      '      paths: ["src/**"]',
      examples,
      '',
    ].join('\n');

  it('runs custom rules from the config, only on their paths, and checks their examples when the config loads', async () => {
    const good = [
      '      examples:',
      '        positive:',
      `          - text: 'curl -H "X-Acme: ${acme(511)}"'`,
      `            secret: '${acme(511)}'`,
      '        negative: [acme_short]',
    ].join('\n');
    const repo = makeTree({
      '.keyfence.yaml': customRule(good),
      'src/app.js': `const key = "${acme(512)}";\n`,
      'docs/app.md': `key: ${acme(513)}\n`,
    });
    const report = await scanJson(repo);
    expect(report.findings.map((finding) => [finding.path, finding.ruleId, finding.secret])).toEqual([
      ['src/app.js', 'acme-api-key', acme(512)],
    ]);

    const bad = ['      examples:', '        negative:', `          - 'ACME_KEY=${acme(514)}'`].join('\n');
    writeFileSync(join(repo, '.keyfence.yaml'), customRule(bad));
    const rejected = await scanJson(repo);
    expect(rejected.exitCode).toBe(2);
    expect(rejected.stderr).toMatch(
      /^keyfence: \.keyfence\.yaml:3: rules\.custom: acme-api-key\.examples\.negative\[0\]: must not match/,
    );
    expect(rejected.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('overrides entropy, paths and allowlist of a built-in rule', async () => {
    const token = githubToken('ghp', 521);
    const repo = makeTree({
      '.keyfence.yaml': `rules:\n  overrides:\n    github-pat:\n      paths: ["src/**"]\n      allowlist: { stopwords: ["${token.slice(4, 14)}"] }\n`,
      'src/a.js': `t = "${token}"\nu = "${githubToken('ghp', 522)}"\n`,
      'test/a.js': `u = "${githubToken('ghp', 522)}"\n`,
    });
    expect(
      (await scanJson(repo)).findings.map((finding) => `${finding.path} ${finding.secret.slice(0, 8)}`),
    ).toEqual([`src/a.js ${githubToken('ghp', 522).slice(0, 8)}`]);
  });

  it("scans a 1 MB line of a's, bare and behind keywords, against the built-in rules in under a second", async () => {
    const line = 'a'.repeat(1024 * 1024);
    const repo = makeTree({
      'plain.txt': line,
      'assigned.env': `password=${line}\n`,
      'quoted.js': `const token = "${line}`,
    });
    for (const file of ['plain.txt', 'assigned.env', 'quoted.js']) {
      const started = performance.now();
      const result = await runCli(['scan', file, '--max-file-size', '2MB'], { cwd: repo });
      const elapsed = performance.now() - started;
      expect(result.exitCode, `${file}: ${result.stdout}`).toBe(0);
      expect(elapsed, file).toBeLessThan(1000);
    }
  });
});

describe('config errors', () => {
  it.each([
    [
      'rules:\n  overrides:\n    aws-secret-access-key:\n      entropy: high\n',
      '.keyfence.yaml:4: rules.overrides.aws-secret-access-key.entropy: expected a number between 0 and 8',
    ],
    [
      'rules:\n  disable: [no-such-rule]\n',
      '.keyfence.yaml:2: rules.disable[0]: unknown rule "no-such-rule"',
    ],
    ['extends: gitleaks\n', '.keyfence.yaml:1: extends: expected "default" (the built-in rules) or "none"'],
    [
      'rules:\n  custom:\n    - id: x\n      severity: high\n      regex: "(unclosed"\n',
      '.keyfence.yaml:5: rules.custom[0].regex: invalid regular expression',
    ],
    ['colour: red\n', '.keyfence.yaml:1: colour: unknown key'],
    ['a: [\n', '.keyfence.yaml:2: invalid YAML'],
    ['allowlist:\n  commits: [main]\n', '.keyfence.yaml:2: allowlist.commits[0]: expected a commit sha'],
    [
      'allowlist:\n  commits: [1234567]\n',
      '.keyfence.yaml:2: allowlist.commits[0]: a commit sha must be quoted',
    ],
  ])('%j -> one line naming file, line and field', async (text, message) => {
    const repo = makeTree({ '.keyfence.yaml': text, 'a.txt': 'hi\n' });
    const result = await runCli(['scan'], { cwd: repo });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`keyfence: ${message}`);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('ignores an empty config and reports one in a subdirectory by its path', async () => {
    const repo = makeGitRepo({
      '.keyfence.yaml': '',
      'pkg/.keyfence.yaml': 'fail-on: none\n',
      'pkg/a.txt': 'hi\n',
    });
    const result = await runCli(['scan'], { cwd: repo });
    expect(result.stderr).toContain(
      'keyfence: pkg/.keyfence.yaml:1: fail-on: expected one of critical, high, medium, low',
    );
  });
});
