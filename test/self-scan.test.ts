import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

interface Report {
  summary: { files: number };
  findings: { ruleId: string; path: string }[];
}

async function scanRepo(extra: string[]): Promise<{ exitCode: number; report: Report }> {
  const result = await runCli(['scan', '.', '--format', 'json', ...extra], { cwd: REPO });
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as Report };
}

describe("keyfence's own repository", () => {
  it("runs the README's first command, npx keyfence scan ., from the local build (never the registry)", () => {
    const result = spawnSync('npx', ['--no-install', 'keyfence', 'scan', '.'], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(result.stderr.replace(/npm warn [^\n]*\n/g, '')).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^no secrets found in \d+ files/m);
  });

  it('scans clean with its own config, which allowlists the fixtures and rule examples by path', async () => {
    const { exitCode, report } = await scanRepo([]);
    expect(report.findings).toEqual([]);
    expect(exitCode).toBe(0);
    expect(report.summary.files).toBeGreaterThan(50);
  });

  it('has a clean history with its own config (every commit of every ref that this clone has)', async () => {
    const result = await runCli(['scan', '--history', '--format', 'json'], { cwd: REPO });
    const report = JSON.parse(result.stdout) as Report & { summary: { commits: number } };
    expect(report.findings).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(report.summary.commits).toBeGreaterThan(0);
  });

  it('finds the synthetic secrets of the fixtures, rule examples and accuracy corpus without that allowlist, and nothing else', async () => {
    const { exitCode, report } = await scanRepo(['--no-config']);
    expect(exitCode).toBe(1);
    const paths = new Set(report.findings.map((finding) => finding.path));
    expect(paths).toContain('fixtures/sample-project/.env');
    expect(paths).toContain('rules/github.yaml');
    expect(paths).toContain('bench/accuracy/corpus/.env');
    expect([...paths].filter((path) => !/^(fixtures|rules|bench\/accuracy\/corpus)\//.test(path))).toEqual(
      [],
    );
  });
});
