import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zipOf } from '../helpers/archives.js';
import { runCli, scanJson } from '../helpers/cli.js';
import { ALPHA, githubToken, randomString } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

interface Report {
  findings: { ruleId: string; path: string; line: number; commit?: { message: string } }[];
  summary: { files: number; skipped: { path: string; reason: string }[] };
}

const scan = (cwd: string, ...args: string[]) => scanJson<Report>(cwd, ...args);

const token = (seed: number) => githubToken('ghp', seed);
const where = (report: Report) => report.findings.map((f) => `${f.path}:${f.line}`).sort();
const skips = (report: Report) => report.summary.skipped.map((s) => `${s.path}: ${s.reason}`);

/** A real archive of a small config tree, made by `git archive` in a repository of its own. */
function gitArchive(format: 'zip' | 'tar', files: Record<string, string>): Buffer {
  const source = makeGitRepo(files);
  commit(source, 'config');
  return execFileSync('git', ['archive', `--format=${format}`, 'HEAD'], { cwd: source });
}

describe('archives', () => {
  it('finds secrets inside zip, tar.gz, gz and nested archives in directory, staged and history scans', async () => {
    const config = { 'config/.env': `GITHUB_TOKEN=${token(1)}\n`, 'config/README.md': 'settings\n' };
    const zip = gitArchive('zip', config);
    const files = {
      'backup.zip': zip,
      'home.tar.gz': gzipSync(
        gitArchive('tar', {
          '.netrc': `machine api.example.com login deploy password ${randomString(ALPHA.alnum, 16, 80)}\n`,
          'notes.txt': `\ntoken ${token(2)}\n`,
        }),
      ),
      'dump.json.gz': gzipSync(`{\n  "token": "${token(3)}"\n}\n`),
      'release.zip': zipOf([
        { name: 'lib/app.jar', data: zipOf([{ name: 'app.properties', data: `gh=${token(4)}\n` }]) },
      ]),
    };
    const expected = [
      'backup.zip!config/.env:1',
      'dump.json.gz!dump.json:2',
      'home.tar.gz!.netrc:1',
      'home.tar.gz!notes.txt:2',
      'release.zip!lib/app.jar!app.properties:1',
    ];
    const repo = makeGitRepo(files);
    const directory = await scan(repo, '.');
    expect(where(directory)).toEqual(expected);
    expect(directory.summary.skipped).toEqual([]);
    expect(directory.summary.files).toBe(4);
    git(repo, 'add', '.');
    expect(where(await scan(repo, '--staged'))).toEqual(expected);
    commit(repo, 'archives');
    const history = await scan(repo, '--history');
    expect(where(history)).toEqual(expected);
    expect(history.summary.skipped).toEqual([]);
  });

  it('gives the same report when worker threads read the archives', async () => {
    const filler = 'const answer = compute(input) + offset; // nothing to see here\n'.repeat(16_000);
    const tree: Record<string, string | Buffer> = {};
    for (let index = 0; index < 5; index++) tree[`a/filler${index}.ts`] = filler;
    tree['z/backup.zip'] = zipOf([
      { name: 'one.env', data: `ONE=${token(60)}\n` },
      { name: 'two.env', data: `TWO=${token(61)}\n` },
    ]);
    tree['z/locked.zip'] = zipOf([{ name: 'secret.env', data: `S=${token(62)}\n`, flags: 1 }]);
    const dir = makeTree(tree);
    const reports = [];
    for (const workers of ['0', '2']) {
      const result = await runCli(['scan', '.', '--workers', workers, '--format', 'json'], { cwd: dir });
      const parsed = JSON.parse(result.stdout) as Report & {
        summary: { workers: number; durationMs?: number };
      };
      expect(parsed.summary.workers).toBe(Number(workers));
      delete parsed.summary.durationMs;
      reports.push({ ...parsed, summary: { ...parsed.summary, workers: 0 } });
    }
    expect(where(reports[1] as Report)).toEqual(['z/backup.zip!one.env:1', 'z/backup.zip!two.env:1']);
    expect(skips(reports[1] as Report)).toEqual(['z/locked.zip!secret.env: encrypted archive entry']);
    expect(reports[1]).toEqual(reports[0]);
  });

  it('reports what a commit adds to an archive, not the entries it kept', async () => {
    const repo = makeGitRepo({
      'bundle.zip': zipOf([
        { name: 'a.env', data: `A=${token(10)}\n` },
        { name: 'b.env', data: `B=${token(11)}\n` },
      ]),
    });
    commit(repo, 'first');
    writeFileSync(
      join(repo, 'bundle.zip'),
      zipOf([
        { name: 'a.env', data: `A=${token(10)}\n` },
        { name: 'b.env', data: `B=${token(12)}\n` },
      ]),
    );
    commit(repo, 'second');
    git(repo, 'add', '.');
    const history = await scan(repo, '--history', '--all-occurrences');
    expect(history.findings.map((f) => [f.path, f.commit?.message]).sort()).toEqual([
      ['bundle.zip!a.env', 'first'],
      ['bundle.zip!b.env', 'first'],
      ['bundle.zip!b.env', 'second'],
    ]);
    writeFileSync(
      join(repo, 'bundle.zip'),
      zipOf([
        { name: 'a.env', data: `A=${token(10)}\n` },
        { name: 'b.env', data: `B=${token(13)}\n` },
      ]),
    );
    git(repo, 'add', '.');
    const staged = await scan(repo, '--staged');
    expect(where(staged)).toEqual(['bundle.zip!b.env:1']);
  });

  it('applies allowlist paths to the entries of an archive', async () => {
    const dir = makeTree({
      'vendor/sdk.zip': zipOf([{ name: 'fixtures/test.env', data: `T=${token(70)}\n` }]),
      'build/app.zip': zipOf([
        { name: 'testdata/fake.env', data: `F=${token(71)}\n` },
        { name: 'real.env', data: `R=${token(72)}\n` },
      ]),
      '.keyfence.yaml': "allowlist:\n  paths: ['vendor/**', '**/testdata/**']\n",
    });
    const report = await scan(dir, '.');
    expect(where(report)).toEqual(['build/app.zip!real.env:1']);
  });

  it('--max-archive-depth 0 skips archives as binary files; a shallower depth lists what it did not open', async () => {
    const dir = makeTree({
      'outer.zip': zipOf([
        { name: 'top.env', data: `T=${token(20)}\n` },
        { name: 'inner.zip', data: zipOf([{ name: 'deep.env', data: `D=${token(21)}\n` }]) },
      ]),
    });
    const off = await scan(dir, '.', '--max-archive-depth', '0');
    expect(off.findings).toEqual([]);
    expect(skips(off)).toEqual(['outer.zip: binary file']);
    const one = await scan(dir, '.', '--max-archive-depth', '1');
    expect(where(one)).toEqual(['outer.zip!top.env:1']);
    expect(skips(one)).toEqual(['outer.zip!inner.zip: archive nested deeper than --max-archive-depth (1)']);
    const bad = await runCli(['scan', '.', '--max-archive-depth', 'x'], { cwd: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--max-archive-depth');
  });

  it('lists the entries it cannot read and never inflates past its limits', async () => {
    const bomb = Buffer.alloc(200 * 1024 * 1024, 0x61);
    const dir = makeTree({
      'bomb.zip': zipOf([
        { name: 'small-claim.txt', data: bomb.subarray(0, 64 * 1024 * 1024), declaredSize: 100 },
        { name: 'ok.env', data: `OK=${token(30)}\n` },
      ]),
      'big.zip': zipOf([{ name: 'big.txt', data: bomb.subarray(0, 2 * 1024 * 1024) }]),
      'locked.zip': zipOf([{ name: 'secret.env', data: `S=${token(31)}\n`, flags: 1 }]),
      'broken.zip': zipOf([{ name: 'x.env', data: `X=${token(32)}\n` }]).subarray(0, 40),
      'huge.gz': gzipSync(bomb),
    });
    const started = Date.now();
    const report = await scan(dir, '.', '--max-file-size', '1MB');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(where(report)).toEqual(['bomb.zip!ok.env:1']);
    expect(skips(report).sort()).toEqual([
      'big.zip!big.txt: larger than --max-file-size (2097152 > 1048576 bytes)',
      'bomb.zip!small-claim.txt: unreadable archive entry (expands past its limit)',
      'broken.zip: unreadable zip archive (no end of central directory)',
      'huge.gz: larger than --max-file-size (209715200 > 1048576 bytes)',
      'locked.zip!secret.env: encrypted archive entry',
    ]);
  });

  it('prints entry names without the control characters an archive may hold', async () => {
    const dir = makeTree({
      'evil.zip': zipOf([{ name: '\u001b]0;owned\u0007\u001b[2J.env', data: `E=${token(40)}\n` }]),
    });
    const result = await runCli(['scan', '.'], { cwd: dir, isTTY: true });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('evil.zip!');
    expect(result.stdout).not.toContain('\u001b]');
    expect(result.stdout).not.toContain('\u0007');
    expect(result.stdout).not.toContain('\u001b[2J');
  });

  it('scans an archive read from standard input', async () => {
    const dir = makeTree();
    const result = await runCli(['scan', '-', '--format', 'json', '--stdin-path', 'upload.zip'], {
      cwd: dir,
      stdin: zipOf([{ name: 'conf/.env', data: `S=${token(50)}\n` }]),
    });
    expect(result.exitCode).toBe(1);
    expect(where(JSON.parse(result.stdout) as Report)).toEqual(['upload.zip!conf/.env:1']);
  });
});
