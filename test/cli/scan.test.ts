import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { runCli } from '../helpers/cli.js';
import { placeholderProject, plantedProject, positionOf } from '../helpers/planted.js';
import { stripeKey } from '../helpers/tokens.js';
import { makeTree } from '../helpers/tree.js';

/** The JSON reporter writes these fields of a finding under the same names. */
type JsonFinding = Pick<
  Finding,
  'ruleId' | 'path' | 'line' | 'column' | 'endLine' | 'endColumn' | 'secret' | 'fingerprint'
>;

describe('keyfence scan DIR', () => {
  it('reports every planted credential with its rule, path, line and column, masked, and exits 1', async () => {
    const { files, planted } = plantedProject();
    const dir = makeTree(files);
    const result = await runCli(['scan', dir, '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { redacted: boolean; findings: JsonFinding[] };
    expect(report.redacted).toBe(true);
    expect(report.findings).toHaveLength(planted.length);
    for (const expected of planted) {
      const finding = report.findings.find((candidate) => candidate.ruleId === expected.ruleId);
      expect(finding, expected.ruleId).toBeDefined();
      const text = String(files[expected.path]);
      expect(finding).toMatchObject({
        path: `${dir}/${expected.path}`,
        ...positionOf(text, expected.region ?? expected.secret),
      });
      expect(finding?.secret.replace(/\*+$/, '').length).toBeLessThanOrEqual(4);
      expect(result.stdout).not.toContain(expected.secret.slice(0, 12));
    }
  });

  it('prints a console report with location, masked line, caret, remediation and fingerprint', async () => {
    const { files, planted } = plantedProject(2);
    const dir = makeTree({ 'auth/oauth.py': files['auth/oauth.py'] ?? '' });
    const result = await runCli(['scan', '.'], { cwd: dir });
    const secret = planted.find((p) => p.ruleId === 'oauth-client-secret')?.secret ?? '';
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('oauth-client-secret OAuth client secret [high]');
    expect(result.stdout).toContain('--> auth/oauth.py:4:18');
    expect(result.stdout).toContain(`4 | client_secret = "${secret.slice(0, 4)}${'*'.repeat(28)}"`);
    expect(result.stdout).toMatch(/\| {18}\^{32} /);
    expect(result.stdout).toContain('= help: Reset the client secret');
    expect(result.stdout).toMatch(/= ignore: oauth-client-secret:s[0-9a-f]{15}\n/);
    expect(result.stdout).toMatch(/1 secret found \(1 high\) in 1 file \(\d+ B\) scanned in \d+ ms/);
    expect(result.stdout).not.toContain(secret);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('colours the console report only on a TTY or with --color', async () => {
    const dir = makeTree(plantedProject(3).files);
    expect((await runCli(['scan', '.'], { cwd: dir, isTTY: true })).stdout).toContain('\u001b[');
    expect((await runCli(['scan', '.', '--color'], { cwd: dir })).stdout).toContain('\u001b[');
    expect((await runCli(['scan', '.', '--no-color'], { cwd: dir, isTTY: true })).stdout).not.toContain(
      '\u001b[',
    );
  });

  it('draws a progress line on a terminal stderr, but not on one that cannot erase it (TERM=dumb)', async () => {
    const dir = makeTree(plantedProject(3).files);
    const terminal = await runCli(['scan', '.'], { cwd: dir, stderrIsTTY: true });
    expect(terminal.stderr.startsWith('\r\u001b[Kkeyfence: ')).toBe(true);
    expect(terminal.stderr).toMatch(/keyfence: \d+\/\d+ files, /);
    expect((await runCli(['scan', '.'], { cwd: dir, stderrIsTTY: true, env: { TERM: 'dumb' } })).stderr).toBe(
      '',
    );
  });

  it('finds nothing in the same project with placeholders and references, and exits 0', async () => {
    const dir = makeTree(placeholderProject());
    const result = await runCli(['scan', dir], { cwd: dir });
    expect(result.stdout).toMatch(/no secrets found in 7 files \(\d+ B\) scanned/);
    expect(result.exitCode).toBe(0);
  });

  it('writes SARIF with the exact region of each unredacted secret with --no-redact --output', async () => {
    const { files, planted } = plantedProject(4);
    const dir = makeTree(files);
    const result = await runCli(['scan', '.', '--format', 'sarif', '--no-redact', '--output', 'out.sarif'], {
      cwd: dir,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/7 finding\(s\) in 7 file\(s\); report written to out\.sarif/);
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as {
      runs: {
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> };
          }[];
        }[];
      }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    expect(results).toHaveLength(planted.length);
    for (const expected of planted) {
      // A paired AWS key is reported under its rule's critical descriptor (aws-secret-access-key/critical).
      const result = results.find((candidate) => candidate.ruleId.split('/')[0] === expected.ruleId);
      const location = result?.locations[0]?.physicalLocation;
      expect(location?.artifactLocation.uri).toBe(expected.path);
      const lines = String(files[expected.path]).split('\n');
      const { startLine = 0, startColumn = 0, endLine = 0, endColumn = 0 } = location?.region ?? {};
      const region =
        startLine === endLine
          ? lines[startLine - 1]?.slice(startColumn - 1, endColumn - 1)
          : [
              lines[startLine - 1]?.slice(startColumn - 1),
              ...lines.slice(startLine, endLine - 1),
              lines[endLine - 1]?.slice(0, endColumn - 1),
            ].join('\n');
      expect(region, expected.ruleId).toBe(expected.region ?? expected.secret);
    }
  });

  it('gives a file whose name starts with two dots a SARIF location below the root, not a file URI', async () => {
    const dir = makeTree({
      '..env': `STRIPE_SECRET_KEY=${stripeKey('sk_live', 7)}\n`,
      'sub/..x/.env': `KEY=${stripeKey('sk_live', 8)}\n`,
    });
    const result = await runCli(['scan', '.', '--format', 'sarif', '--no-config'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(1);
    const sarif = JSON.parse(result.stdout) as {
      runs: {
        results: {
          locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[];
        }[];
      }[];
    };
    const locations = (sarif.runs[0]?.results ?? []).map(
      (found) => found.locations[0]?.physicalLocation.artifactLocation,
    );
    expect(locations).toEqual(
      expect.arrayContaining([
        { uri: '..env', uriBaseId: '%SRCROOT%' },
        { uri: 'sub/..x/.env', uriBaseId: '%SRCROOT%' },
      ]),
    );
  });

  it('respects --fail-on: findings below the threshold exit 0', async () => {
    const dir = makeTree({ 'pay.js': `key = "${stripeKey('sk_test', 7)}"\n` });
    expect((await runCli(['scan', '.'], { cwd: dir })).exitCode).toBe(1);
    expect((await runCli(['scan', '.', '--fail-on', 'medium'], { cwd: dir })).exitCode).toBe(0);
  });

  it('scans stdin with - and names it with --stdin-path, with no progress line for its one input', async () => {
    const { files } = plantedProject(5);
    const result = await runCli(['scan', '-', '--stdin-path', 'pasted.sh', '--format', 'json'], {
      cwd: makeTree(),
      stdin: String(files['.github/release.sh']),
      stderrIsTTY: true,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { findings: JsonFinding[]; summary: { files: number } };
    expect(report.findings.map((f) => [f.ruleId, f.path, f.line])).toEqual([['github-pat', 'pasted.sh', 2]]);
    expect(report.summary.files).toBe(1);
  });

  it('applies --include and --exclude globs', async () => {
    const dir = makeTree(plantedProject(6).files);
    const only = await runCli(['scan', '.', '--include', 'deploy/**', '--format', 'json'], { cwd: dir });
    const ids = (JSON.parse(only.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.ruleId).sort();
    expect(ids).toEqual(['gcp-service-account-key', 'private-key-rsa']);
    const without = await runCli(
      ['scan', '.', '--exclude', 'deploy/**', '--exclude', '.aws/**', '--format', 'json'],
      { cwd: dir },
    );
    expect((JSON.parse(without.stdout) as { findings: JsonFinding[] }).findings).toHaveLength(4);
  });
});

describe('keyfence rules', () => {
  it('lists at least 60 rules as JSON with id, title, severity, provider and the GitHub secret types each finds', async () => {
    const result = await runCli(['rules', 'list', '--format', 'json'], { cwd: makeTree() });
    expect(result.exitCode).toBe(0);
    const rules = JSON.parse(result.stdout) as Record<string, string>[];
    expect(rules.length).toBeGreaterThanOrEqual(60);
    expect(rules.find((rule) => rule.id === 'github-pat')).toEqual({
      id: 'github-pat',
      title: 'GitHub personal access token (classic)',
      severity: 'high',
      provider: 'github',
      githubTypes: ['github_personal_access_token'],
    });
  });

  it('checks a rules file and reports failing examples with exit 1', async () => {
    const dir = fileURLToPath(new URL('../../fixtures/rules', import.meta.url));
    const result = await runCli(['rules', 'check', 'acme-broken.yaml'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      'acme-broken.yaml:4: acme-token.examples.positive[1]: expected exactly "acme_short", found nothing',
    );
  });
});

describe('help and version', () => {
  it('prints the commands, each command’s options, and the package version', async () => {
    const cwd = makeTree();
    const overview = await runCli(['--help'], { cwd });
    expect(overview.exitCode).toBe(0);
    expect(overview.stdout).toMatch(/keyfence scan \[paths\.\.\]\s+Scan files/);
    expect(overview.stdout).toContain('keyfence init');
    const scanHelp = await runCli(['scan', '--help'], { cwd });
    expect(scanHelp.stdout).toContain('Usage: keyfence scan [paths..]');
    expect(scanHelp.stdout).toMatch(/--staged\s+Scan what the next commit will contain/);
    expect(scanHelp.stdout).toMatch(
      /-f, --format FORMAT\s+Report format \(default console\) \(console, json, sarif, github, markdown, junit, gitlab, csv\)/,
    );
    const version = await runCli(['--version'], { cwd });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
