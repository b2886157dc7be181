import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

/** Runs the built CLI with a preload module; its stderr. */
function runWithPreload(preload: string, args: string[], cwd: string): { stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(preload).href, BIN, ...args], {
    cwd,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return { stdout: run.stdout, stderr: run.stderr };
}

/**
 * What a run of the built CLI loads: every module URL the ESM loader resolves (a resolve hook, which
 * runs on a thread of its own) and, in a second run without the hook, Node's built-in modules.
 */
function modulesLoaded(args: string[], cwd: string): { urls: string[]; builtins: string[]; stdout: string } {
  const dir = makeTree({
    'hooks.mjs':
      'export async function resolve(specifier, context, next) {\n' +
      '  const result = await next(specifier, context);\n' +
      '  process.stderr.write(`RESOLVED ${result.url}\\n`);\n' +
      '  return result;\n' +
      '}\n',
    'builtins.mjs':
      "process.on('exit', () => process.stderr.write(`BUILTINS ${process.moduleLoadList.join(',')}\\n`));\n",
  });
  const register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
  );
  const resolved = runWithPreload(register, args, cwd);
  const urls = resolved.stderr
    .split('\n')
    .filter((line) => line.startsWith('RESOLVED '))
    .map((line) => line.slice('RESOLVED '.length));
  const listed = runWithPreload(join(dir, 'builtins.mjs'), args, cwd).stderr;
  const builtins = (/^BUILTINS (.*)$/m.exec(listed)?.[1] ?? '')
    .split(',')
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => entry.slice('NativeModule '.length));
  return { urls, builtins, stdout: resolved.stdout };
}

/**
 * The source modules (`sources/staged.js`) behind the module URLs a run loaded: the CLI is a bundle
 * of chunks (scripts/build-cli.mjs), whose build lists what each chunk holds.
 */
function sourceModules(urls: string[]): string[] {
  const chunks = JSON.parse(readFileSync(join(dirname(BIN), 'cli-bundle.modules.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  return urls.flatMap((url) => {
    const chunk = /\/dist\/cli-bundle\/(.+)$/.exec(url)?.[1];
    return chunk === undefined ? [] : (chunks[chunk] ?? [`unknown chunk ${chunk}`]);
  });
}

describe('start-up of the pre-commit path', () => {
  // Each of these costs 1.5-11 ms to load on the development machine, paid on every commit.
  it('a clean `scan --staged` loads no parser, glob or gitignore library, and no crypto, zlib or worker threads', () => {
    const repo = makeGitRepo({ 'app.js': 'const a = 1;\n' });
    commit(repo, 'init');
    writeFileSync(join(repo, 'app.js'), 'const a = 1;\nconst password = process.env.DB_PASSWORD;\n');
    git(repo, 'add', 'app.js');
    const { urls, builtins, stdout } = modulesLoaded(['scan', '--staged'], repo);
    expect(stdout).toContain('no secrets found');
    expect(builtins).toContain('child_process');
    const loaded = sourceModules(urls);
    expect(loaded).toContain('sources/staged.js');
    const packages = urls.filter((url) => url.includes('/node_modules/'));
    expect(packages).toEqual([]);
    for (const heavy of ['crypto', 'zlib', 'worker_threads', 'perf_hooks'])
      expect(builtins, `node:${heavy} loaded`).not.toContain(heavy);
    for (const unused of [
      'reporters/sarif.js',
      'reporters/junit.js',
      'reporters/gitlab.js',
      'reporters/csv.js',
      'reporters/github.js',
      'reporters/markdown.js',
      'sources/walk.js',
      'sources/history.js',
      'engine/pool.js',
    ])
      expect(loaded).not.toContain(unused);
    // Verification (and its https and tls; child_process itself loads net) loads only under --verify or the top config's verify.
    expect(
      loaded.filter((module) => module.startsWith('verify/') || module === 'cli/verify-step.js'),
    ).toEqual([]);
    for (const network of ['https', 'tls']) expect(builtins, `node:${network} loaded`).not.toContain(network);
  });

  // git lists a work tree's files and applies its ignore rules: the walker and its gitignore
  // matcher (a CommonJS package, about 8 ms to load) are for directories outside git.
  it('a directory scan of a git work tree loads no npm package; of a plain directory, the gitignore matcher', () => {
    const repo = makeGitRepo({ 'app.js': 'const a = 1;\n', 'lib/util.js': 'export const b = 2;\n' });
    commit(repo, 'init');
    const inRepo = modulesLoaded(['scan', '.'], repo);
    expect(inRepo.stdout).toContain('no secrets found in 2 files');
    expect(inRepo.urls.filter((url) => url.includes('/node_modules/'))).toEqual([]);
    expect(sourceModules(inRepo.urls)).not.toContain('sources/walk.js');
    const plain = modulesLoaded(['scan', '.'], makeTree({ 'app.js': 'const a = 1;\n' }));
    expect(plain.urls.some((url) => url.includes('/node_modules/ignore/'))).toBe(true);
  });
});
