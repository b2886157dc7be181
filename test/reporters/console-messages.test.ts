import { describe, expect, it } from 'vitest';
import { annotations } from '../../src/reporters/github.js';
import { jobSummary } from '../../src/reporters/markdown.js';
import { fileKind } from '../../src/reporters/advice.js';
import { maskReport } from '../../src/reporters/redact.js';
import { formatSarif } from '../../src/reporters/sarif.js';
import { builtinRuleSet, fileReport, scanText } from '../helpers/catalogue.js';
import { runCli } from '../helpers/cli.js';
import { ALPHA, githubToken, randomString } from '../helpers/tokens.js';
import { git, makeGitRepo, makeTree } from '../helpers/tree.js';

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

describe('advice that fits the file', () => {
  it.each([
    ['.env', 'environment'],
    ['config/.env.production', 'environment'],
    ['deploy/prod.env', 'environment'],
    ['.envrc', 'environment'],
    ['.env.example', 'example'],
    ['config/.env.sample', 'example'],
    ['infra/prod.tfvars', 'terraform'],
    ['infra/secrets.auto.tfvars.json', 'terraform'],
    ['infra/example.tfvars', 'example'],
    ['.aws/credentials', 'credentials'],
    ['home/.kube/config', 'credentials'],
    ['ops/staging.kubeconfig', 'credentials'],
    ['.docker/config.json', 'credentials'],
    ['.netrc', 'credentials'],
    ['src/.env.ts', undefined],
    ['src/config.json', undefined],
    ['src/app.js', undefined],
    ['lib/credentials.py', undefined],
  ])('%s is %s', (path, kind) => {
    expect(fileKind(path)).toBe(kind);
  });

  it('a secret in .env: keep the file out of git and commit a .env.example; code keeps the usual help', async () => {
    const cwd = makeTree({
      '.env': `GITHUB_TOKEN=${token}\n`,
      'src/app.js': `const t = "${githubToken('ghp', 2103)}";\n`,
    });
    const scan = await runCli(['scan', '.', '--no-config'], { cwd });
    const [env = '', code = ''] = scan.stdout.split('\n\n');
    expect(env).toContain('--> .env:1:14');
    expect(env).toMatch(
      /= file: an environment file stays out of git: add \.env to \.gitignore .*commit a \.env\.example/,
    );
    expect(env).toContain("platform's secret store");
    expect(code).toContain('--> src/app.js:1:12');
    expect(code).not.toContain('= file:');
  });

  it('a commit that stages .env is told to unstage it and keep it out of git, not to read it from an environment variable in the code', async () => {
    const repo = makeGitRepo({ '.env': `GITHUB_TOKEN=${token}\n` });
    git(repo, 'add', '.env');
    const scan = await runCli(['scan', '--staged', '--no-config'], { cwd: repo });
    expect(scan.exitCode).toBe(1);
    const blocked = scan.stdout.slice(scan.stdout.indexOf('keyfence blocked this commit'));
    expect(blocked).toMatch(/^Now: keep \.env out of git: git restore --staged FILE/m);
    expect(blocked).toContain('.gitignore');
    expect(blocked).toContain('.env.example');
    expect(blocked).not.toContain('read it from an environment variable');
  });
});

describe('the Action and SARIF say the same', () => {
  it('a finding in .env of a rule without a title: the id once in the annotation and summary, and advice that fits the file', async () => {
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
    expect(annotation).toContain('Revoke it. In this file: an environment file stays out of git');
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
    expect(row).toContain('commit a \\.env\\.example');
    const sarif = JSON.parse(
      formatSarif(masked, {
        color: false,
        cwd: '/repo',
        root: '/repo',
        toolVersion: '0.0.0',
        redacted: true,
      }),
    ) as { runs: { results: { message: { text: string } }[] }[] };
    expect(sarif.runs[0]?.results[0]?.message.text).toContain(
      'In this file: an environment file stays out of git',
    );
  });
});
