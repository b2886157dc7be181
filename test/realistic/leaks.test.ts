import { cpSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { commit, git, makeGitRepo } from '../helpers/tree.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/realistic-leaks', import.meta.url));

/** One leak of fixtures/realistic-leaks.json (written by bench/accuracy/generate.mjs). */
interface Leak {
  file: string;
  line: number;
  rule: string;
  /** The rule that reports it when another rule than `rule` does. */
  reportedAs?: string;
  /** No finding on its line today (listed, not expected). */
  missed?: true;
}

const leaks = JSON.parse(
  readFileSync(new URL('../../fixtures/realistic-leaks.json', import.meta.url), 'utf8'),
) as Leak[];
const expected = leaks.filter((leak) => !leak.missed);

/** `file:line rule` of every finding of a JSON report, one entry per finding. */
function found(stdout: string): string[] {
  const report = JSON.parse(stdout) as { findings: { path: string; line: number; ruleId: string }[] };
  return report.findings.map((finding) => `${finding.path}:${finding.line} ${finding.ruleId}`);
}

/** The expected leaks a scan's findings leave out (several leaks can share a minified line). */
function unfound(findings: string[]): string[] {
  const left = [...findings];
  return expected
    .map((leak) => `${leak.file}:${leak.line} ${leak.reportedAs ?? leak.rule}`)
    .filter((entry) => {
      const index = left.indexOf(entry);
      if (index === -1) return true;
      left.splice(index, 1);
      return false;
    });
}

describe('realistic leaks in everyday files (fixtures/realistic-leaks), in one repository', () => {
  it('finds every leak by --staged, --history and a directory scan of the built binary, at its line and by its rule', () => {
    expect(expected.length).toBeGreaterThanOrEqual(150);
    const repo = makeGitRepo();
    cpSync(FIXTURES, repo, { recursive: true });
    git(repo, 'add', '-A');
    const args = ['--format', 'json', '--no-ignore-file'];
    const staged = runBin(['scan', '--staged', ...args], { cwd: repo });
    commit(repo, 'add the storefront configuration');
    const history = runBin(['scan', '--history', ...args], { cwd: repo });
    const directory = runBin(['scan', '.', ...args], { cwd: repo });
    for (const result of [staged, history, directory]) expect(result.stderr).toBe('');
    expect({
      staged: unfound(found(staged.stdout)),
      history: unfound(found(history.stdout)),
      directory: unfound(found(directory.stdout)),
    }).toEqual({ staged: [], history: [], directory: [] });
  });
});
