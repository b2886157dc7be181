import { describe, expect, it } from 'vitest';
import { scanChunk } from '../../src/engine/scan.js';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';
import { runCli } from '../helpers/cli.js';
import { ALPHA, githubToken, randomString, stripeKey } from '../helpers/tokens.js';
import { makeTree } from '../helpers/tree.js';

const ruleSet = await builtinRuleSet();
const token = githubToken('ghp', 81);
const ids = (content: string, path = 'app.py') =>
  scanText(ruleSet, content, path).map((finding) => finding.ruleId);
const scanned = (content: string) =>
  scanChunk({ path: 'app.py', content, startLine: 1, origin: 'file' }, ruleSet);

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

  it('reads the words after keyfence:allow as rule ids while they look like one, then as the reason', () => {
    const stripe = stripeKey('sk_live', 82);
    const both = `A = "${token}" B = "${stripe}"`;
    expect(ids(`${both}  # keyfence:allow github-pat stripe-secret-key`)).toEqual([]);
    expect(ids(`${both}  # keyfence:allow github-pat kept for the docs, stripe-secret-key`)).toEqual([
      'stripe-secret-key',
    ]);
    expect(ids(`${both}  # keyfence:allow GitHub-PAT`)).toEqual(['stripe-secret-key']);
    expect(ids(`${both}  <!-- keyfence:allow github-pat-->`)).toEqual(['stripe-secret-key']);
    expect(ids(`${both}  /* keyfence:allow github-pat*/`)).toEqual(['stripe-secret-key']);
    expect(ids(`${both}  # keyfence:allow -- read-only demo keys`)).toEqual([]);
    expect(ids(`${both}  # keyfence:allow 2025-01-31 rotated`)).toEqual([]);
  });

  it('suppresses nothing for a misspelt rule id, and warns with the closest id', () => {
    const result = scanned(`TOKEN = "${token}"  # keyfence:allow github-tokn`);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['github-pat']);
    expect(result.suppressed).toEqual({ allowlist: 0, inline: 0 });
    expect(result.warnings).toEqual([
      'warning: app.py:1: keyfence:allow names an unknown rule "github-tokn" (did you mean github-pat?), which suppresses nothing',
    ]);
  });

  it('warns at the line of a misspelt marker on the comment line before the finding', () => {
    const result = scanned(`x = 1\n# keyfence:allow gihtub-pat\nTOKEN = "${token}"`);
    expect(result.findings.map((finding) => finding.line)).toEqual([3]);
    expect(result.warnings).toEqual([
      'warning: app.py:2: keyfence:allow names an unknown rule "gihtub-pat" (did you mean github-pat?), which suppresses nothing',
    ]);
  });

  it('keeps the known ids of a marker that also names an unknown one', () => {
    const stripe = stripeKey('sk_live', 82);
    const result = scanned(`A = "${token}" B = "${stripe}"  # keyfence:allow github-pat, stripe-secret-kye`);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['stripe-secret-key']);
    expect(result.suppressed.inline).toBe(1);
    expect(result.warnings).toEqual([
      'warning: app.py:1: keyfence:allow names an unknown rule "stripe-secret-kye" (did you mean stripe-secret-key?), which suppresses nothing',
    ]);
  });

  it('reads a hyphenated first word of a reason as an unknown id, and suggests nothing unlike it', () => {
    const result = scanned(`TOKEN = "${token}"  # keyfence:allow read-only demo account`);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['github-pat']);
    expect(result.warnings).toEqual([
      'warning: app.py:1: keyfence:allow names an unknown rule "read-only", which suppresses nothing',
    ]);
  });

  it('shows the warning in the console summary and in the JSON notes', async () => {
    const cwd = makeTree({ 'deploy.sh': `export GITHUB_TOKEN=${token}  # keyfence:allow github-tokn\n` });
    const warning =
      'warning: deploy.sh:1: keyfence:allow names an unknown rule "github-tokn" (did you mean github-pat?), which suppresses nothing';
    const console = await runCli(['scan', '.'], { cwd });
    expect(console.exitCode).toBe(1);
    // A note that is a warning has one prefix (issue 18, item 5).
    expect(console.stdout).toContain(`\n${warning}\n`);
    expect(console.stdout).not.toContain('note: warning:');
    const json = await runCli(['scan', '.', '--format', 'json'], { cwd });
    expect(json.exitCode).toBe(1);
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string }[]; notes: string[] };
    expect(report.findings.map((finding) => finding.ruleId)).toEqual(['github-pat']);
    expect(report.notes).toEqual([warning]);
  });

  it('never quotes a secret written after the marker as an unknown rule id: the warning is not masked', async () => {
    const slack = `xoxb-${randomString(ALPHA.digits, 12, 82)}-${randomString(ALPHA.digits, 13, 83)}-${randomString(ALPHA.alnum, 24, 84)}`;
    const cwd = makeTree({ 'deploy.sh': `# keyfence:allow ${slack}\nexport SLACK_TOKEN=${slack}\n` });
    for (const format of ['console', 'json']) {
      const result = await runCli(['scan', '.', '--format', format], { cwd });
      expect(result.exitCode).toBe(1);
      expect(result.stdout.toLowerCase()).not.toContain(slack.slice(4, 20).toLowerCase());
      expect(result.stdout).toContain(
        'warning: deploy.sh:1: keyfence:allow is followed by a secret found in this file, not by rule ids, so it suppresses nothing',
      );
    }
  });

  it.each([
    ['a million characters of id-like words', 'ab-cd, '.repeat(150_000), ['ab-cd']],
    ['one word of a million hyphens', `a${'-'.repeat(1_000_000)}b`, []],
  ])('stays fast after a marker followed by %s (at most 16 short ids are read)', (what, after, unknown) => {
    const content = `TOKEN = "${token}"  # keyfence:allow ${after}\n`;
    const started = performance.now();
    const result = scanned(content);
    const elapsed = performance.now() - started;
    console.log(`a marker followed by ${what}: ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(1_000);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(
      unknown.length > 0 ? ['github-pat'] : [],
    );
    expect(result.warnings).toEqual(
      unknown.length > 0
        ? ['warning: app.py:1: keyfence:allow names an unknown rule "ab-cd", which suppresses nothing']
        : undefined,
    );
  });

  it('warns about each unknown id once per line, and about at most ten in a file, then counts the rest', () => {
    const lines = Array.from(
      { length: 30 },
      (_, index) =>
        `T${index} = "${githubToken('ghp', 500 + index)}"  # keyfence:allow github-pat-${index}, github-pat-${index}`,
    );
    const result = scanned(lines.join('\n'));
    expect(result.findings).toHaveLength(30);
    expect(result.warnings).toHaveLength(11);
    expect(result.warnings?.[0]).toBe(
      'warning: app.py:1: keyfence:allow names an unknown rule "github-pat-0" (did you mean github-pat?), which suppresses nothing',
    );
    expect(result.warnings?.[10]).toBe(
      'warning: app.py: 20 more unknown rule ids in keyfence:allow comments',
    );
  });
});
