import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { corruptLooseObject } from '../helpers/git-faults.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

const token = (seed: number) => githubToken('ghp', seed);

function write(repo: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
}

/**
 * A history where a secret is added, moved to another file, shifted down by lines added above it,
 * removed, and added again; beside it a binary file, an inline-allowed secret, and a branch with
 * its own secret merged back.
 */
function busyHistory(): string {
  const repo = makeGitRepo({ 'README.md': '# app\n', 'docs/guide.md': 'Read me once.\n' });
  commit(repo, 'init');
  write(repo, { 'config.py': `DEBUG = False\nAPI = "${token(1)}"\n` });
  commit(repo, 'add config');
  rmSync(join(repo, 'config.py'));
  write(repo, { 'settings/app.py': `# settings\nAPI = "${token(1)}"\n` });
  commit(repo, 'move the key');
  write(repo, { 'settings/app.py': `# settings\nimport os\nimport sys\nAPI = "${token(1)}"\n` });
  commit(repo, 'imports above the key');
  write(repo, { 'settings/app.py': '# settings\nimport os\nimport sys\nAPI = os.environ["API"]\n' });
  commit(repo, 'key from the environment');
  write(repo, {
    'config.py': `DEBUG = False\nAPI = "${token(1)}"\n`,
    'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]),
    'tests/fixture.py': `KEY = "${stripeKey('sk_live', 2)}"  # keyfence:allow test fixture\n`,
  });
  commit(repo, 'the key is back');
  git(repo, 'checkout', '-q', '-b', 'feature');
  write(repo, { 'feature.js': `const key = "${token(3)}";\n` });
  commit(repo, 'feature');
  git(repo, 'checkout', '-q', 'main');
  write(repo, { 'README.md': '# app\n\nUsage.\n' });
  commit(repo, 'docs');
  git(
    repo,
    '-c',
    'user.name=Test',
    '-c',
    'user.email=test@example.invalid',
    'merge',
    '-q',
    '--no-ff',
    '-m',
    'merge',
    'feature',
  );
  return repo;
}

/** The JSON report without its timing, which is all that may differ between two scans of one history. */
function comparable(result: CliResult): unknown {
  const report = JSON.parse(result.stdout) as { summary: { durationMs?: number } };
  delete report.summary.durationMs;
  return report;
}

const scanHistory = (repo: string, ...args: string[]) =>
  runCli(['scan', '--history', '--format', 'json', ...args], { cwd: repo });

/** Expects `cached` to have given what `uncached` gave (exit code and report), with nothing on stderr. */
/** Scans a history without a cache and with a new one, checks they agree, and gives the cache file. */
async function cachedOnce(
  repo: string,
): Promise<{ cache: string; name: string; file: string; uncached: CliResult }> {
  const cache = join(makeTree(), 'cache');
  const uncached = await scanHistory(repo);
  expectSame(await scanHistory(repo, '--cache', cache), uncached);
  const name = readdirSync(cache)[0] ?? '';
  return { cache, name, file: join(cache, name), uncached };
}

function expectSame(cached: CliResult, uncached: CliResult): void {
  expect(cached.stderr).toBe('');
  expect(cached.exitCode).toBe(uncached.exitCode);
  expect(comparable(cached)).toEqual(comparable(uncached));
}

const where = (result: CliResult) =>
  (
    JSON.parse(result.stdout) as { findings: { path: string; line: number; commit: { message: string } }[] }
  ).findings.map((finding) => `${finding.commit.message}: ${finding.path}:${finding.line}`);

describe('scan --history --cache DIR', () => {
  it('reports exactly what an uncached scan reports: cold, warm, after new commits and after a config change', async () => {
    const repo = busyHistory();
    const cache = join(makeTree(), 'cache');
    // Every occurrence, so that a finding missing from any one commit shows.
    const all = '--all-occurrences';
    const uncached = await scanHistory(repo, all);
    expect(uncached.exitCode).toBe(1);
    expect(where(uncached)).toEqual([
      'feature: feature.js:1',
      'the key is back: config.py:2',
      'move the key: settings/app.py:2',
      'add config: config.py:2',
    ]);
    expectSame(await scanHistory(repo, '--cache', cache, all), uncached);
    // Written whole, under one name: no temp file is left beside it.
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/^keyfence-history-[0-9a-f]{32}\.cache$/)]);
    expectSame(await scanHistory(repo, '--cache', cache, all), uncached);

    // New commits: a new secret, the old one moved again, a clean change, and a file a config will cover.
    write(repo, {
      'deploy/env.sh': `export STRIPE=${stripeKey('sk_live', 4)}\n`,
      'README.md': '# app\n\nUsage, more.\n',
      'docs/more.md': 'internal-code: zz-9f8e7d6c5b4a39281706\n',
    });
    commit(repo, 'deploy');
    rmSync(join(repo, 'config.py'));
    write(repo, { 'app/config.py': `API = "${token(1)}"\n` });
    commit(repo, 'move again');
    const grown = await scanHistory(repo, all);
    expect(where(grown).slice(0, 2)).toEqual(['move again: app/config.py:1', 'deploy: deploy/env.sh:1']);
    expectSame(await scanHistory(repo, '--cache', cache, all), grown);

    // A config that adds a rule for docs/: the commits recorded clean there are scanned again.
    const rule = [
      'rules:',
      '  custom:',
      '    - id: internal-code',
      '      title: Internal code',
      '      severity: high',
      '      keywords: [zz-]',
      "      regex: '\\b(?<secret>zz-[0-9a-f]{20})\\b'",
      '      examples:',
      "        positive: [{ text: 'internal-code: zz-0123456789abcdef0123', secret: 'zz-0123456789abcdef0123' }]",
      "        negative: ['zz-short']",
      '',
    ].join('\n');
    write(repo, { 'docs/.keyfence.yaml': rule });
    const configured = await scanHistory(repo, all);
    expect(where(configured)).toContain('deploy: docs/more.md:1');
    expectSame(await scanHistory(repo, '--cache', cache, all), configured);

    // docs/guide.md is in one commit only, which gave nothing: a warm scan never asks git for it.
    corruptLooseObject(repo, git(repo, 'rev-parse', 'HEAD:docs/guide.md').trim(), 'middle');
    expect((await scanHistory(repo, all)).exitCode).toBe(2);
    expectSame(await scanHistory(repo, '--cache', cache, all), configured);
  });

  it('takes the list of commits from the cache only while the refs are unchanged', async () => {
    const repo = busyHistory();
    const cache = join(makeTree(), 'cache');
    const all = '--all-occurrences';
    /** A warm scan through the built CLI, with git's trace: whether it asked git to list the commits. */
    const traced = () => {
      const trace = join(makeTree(), 'trace');
      const result = spawnSync(
        process.execPath,
        [BIN, 'scan', '--history', '--format', 'json', '--cache', cache, all],
        {
          cwd: repo,
          encoding: 'utf8',
          env: { ...process.env, GIT_TRACE: trace },
        },
      );
      const listed = readFileSync(trace, 'utf8').includes("log '--format=%H %T %P'");
      return {
        listed,
        result: { exitCode: result.status ?? -1, stdout: result.stdout, stderr: result.stderr },
      };
    };
    const expectWarm = async (listed: boolean) => {
      const warm = traced();
      expect(warm.listed).toBe(listed);
      expectSame(warm.result, await scanHistory(repo, all));
    };
    await scanHistory(repo, '--cache', cache, all);
    await expectWarm(false);

    // A side branch with its own secret: listed again, and its commit read.
    git(repo, 'checkout', '-q', '-b', 'side');
    write(repo, { 'side.js': `const key = "${token(5)}";\n` });
    commit(repo, 'side');
    git(repo, 'checkout', '-q', 'main');
    expect(where(await scanHistory(repo, all))).toContain('side: side.js:1');
    await expectWarm(true);
    await expectWarm(false);
    // The branch deleted: its commit is no longer reported, though the cache recorded it.
    git(repo, 'branch', '-D', 'side');
    expect(where(await scanHistory(repo, all))).not.toContain('side: side.js:1');
    await expectWarm(true);
    // main moved back past the merge, then HEAD detached on a commit no branch has.
    git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    await expectWarm(true);
    git(repo, 'checkout', '-q', '--detach');
    write(repo, { 'detached.js': `const key = "${token(6)}";\n` });
    commit(repo, 'detached');
    expect(where(await scanHistory(repo, all))).toContain('detached: detached.js:1');
    await expectWarm(true);
    await expectWarm(false);
    // A replace ref changes what the walk sees with every branch where it was.
    git(repo, 'replace', 'HEAD', 'HEAD~1');
    await expectWarm(true);
  });

  it('records no commit a --timeout stop did not finish', async () => {
    const repo = makeGitRepo();
    // 300 commits in one fast-import stream, each rewriting two files, every other one with a
    // secret in the second: a commit recorded before all its changes were scanned (or with only
    // those handed over before the stop) would be missing from the next scan's findings.
    const lines: string[] = [];
    for (let index = 0; index < 300; index++) {
      const text = (name: string) =>
        `${name}${index} = "lorem ipsum dolor sit amet"  # token secret\n`.repeat(40);
      const secret = index % 2 === 1 ? `API = "${token(100 + index)}"\n` : '';
      lines.push(
        'commit refs/heads/main',
        `committer Test <test@example.invalid> ${1_700_000_000 + index} +0000`,
        'data 2',
        'c',
      );
      for (const [path, content] of [
        [`a${index % 20}.py`, text('a')],
        [`b${index % 20}.py`, text('b') + secret],
      ] as const)
        lines.push(`M 644 inline ${path}`, `data ${Buffer.byteLength(content)}`, content);
    }
    spawnSync('git', ['fast-import', '--quiet'], { cwd: repo, input: lines.join('\n') });
    git(repo, 'reset', '-q', '--hard', 'main');
    const uncached = await scanHistory(repo, '--all-occurrences');
    expect(where(uncached)).toHaveLength(150);
    // Stopped part-way through, whatever the machine's speed: at a third of the uncached scan's
    // time, or less when a warmed-up scan finishes within that.
    const { durationMs } = (JSON.parse(uncached.stdout) as { summary: { durationMs: number } }).summary;
    let cache = '';
    let stopped: CliResult | undefined;
    for (const part of [3, 9, 27]) {
      cache = join(makeTree(), 'cache');
      const limit = `${Math.max(1, Math.round(durationMs / part))}ms`;
      stopped = await scanHistory(repo, '--cache', cache, '--all-occurrences', '--timeout', limit);
      if (stopped.exitCode === 2) break;
    }
    if (!stopped) throw new Error('no scan ran');
    expect(stopped.exitCode, stopped.stderr).toBe(2);
    const seen = (JSON.parse(stopped.stdout) as { summary: { commits: number } }).summary.commits;
    expect(seen).toBeLessThan(300);
    // What the stopped scan recorded, completed by a whole one, gives every secret.
    expectSame(await scanHistory(repo, '--cache', cache, '--all-occurrences'), uncached);
  });

  it('ignores a cache file it cannot trust, with a one-line warning naming it, and rewrites it', async () => {
    const repo = makeGitRepo({ 'app.py': `API = "${token(7)}"\n` });
    commit(repo, 'init');
    write(repo, { 'README.md': 'docs\n' });
    commit(repo, 'docs');
    const { cache, name, file, uncached } = await cachedOnce(repo);
    const checksummed = (body: string) => {
      const header = JSON.parse(readFileSync(file, 'utf8').split('\n')[0] ?? '') as Record<string, unknown>;
      // The checksum as keyfence computes it (each part ended by a NUL).
      const sha256 = createHash('sha256').update(body).update('\0').digest('hex');
      writeFileSync(file, `${JSON.stringify({ ...header, bytes: body.length, sha256 })}\n${body}`);
    };
    const spoilers: [() => void, string][] = [
      [
        () => {
          writeFileSync(file, readFileSync(file).subarray(0, -7));
        },
        'truncated or corrupt \\(its checksum does not match\\)',
      ],
      [
        () => {
          writeFileSync(file, readFileSync(file, 'utf8').replace('"format":2', '"format":99'));
        },
        'written in another cache format \\(99\\)',
      ],
      [
        // A record that names strings the file does not hold.
        () => {
          checksummed(`{"strings":[],"commits":[["${'a'.repeat(40)} ${'b'.repeat(40)}",[0,0],[],[]]]}`);
        },
        'corrupt \\(its records are not what keyfence writes\\)',
      ],
      [
        // The same in the per-commit records, read only when a walk's summary does not do.
        () => {
          checksummed(
            `{"commits":1,"walks":[]}\n{"strings":[],"commits":[["${'a'.repeat(40)} ${'b'.repeat(40)}",[0,0],[],[]]]}`,
          );
        },
        'corrupt \\(its records are not what keyfence writes\\)',
      ],
      [
        () => {
          writeFileSync(file, readFileSync(file, 'utf8').replace(/"key":"[0-9a-f]+"/, '"key":"0"'));
        },
        'written by another keyfence build, rule catalogue or set of options',
      ],
    ];
    for (const [spoil, problem] of spoilers) {
      spoil();
      const spoilt = await scanHistory(repo, '--cache', cache);
      expect(spoilt.stderr).toMatch(
        new RegExp(
          `^keyfence: warning: --cache ${cache}/${name}: ignored, ${problem}; the whole history is read and the cache rewritten\\n$`,
        ),
      );
      expect(spoilt.exitCode).toBe(uncached.exitCode);
      expect(comparable(spoilt)).toEqual(comparable(uncached));
    }
    expectSame(await scanHistory(repo, '--cache', cache), uncached);
  });

  it('ignores a cache file that is a FIFO, a symbolic link or larger than a cache directory, without reading it', async () => {
    const repo = makeGitRepo({ 'app.py': `API = "${token(9)}"\n` });
    commit(repo, 'init');
    const { cache, name, file, uncached } = await cachedOnce(repo);
    const planted: [() => void, string][] = [
      // A FIFO waited for a writer forever; a link to /dev/zero was read until memory ran out.
      [() => spawnSync('mkfifo', [file]), 'not a regular file'],
      [
        () => {
          symlinkSync('/dev/zero', file);
        },
        'not a regular file \\(a symbolic link\\)',
      ],
      [
        () => {
          writeFileSync(file, '');
          truncateSync(file, 300 * 1024 * 1024);
        },
        `larger than a cache directory may be \\(${300 * 1024 * 1024} bytes\\)`,
      ],
    ];
    for (const [plant, problem] of planted) {
      rmSync(file);
      plant();
      // The built CLI, with a time limit: a scan that hangs fails the test instead of stopping the suite.
      const result = spawnSync(
        process.execPath,
        [BIN, 'scan', '--history', '--format', 'json', '--cache', cache],
        {
          cwd: repo,
          encoding: 'utf8',
          timeout: 20_000,
        },
      );
      expect(result.stderr).toMatch(
        new RegExp(
          `^keyfence: warning: --cache ${cache}/${name}: ignored, ${problem}; the whole history is read and the cache rewritten\\n$`,
        ),
      );
      expect(result.status).toBe(uncached.exitCode);
      expect(comparable({ exitCode: result.status ?? -1, stdout: result.stdout, stderr: '' })).toEqual(
        comparable(uncached),
      );
    }
    expectSame(await scanHistory(repo, '--cache', cache), uncached);
  }, 90_000);

  it.runIf(existsSync('/proc/self'))(
    'a directory under /proc, where mkdir says ENOENT, is the warning that it cannot be written',
    async () => {
      const repo = makeGitRepo({ 'app.py': `API = "${token(10)}"\n` });
      commit(repo, 'init');
      const uncached = await scanHistory(repo);
      // Node's mkdir { recursive: true } tries such a directory again forever.
      const result = spawnSync(
        process.execPath,
        [BIN, 'scan', '--history', '--format', 'json', '--cache', '/proc/self/keyfence-test'],
        {
          cwd: repo,
          encoding: 'utf8',
          timeout: 20_000,
        },
      );
      expect(result.stderr).toBe(
        'keyfence: warning: --cache /proc/self/keyfence-test: cannot write the cache (no such file or directory); the next scan reads everything again\n',
      );
      expect(result.status).toBe(uncached.exitCode);
      expect(comparable({ exitCode: result.status ?? -1, stdout: result.stdout, stderr: '' })).toEqual(
        comparable(uncached),
      );
    },
  );

  it('is an error for --staged, directory scans and a file as the directory; a warning when it cannot be written', async () => {
    const repo = makeGitRepo({ 'app.py': `API = "${token(8)}"\n` });
    commit(repo, 'init');
    for (const args of [['--staged'], ['.']]) {
      const result = await runCli(['scan', ...args, '--cache', 'c'], { cwd: repo });
      expect(result).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: 'keyfence: --cache: only history scans use a cache (--history, --range, --since, --branch)\n',
      });
    }
    const notDir = await runCli(['scan', '--history', '--cache', 'app.py'], { cwd: repo });
    expect(notDir).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'keyfence: --cache app.py: not a directory\n',
    });
    const blocked = await scanHistory(repo, '--cache', 'app.py/cache');
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stderr).toMatch(
      /^keyfence: warning: --cache app.py\/cache: cannot write the cache \(.*\); the next scan reads everything again\n$/,
    );
  });
});
