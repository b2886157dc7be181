import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  lchownSync,
  symlinkSync,
  truncateSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdirSync,
  utimesSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { githubToken } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

// The launcher (src/launcher.ts) keeps V8's compiled code of the CLI in the user's cache directory.
// It must never change what a scan reports, and never run code from a file someone else could write.

const TOKEN = githubToken('ghp', 4242);
const CODE_FILE = new RegExp(
  `^code-[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}(?:-staged)?\\.bin$`,
);

function project(): string {
  const repo = makeGitRepo({ 'app.js': 'const a = 1;\n', 'deploy.env': `GITHUB_TOKEN=${TOKEN}\n` });
  commit(repo, 'init');
  return repo;
}

function scan(cwd: string, cache: string, args: string[] = ['scan', '.', '-f', 'json']) {
  const result = runBin(args, { cwd, env: { XDG_CACHE_HOME: cache } });
  const report =
    result.exitCode <= 1 && args[0] === 'scan'
      ? (JSON.parse(result.stdout) as { findings: unknown[] })
      : undefined;
  return {
    ...result,
    findings: report?.findings.map((f) => JSON.stringify({ ...(f as object), duration: 0 })),
  };
}

function codeFiles(cache: string): string[] {
  const dir = join(cache, 'keyfence');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('the CLI code cache', () => {
  it('is written by the first scan, private to the user, and read by the next with the same report', () => {
    const repo = project();
    const cache = makeTree();
    const first = scan(repo, cache);
    expect(first.exitCode, first.stderr).toBe(1);
    expect(first.stderr).toBe('');
    expect(first.findings).toHaveLength(1);
    const files = codeFiles(cache);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(CODE_FILE);
    const file = join(cache, 'keyfence', files[0] ?? '');
    expect(statSync(join(cache, 'keyfence')).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = statSync(file);

    const second = scan(repo, cache);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toBe('');
    expect(second.findings).toEqual(first.findings);
    // Accepted: not written again (a refused cache is replaced at the end of the run).
    expect(statSync(file).ino).toBe(written.ino);
    expect(statSync(file).mtimeMs).toBe(written.mtimeMs);
  });

  it('a corrupt or truncated cache is refused and replaced; the scan reports the same', () => {
    const repo = project();
    const reference = scan(repo, makeTree());
    for (const damage of [
      (bytes: Buffer) => bytes.subarray(0, 1000),
      (bytes: Buffer) => Buffer.alloc(bytes.length, 0x5a),
    ]) {
      const cache = makeTree();
      scan(repo, cache);
      const file = join(cache, 'keyfence', codeFiles(cache)[0] ?? '');
      const broken = damage(readFileSync(file));
      writeFileSync(file, broken);
      const run = scan(repo, cache);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toBe('');
      expect(run.findings).toEqual(reference.findings);
      expect(readFileSync(file).equals(broken)).toBe(false);
    }
  });

  it('is not read from a file or directory that others can write to', () => {
    const repo = project();
    const reference = scan(repo, makeTree());
    const cache = makeTree();
    scan(repo, cache);
    const dir = join(cache, 'keyfence');
    const file = join(dir, codeFiles(cache)[0] ?? '');
    // A good cache made writable by others: were it read, it would be accepted and kept as it is.
    chmodSync(file, 0o666);
    const run = scan(repo, cache);
    expect(run.findings).toEqual(reference.findings);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const planted = Buffer.alloc(statSync(file).size, 0x41);
    writeFileSync(file, planted);
    chmodSync(dir, 0o777);
    const inOpenDir = scan(repo, cache);
    expect(inOpenDir.findings).toEqual(reference.findings);
    // Neither read nor written in a directory anyone can write to.
    expect(readFileSync(file).equals(planted)).toBe(true);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('is kept only from a completed scan that read something, under V8 default flags, and KEYFENCE_CODE_CACHE=off turns it off', () => {
    const repo = project();
    const version = makeTree();
    expect(scan(repo, version, ['--version']).exitCode).toBe(0);
    expect(codeFiles(version)).toEqual([]);
    // The help compiles little of a scan; a cache made by it would be accepted, and lack the rest, for good.
    const help = makeTree();
    for (const args of [
      ['scan', '--help'],
      ['scan', '--staged', '-h'],
    ])
      expect(runBin(args, { cwd: repo, env: { XDG_CACHE_HOME: help } }).exitCode).toBe(0);
    expect(codeFiles(help)).toEqual([]);
    // Nor a scan that read nothing (nothing staged yet, or every file skipped): kept from the next.
    const empty = makeTree();
    expect(runBin(['scan', '--staged'], { cwd: repo, env: { XDG_CACHE_HOME: empty } }).exitCode).toBe(0);
    expect(
      runBin(['scan', '.', '--exclude', '**'], { cwd: repo, env: { XDG_CACHE_HOME: empty } }).exitCode,
    ).toBe(0);
    expect(codeFiles(empty)).toEqual([]);
    writeFileSync(join(repo, 'app.js'), 'const a = 2;\n');
    git(repo, 'add', 'app.js');
    expect(runBin(['scan', '--staged'], { cwd: repo, env: { XDG_CACHE_HOME: empty } }).exitCode).toBe(0);
    expect(codeFiles(empty)).toEqual([expect.stringMatching(/-staged\.bin$/)]);
    // A history scan lowers V8's inlining budget; V8 refuses code cached under other flags.
    const history = makeTree();
    const run = scan(repo, history, ['scan', '--history', '-f', 'json']);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(codeFiles(history)).toEqual([]);
    const off = makeTree();
    const disabled = runBin(['scan', '.'], {
      cwd: repo,
      env: { XDG_CACHE_HOME: off, KEYFENCE_CODE_CACHE: 'off' },
    });
    expect(disabled.exitCode).toBe(1);
    expect(readdirSync(off)).toEqual([]);
  });

  it('the pre-commit scan keeps a cache of its own beside the one of other scans', () => {
    const repo = project();
    const cache = makeTree();
    writeFileSync(join(repo, 'app.js'), 'const a = 2;\n');
    git(repo, 'add', 'app.js');
    expect(runBin(['scan', '--staged'], { cwd: repo, env: { XDG_CACHE_HOME: cache } }).exitCode).toBe(0);
    expect(codeFiles(cache)).toEqual([expect.stringMatching(/-staged\.bin$/)]);
    scan(repo, cache);
    const files = codeFiles(cache).sort();
    expect(files).toHaveLength(2);
    expect(files.filter((name) => name.endsWith('-staged.bin'))).toHaveLength(1);
    for (const name of files) expect(name).toMatch(CODE_FILE);
  });

  it('a cache location that cannot be written changes nothing in the run', () => {
    const repo = project();
    const reference = scan(repo, makeTree());
    const parent = makeTree({ 'not-a-dir': 'x' });
    const run = scan(repo, join(parent, 'not-a-dir'));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.findings).toEqual(reference.findings);
    const readOnly = makeTree();
    mkdirSync(join(readOnly, 'keyfence'), { mode: 0o500 });
    expect(scan(repo, readOnly).findings).toEqual(reference.findings);
  });

  it.runIf(existsSync('/proc/self'))(
    'a cache location under /proc, where mkdir says ENOENT, changes nothing in the run',
    () => {
      const repo = project();
      const reference = scan(repo, makeTree());
      // Node's mkdir { recursive: true } tries such a directory again forever: every run hung there.
      const result = spawnSync(process.execPath, [BIN, 'scan', '.', '-f', 'json'], {
        cwd: repo,
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: '/proc/self/keyfence-test' },
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe('');
      const findings = (JSON.parse(result.stdout) as { findings: object[] }).findings;
      expect(findings.map((f) => JSON.stringify({ ...f, duration: 0 }))).toEqual(reference.findings);
    },
  );

  it('is not read through a directory or link on the way that others could change', () => {
    const repo = project();
    const reference = scan(repo, makeTree());
    const made = makeTree();
    scan(repo, made);
    const name = codeFiles(made)[0] ?? '';
    // A file the user owns with someone else's content (a cloned repository): a cache V8 accepts,
    // since it checks only the source's length, made from a script that leaves a mark.
    const planted = makeTree();
    const mark = join(planted, 'ran');
    mkdirSync(join(planted, 'keyfence'), { mode: 0o700 });
    execFileSync(process.execPath, [
      '-e',
      `const [bundle, out, mark] = process.argv.slice(1);
       const fs = require('node:fs');
       const length = fs.readFileSync(bundle, 'utf8').length + '(function (exports, require, module, __filename, __dirname) {\\n})'.length;
       const code = '(function (exports, require) { require("node:fs").writeFileSync(' + JSON.stringify(mark) + ', ""); })';
       const script = new (require('node:vm').Script)(code.padEnd(length));
       fs.writeFileSync(out, script.createCachedData(), { mode: 0o600 });`,
      join(BIN, '../cli-bundle/cli.cjs'),
      join(planted, 'keyfence', name),
      mark,
    ]);
    const trusted = makeTree();
    symlinkSync(planted, join(trusted, 'cache'));
    expect(
      runBin(['scan', '.'], { cwd: repo, env: { XDG_CACHE_HOME: join(trusted, 'cache') } }).exitCode,
    ).toBe(0);
    expect(existsSync(mark), 'the planted cache is what the test means it to be').toBe(true);
    rmSync(mark);

    // XDG_CACHE_HOME in a shared directory, where others can swap the user's directory for a link.
    const open = makeTree();
    chmodSync(open, 0o777);
    symlinkSync(planted, join(open, 'cache'));
    // /tmp: others cannot move the user's entries, but a link that is not the user's is still theirs.
    const sticky = makeTree();
    chmodSync(sticky, 0o1777);
    symlinkSync(planted, join(sticky, 'cache'));
    lchownSync(join(sticky, 'cache'), 4242, 4242);
    for (const cache of [join(open, 'cache'), join(sticky, 'cache'), join(open, 'cache', '..', 'cache')]) {
      const run = runBin(['scan', '.', '-f', 'json'], { cwd: repo, env: { XDG_CACHE_HOME: cache } });
      expect(existsSync(mark), cache).toBe(false);
      expect(run.exitCode, cache).toBe(1);
      expect(scan(repo, cache).findings).toEqual(reference.findings);
    }
  });

  it('a named pipe in place of the cache does not block the run, and a cache replaces it', () => {
    const repo = project();
    const cache = makeTree();
    scan(repo, cache);
    const file = join(cache, 'keyfence', codeFiles(cache)[0] ?? '');
    rmSync(file);
    execFileSync('mkfifo', ['-m', '600', file]);
    const run = spawnSync(process.execPath, [BIN, 'scan', '.', '-f', 'json'], {
      cwd: repo,
      env: { ...process.env, XDG_CACHE_HOME: cache },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.error).toBeUndefined();
    expect(run.status, run.stderr).toBe(1);
    expect(lstatSync(file).isFIFO()).toBe(false);
  });

  it('a temporary file that a killed run left is removed when a cache is next written; one being written is not', () => {
    const repo = project();
    const cache = makeTree();
    const dir = join(cache, 'keyfence');
    mkdirSync(dir, { mode: 0o700 });
    const left = join(dir, 'code-0123456789abcdef-v20.0.0-x64.bin.4242.tmp');
    const writing = join(dir, 'code-0123456789abcdef-v20.0.0-x64.bin.4343.tmp');
    writeFileSync(left, 'half a cache');
    writeFileSync(writing, 'half a cache');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(left, anHourAgo, anHourAgo);
    expect(scan(repo, cache).exitCode).toBe(1);
    expect(existsSync(left)).toBe(false);
    expect(existsSync(writing)).toBe(true);
  });

  it('a cache grown far past any compiled code is neither read whole nor kept', () => {
    const repo = project();
    const cache = makeTree();
    scan(repo, cache);
    const file = join(cache, 'keyfence', codeFiles(cache)[0] ?? '');
    // V8 accepts cached code followed by anything, so such a file would be read on every run.
    truncateSync(file, 100 * 1024 * 1024);
    const run = scan(repo, cache);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(statSync(file).size).toBeLessThan(10 * 1024 * 1024);
  });
});
