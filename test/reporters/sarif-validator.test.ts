import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { plantedProject } from '../helpers/planted.js';
import { ALPHA, randomString } from '../helpers/tokens.js';
import { makeGitRepo, makeTree, git } from '../helpers/tree.js';

/** Path of Microsoft's SARIF multitool binary from @microsoft/sarif-multitool. */
function multitool(): string {
  const path = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
  // npm 11 skips the package's postinstall, which only sets this executable bit.
  chmodSync(path, 0o755);
  return path;
}

interface ValidationResult {
  level?: string;
  ruleId: string;
  message: { text?: string; id?: string; arguments?: string[] };
}

/** What Microsoft's validator, with GitHub's ingestion rules, says of a SARIF file: every result (`log` is its own SARIF). */
function validate(report: string, log: string): ValidationResult[] {
  const run = spawnSync(
    multitool(),
    [
      'validate',
      report,
      '--rule-kind',
      'Gh;Sarif',
      '--level',
      'Error;Warning;Note',
      '--output',
      log,
      '--quiet',
    ],
    { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
  );
  expect(run.status, run.stdout + run.stderr).toBe(0);
  const validation = JSON.parse(readFileSync(log, 'utf8')) as { runs: { results?: ValidationResult[] }[] };
  return validation.runs[0]?.results ?? [];
}

/** The validator's errors and warnings, one line each. */
const problems = (results: readonly ValidationResult[]): string[] =>
  results
    .filter((result) => result.level === 'error' || result.level === 'warning')
    .map((p) => `${p.ruleId}: ${p.message.text ?? p.message.arguments?.join(' ') ?? ''}`);

describe('SARIF output', () => {
  it("passes Microsoft's SARIF validator including GitHub's ingestion rules", async () => {
    const { files } = plantedProject(9);
    const repo = makeGitRepo(files);
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'init');
    // Outside the repository: the second scan would read the first report, and --output refuses that.
    const report = join(makeTree(), 'keyfence.sarif');
    for (const redact of [[], ['--no-redact']]) {
      const scan = await runCli(['scan', '.', '--format', 'sarif', '--output', report, ...redact], {
        cwd: repo,
      });
      expect(scan.exitCode).toBe(1);
      // The paired AWS key of .aws/credentials is reported under a descriptor of its own severity.
      const sarif = JSON.parse(readFileSync(report, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
      expect(sarif.runs[0]?.results.map((result) => result.ruleId)).toContain(
        'aws-secret-access-key/critical',
      );
      const results = validate(report, join(repo, `validation-${redact.length}.sarif`));
      expect(problems(results)).toEqual([]);
      const notes = results.length;
      expect(notes).toBeGreaterThan(0);
    }
  }, 120_000);

  it("stays valid, and adds no link, image or HTML to a rule's help, when a config's rule has any text as reference and remediation", async () => {
    const repo = makeGitRepo({
      '.keyfence.yaml': [
        'rules:',
        '  custom:',
        '    - id: acme-token',
        '      title: Acme token',
        '      severity: high',
        '      keywords: [acme_]',
        "      regex: '(?<secret>acme_[a-z0-9]{20})'",
        "      remediation: 'Rotate it at [github.com/settings](https://x.invalid/phish) ![x](https://x.invalid/p.png) <img src=https://x.invalid/i> with `acme rotate`'",
        "      references: ['see the wiki', 'javascript:alert(1)', 'https://x.invalid/a> ![y](https://x.invalid/q)', 'https://docs.example.invalid/acme']",
        '',
      ].join('\n'),
      'app.env': `ACME=acme_${randomString(ALPHA.lowerDigits, 20, 1801)}\n`,
    });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'init');
    const report = join(makeTree(), 'keyfence.sarif');
    const scan = await runCli(['scan', '.', '--format', 'sarif', '--output', report], { cwd: repo });
    expect(scan.exitCode, scan.stderr).toBe(1);
    expect(problems(validate(report, join(repo, 'validation.sarif')))).toEqual([]);
    const sarif = JSON.parse(readFileSync(report, 'utf8')) as {
      runs: { tool: { driver: { rules: { id: string; helpUri?: string; help: { markdown: string } }[] } } }[];
    };
    const rule = sarif.runs[0]?.tool.driver.rules.find((descriptor) => descriptor.id === 'acme-token');
    expect(rule?.helpUri).toBe('https://docs.example.invalid/acme');
    const markdown = rule?.help.markdown ?? '';
    // Every Markdown-active character outside the code span is backslash-escaped.
    expect(markdown.split('\n\nReferences:')[0]).not.toMatch(/(?<!\\)[[\]<>!()]/);
    expect(markdown).toContain('`acme rotate`');
    expect(markdown.split('\n').slice(-4)).toEqual([
      '- see the wiki',
      '- javascript\\:alert\\(1\\)',
      '- https\\:\\/\\/x\\.invalid\\/a\\> \\!\\[y\\]\\(https\\:\\/\\/x\\.invalid\\/q\\)',
      '- <https://docs.example.invalid/acme>',
    ]);
  }, 120_000);
});
