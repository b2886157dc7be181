import { describe, expect, it } from 'vitest';
import { annotations } from '../../src/action/annotations.js';
import { jobSummary } from '../../src/action/summary.js';
import { maskReport } from '../../src/reporters/redact.js';
import { builtinRuleSet, fileReport, scanText } from '../helpers/catalogue.js';
import { runCli } from '../helpers/cli.js';
import { ALPHA, githubToken, randomString } from '../helpers/tokens.js';
import { makeTree } from '../helpers/tree.js';

const token = githubToken('ghp', 2101);

describe('console messages', () => {
  it('prints a warning among the notes with one prefix, not "note: warning:"', async () => {
    const cwd = makeTree({ 'app.js': `const t = "${token}"; // keyfence:allow github-tokn\n` });
    const scan = await runCli(['scan', '.', '--no-config'], { cwd });
    expect(scan.stdout).toMatch(/^warning: app\.js:1: keyfence:allow names an unknown rule "github-tokn"/m);
    expect(scan.stdout).not.toContain('note: warning:');
  });

  it('names a custom rule without a title by its id, once', async () => {
    const secret = `acme_${randomString(ALPHA.alnum.toLowerCase().replace(/[A-Z]/g, ''), 32, 2102)}`;
    const cwd = makeTree({
      '.keyfence.yaml': [
        'extends: none',
        'rules:',
        '  custom:',
        '    - id: acme-api-key',
        '      severity: high',
        '      keywords: [acme_]',
        "      regex: '\\b(?<secret>acme_[a-z0-9]{32})\\b'",
        '',
      ].join('\n'),
      'app.js': `const acme = "${secret}";\n`,
    });
    const scan = await runCli(['scan', '.'], { cwd });
    expect(scan.exitCode, scan.stderr).toBe(1);
    expect(scan.stdout.split('\n')[0]).toBe('acme-api-key [high]');
  });

  it('says why nothing was scanned when every file that matched was skipped', async () => {
    const cwd = makeTree({
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]).toString('latin1'),
      'data.bin': '\u0000\u0001\u0002 binary',
      'big.txt': 'x'.repeat(2048),
    });
    const scan = await runCli(['scan', '.', '--no-config', '--max-file-size', '1k'], { cwd });
    expect(scan.exitCode).toBe(0);
    expect(scan.stdout).toContain(
      'warning: nothing was scanned: all 3 files found were skipped (binary file: 2, larger than --max-file-size: 1)',
    );
    expect(scan.stdout).not.toContain('no files matched');
    const excluded = await runCli(['scan', 'data.bin', '--no-config'], { cwd });
    expect(excluded.stdout).toContain(
      'warning: nothing was scanned: the one file found was skipped (binary file: 1)',
    );
    const empty = await runCli(['scan', '.', '--no-config'], { cwd: makeTree({}) });
    expect(empty.stdout).toContain('warning: nothing was scanned (no files matched)');
  });
});

describe('the Action and SARIF say the same', () => {
  it('a finding in .env of a rule without a title: the id once in the annotation and summary', async () => {
    const content = `GITHUB_TOKEN=${token}\n`;
    const report = fileReport(scanText(await builtinRuleSet(), content, '.env'), content);
    report.rules = {
      'github-pat': {
        id: 'github-pat',
        title: 'github-pat',
        severity: 'high',
        provider: 'custom',
        remediation: 'Revoke it.',
        references: [],
      },
    };
    const masked = maskReport(report, true);
    const [annotation = ''] = annotations(masked, (path) => path);
    expect(annotation).toContain(',title=keyfence%3A github-pat::');
    const summary = jobSummary(masked, {
      scanned: 'push',
      links: { server: 'https://github.com', repository: undefined, sha: undefined },
      pathOf: (path) => path,
      failing: 1,
      failOn: 'low',
      newOnly: false,
    });
    const row = summary.split('\n').find((line) => line.startsWith('| github'));
    expect(row).toMatch(/^\| github\\-pat \\\(high\\\) \|/);
  });
});
