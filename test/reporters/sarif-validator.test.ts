import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { plantedProject } from '../helpers/planted.js';
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
      const log = join(repo, `validation-${redact.length}.sarif`);
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
        {
          encoding: 'utf8',
          env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
        },
      );
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const validation = JSON.parse(readFileSync(log, 'utf8')) as {
        runs: { results?: ValidationResult[] }[];
      };
      const problems = (validation.runs[0]?.results ?? []).filter(
        (result) => result.level === 'error' || result.level === 'warning',
      );
      expect(
        problems.map((p) => `${p.ruleId}: ${p.message.text ?? p.message.arguments?.join(' ') ?? ''}`),
      ).toEqual([]);
      const notes = validation.runs[0]?.results?.length ?? 0;
      expect(notes).toBeGreaterThan(0);
    }
  }, 120_000);
});
