import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, DROP_ROOT_ACCESS, runBin, runCli } from '../helpers/cli.js';
import { githubToken } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

const token = githubToken('ghp', 901);
const line = `GITHUB_TOKEN=${token}\n`;

interface JsonReport {
  findings: { path: string; line: number; ruleId: string }[];
  summary: { files: number; skipped: { path: string; reason: string }[] };
}

async function scanJson(
  cwd: string,
  ...args: string[]
): Promise<JsonReport & { exitCode: number; stderr: string }> {
  const result = await runCli(['scan', ...args, '-f', 'json'], { cwd });
  expect(result.stderr, 'no error output').toBe('');
  return { ...(JSON.parse(result.stdout) as JsonReport), exitCode: result.exitCode, stderr: result.stderr };
}

/** Root reads anything; this drops the capabilities that let it, for tests of unreadable files. */
const asUnprivileged = () => (DROP_ROOT_ACCESS ? { prefix: DROP_ROOT_ACCESS } : {});

describe('hostile and broken input', () => {
  it('NUL bytes: a file with NUL bytes is treated as binary and listed; text around NULs elsewhere does not crash', async () => {
    const cwd = makeTree({
      'blob.txt': Buffer.concat([Buffer.from(line), Buffer.alloc(64), Buffer.from(line)]),
      'ok.env': line,
    });
    const report = await scanJson(cwd);
    expect(report.findings.map((finding) => finding.path)).toEqual(['ok.env']);
    expect(report.summary.skipped).toEqual([{ path: 'blob.txt', reason: 'binary file' }]);
  });

  it('a 100 MB single-line file: skipped by default without a crash, scanned in bounded time when allowed', async () => {
    const filler = 'x'.repeat(50 * 1024 * 1024);
    const cwd = makeTree({ 'one-line.min.js': `${filler} ${token} ${filler}` });
    const skipped = await scanJson(cwd);
    expect(skipped.summary.skipped[0]?.reason).toMatch(/^larger than --max-file-size/);
    const started = performance.now();
    const scanned = await scanJson(cwd, '--max-file-size', '200MB');
    expect(scanned.findings.map((finding) => [finding.ruleId, finding.line])).toEqual([['github-pat', 1]]);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('a 2 GB file is skipped from its size, without being read', async () => {
    const cwd = makeTree({ 'ok.env': line });
    const fd = openSync(join(cwd, 'huge.log'), 'w');
    closeSync(fd);
    truncateSync(join(cwd, 'huge.log'), 2 * 1024 * 1024 * 1024); // sparse: no 2 GB of disk
    const started = performance.now();
    const report = await scanJson(cwd);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(report.summary.skipped).toEqual([
      {
        path: 'huge.log',
        reason: `larger than --max-file-size (${2 * 1024 ** 3} > ${5 * 1024 * 1024} bytes)`,
      },
    ]);
    expect(report.findings).toHaveLength(1);
  });

  it('many tiny files (20,000; bench/many-files.mjs runs a million): all scanned, in bounded time', async () => {
    const cwd = makeTree();
    for (let dir = 0; dir < 100; dir++) {
      mkdirSync(join(cwd, `d${dir}`));
      for (let file = 0; file < 200; file++)
        writeFileSync(join(cwd, `d${dir}`, `f${file}.txt`), `value ${dir}.${file}\n`);
    }
    writeFileSync(join(cwd, 'd57', 'f123.txt'), line);
    const started = performance.now();
    const report = await scanJson(cwd);
    expect(report.summary.files).toBe(20_000);
    expect(report.findings.map((finding) => finding.path)).toEqual(['d57/f123.txt']);
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('a nested repository of 20,000 files is listed without running out of stack (as 130,000 did at the usual stack size)', () => {
    const cwd = makeGitRepo({ 'top.txt': 'top\n' });
    commit(cwd, 'top');
    const inner = join(cwd, 'inner');
    mkdirSync(inner);
    git(inner, 'init', '-q');
    for (let dir = 0; dir < 20; dir++) {
      mkdirSync(join(inner, `d${dir}`));
      for (let file = 0; file < 1000; file++) writeFileSync(join(inner, `d${dir}`, `f${file}`), '');
    }
    git(inner, 'add', '.');
    // A small stack stands for a repository of more files than the usual one takes as arguments.
    const result = spawnSync(process.execPath, ['--stack-size=100', BIN, 'scan', '.', '-f', 'json'], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as JsonReport).summary.files).toBe(20_001);
  });

  it('deeply nested directories (300 levels)', async () => {
    const deep = Array.from({ length: 300 }, () => 'd').join('/');
    const cwd = makeTree({ [`${deep}/conf.env`]: line });
    const report = await scanJson(cwd);
    expect(report.findings.map((finding) => finding.path)).toEqual([`${deep}/conf.env`]);
  });

  it('symbolic links: a loop and a link out of the scanned root are listed, never followed', async () => {
    const outside = makeTree({ 'secret.env': line });
    const cwd = makeTree({ 'inside.txt': 'fine\n' });
    symlinkSync('.', join(cwd, 'loop'));
    symlinkSync(outside, join(cwd, 'escape'));
    symlinkSync(join(outside, 'secret.env'), join(cwd, 'linked.env'));
    const report = await scanJson(cwd);
    expect(report.findings).toEqual([]);
    expect(report.summary.skipped.map((skip) => skip.path).sort()).toEqual(['escape', 'linked.env', 'loop']);
    expect(new Set(report.summary.skipped.map((skip) => skip.reason))).toEqual(
      new Set(['symbolic link (not followed)']),
    );
  });

  it('FIFOs, sockets and device files are listed as skipped and never opened', async () => {
    const cwd = makeTree({ 'ok.env': line });
    execFileSync('mkfifo', [join(cwd, 'pipe')]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(cwd, 'app.sock'), resolve));
    try {
      const report = await scanJson(cwd);
      expect(report.summary.skipped).toEqual([
        { path: 'app.sock', reason: 'not a regular file (socket)' },
        { path: 'pipe', reason: 'not a regular file (named pipe)' },
      ]);
      const device = await scanJson(cwd, '/dev/null', 'pipe');
      expect(device.summary.skipped).toEqual([
        { path: '/dev/null', reason: 'not a regular file (device)' },
        { path: 'pipe', reason: 'not a regular file (named pipe)' },
      ]);
    } finally {
      server.close();
    }
  });

  it('a FIFO named .gitignore neither hangs the walk nor hides the files beside it', async () => {
    const cwd = makeTree({ 'sub/app.env': line });
    execFileSync('mkfifo', [join(cwd, 'sub/.gitignore')]);
    const report = await scanJson(cwd);
    expect(report.findings.map((finding) => finding.path)).toEqual(['sub/app.env']);
    expect(report.summary.skipped).toEqual([
      { path: 'sub/.gitignore', reason: 'not a regular file (named pipe)' },
    ]);
  });

  it('an unreadable directory is listed as skipped, the rest is scanned', () => {
    const cwd = makeTree({ 'locked/conf.env': line, 'open/conf.env': line });
    chmodSync(join(cwd, 'locked'), 0o000);
    try {
      const result = runBin(['scan', '.', '--no-ignore'], { cwd, ...asUnprivileged() });
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('locked: unreadable directory (EACCES)');
      expect(result.stdout).toContain('open/conf.env:1');
    } finally {
      chmodSync(join(cwd, 'locked'), 0o755);
    }
  });

  it('non-UTF-8 and newline-containing file names: no crash; the newline name is scanned', async () => {
    const cwd = makeTree({ 'line\nbreak.env': line });
    writeFileSync(Buffer.from(join(cwd, 'caf\xe9.env'), 'latin1'), line);
    const result = await runCli(['scan', '.', '-f', 'json'], { cwd });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((finding) => finding.path)).toContain('line\nbreak.env');
    // The latin-1 name is either scanned or listed as skipped, never lost silently.
    const latin = [
      ...report.findings.map((finding) => finding.path),
      ...report.summary.skipped.map((skip) => skip.path),
    ];
    expect(latin.some((path) => path.startsWith('caf'))).toBe(true);
  });

  it('a corrupt .git and a broken HEAD are one-line errors with exit 2', async () => {
    const corrupt = makeGitRepo({ 'a.env': line });
    commit(corrupt, 'init');
    writeFileSync(join(corrupt, '.git', 'HEAD'), 'this is not a ref\n');
    for (const mode of ['--history', '--staged']) {
      const result = await runCli(['scan', mode], { cwd: corrupt });
      expect(result.exitCode, mode).toBe(2);
      expect(result.stderr.trim().split('\n'), mode).toHaveLength(1);
      expect(result.stderr, mode).toMatch(/^keyfence: /);
    }
    const objects = makeGitRepo({ 'a.env': line });
    commit(objects, 'init');
    const tree = git(objects, 'rev-parse', 'HEAD^{tree}').trim();
    writeFileSync(join(objects, '.git', 'objects', tree.slice(0, 2), tree.slice(2)), 'garbage');
    const history = await runCli(['scan', '--history'], { cwd: objects });
    expect(history.exitCode).toBe(2);
    expect(history.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('git missing from PATH: git scans and a work tree say so in one line; --no-ignore and plain directories still work', () => {
    const repo = makeGitRepo({ 'a.env': line });
    commit(repo, 'init');
    const env = { PATH: '/nonexistent' };
    const staged = runBin(['scan', '--staged'], { cwd: repo, env });
    expect(staged.exitCode).toBe(2);
    expect(staged.stderr).toBe('keyfence: git: not found on PATH (install git to scan repositories)\n');
    // Without git the files git tracks cannot be told apart from those .gitignore hides.
    const files = runBin(['scan', '.'], { cwd: repo, env });
    expect(files.exitCode).toBe(2);
    expect(files.stderr).toMatch(/is in a git work tree, and git is not found on PATH .*--no-ignore/);
    const everything = runBin(['scan', '.', '--no-ignore'], { cwd: repo, env });
    expect(everything.exitCode).toBe(1);
    expect(everything.stdout).toContain('a.env:1');
  });

  it('a partial clone: no blob is fetched; --history scans the blobs it has and lists the others', async () => {
    const origin = makeGitRepo({ 'a.env': line, 'b.txt': 'v1\n' });
    commit(origin, 'one');
    writeFileSync(join(origin, 'b.txt'), 'v2\n');
    commit(origin, 'two');
    git(origin, 'config', 'uploadpack.allowFilter', 'true');
    const clone = makeTree();
    git(origin, 'clone', '-q', '--filter=blob:none', `file://${origin}`, clone);
    const objectsBefore = git(clone, 'count-objects', '-v');
    const history = await runCli(['scan', '--history', '-f', 'json'], { cwd: clone });
    expect(history.exitCode).toBe(1);
    const scanned = JSON.parse(history.stdout) as JsonReport & {
      notes: string[];
      summary: { skipped: { path: string }[] };
    };
    expect(scanned.findings.map((finding) => finding.path)).toEqual(['a.env']);
    expect(scanned.summary.skipped.map((skip) => skip.path)).toEqual(['b.txt']);
    expect(scanned.notes.join('\n')).toMatch(
      /the history scan is incomplete: 1 blob\(s\) of this partial clone/,
    );
    writeFileSync(join(clone, 'c.env'), line);
    git(clone, 'add', 'c.env');
    const staged = await runCli(['scan', '--staged', '-f', 'json'], { cwd: clone });
    expect((JSON.parse(staged.stdout) as JsonReport).findings.map((finding) => finding.path)).toEqual([
      'c.env',
    ]);
    const files = await runCli(['scan', '.', '-f', 'json'], { cwd: clone });
    expect((JSON.parse(files.stdout) as JsonReport).findings.map((finding) => finding.path).sort()).toEqual([
      'a.env',
      'c.env',
    ]);
    git(clone, 'reset', '-q');
    expect(git(clone, 'count-objects', '-v')).toBe(objectsBefore);
  });

  it("a commit's megabyte-long subject and long author and e-mail are cut in every report, not repeated whole beside each of its findings", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 20 }, (_, index) => [`f${index}.env`, `T=${githubToken('ghp', 910 + index)}\n`]),
    );
    const repo = makeGitRepo(files);
    // A name and an e-mail of 50,000 characters (an argument may hold 128 KB), a subject of a megabyte.
    const long = (letter: string, length = 1_000_000) => letter.repeat(length);
    writeFileSync(join(repo, '.git', 'message.txt'), `${long('s')}\n\n${long('b')}\n`);
    git(repo, 'add', '.');
    git(
      repo,
      '-c',
      `user.name=${long('a', 50_000)}`,
      '-c',
      `user.email=${long('e', 50_000)}@x.invalid`,
      'commit',
      '-q',
      '-F',
      '.git/message.txt',
    );
    for (const format of ['console', 'json', 'sarif', 'github', 'markdown', 'junit', 'gitlab', 'csv']) {
      const result = await runCli(['scan', '--history', '-f', format, '--no-config'], { cwd: repo });
      expect(result.exitCode, `${format}: ${result.stderr}`).toBe(1);
      // 20 findings in a few kilobytes each: a subject repeated whole would be 20 MB.
      expect(result.stdout.length, format).toBeLessThan(500_000);
      if (format === 'json') {
        const { findings } = JSON.parse(result.stdout) as {
          findings: { commit: { author: string; email: string; message: string } }[];
        };
        expect(findings).toHaveLength(20);
        expect(findings[0]?.commit.message).toMatch(/^s{399}…$/);
        expect(findings[0]?.commit.author).toMatch(/^a{199}…$/);
        expect(findings[0]?.commit.email).toMatch(/^e{199}…$/);
      }
    }
  }, 60_000);

  it('a huge staged diff (100,000 changed lines) is scanned with exact line numbers', async () => {
    const repo = makeGitRepo({
      'big.txt': Array.from({ length: 100_000 }, (_, index) => `old ${index}`).join('\n'),
    });
    commit(repo, 'init');
    const lines = Array.from({ length: 100_000 }, (_, index) => `new ${index}`);
    lines[77_776] = line.trimEnd();
    writeFileSync(join(repo, 'big.txt'), lines.join('\n'));
    git(repo, 'add', 'big.txt');
    const started = performance.now();
    const report = await scanJson(repo, '--staged');
    expect(report.findings.map((finding) => [finding.path, finding.line])).toEqual([['big.txt', 77_777]]);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it.each([
    ['empty', '', 0, ''],
    ['not YAML', 'rules: [\n', 2, '.keyfence.yaml:2: invalid YAML'],
    ['of the wrong type', 'rules: 5\n', 2, '.keyfence.yaml:1: rules: expected a mapping'],
    ['a list', '- a\n- b\n', 2, '.keyfence.yaml:1: expected a mapping'],
    [
      'an alias bomb',
      `a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join('\n')}\n`,
      2,
      '.keyfence.yaml:1: invalid YAML: Excessive alias count',
    ],
    [
      'enormous',
      `allowlist:\n  stopwords:\n${'    - dummy\n'.repeat(200_000)}`,
      2,
      '.keyfence.yaml: config file too large',
    ],
  ])('a config file that is %s: a clear result, never a crash', async (_name, text, exitCode, message) => {
    const cwd = makeTree({ '.keyfence.yaml': text, 'a.txt': 'hello\n' });
    const started = performance.now();
    const result = await runCli(['scan'], { cwd });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.exitCode).toBe(exitCode);
    if (message) {
      expect(result.stderr).toContain(`keyfence: ${message}`);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    } else expect(result.stderr).toBe('');
  });
});
