import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

/**
 * What a run of the built CLI loads, from a preload that reports at exit: Node's built-in modules,
 * and every file loaded through require (npm packages; the CLI itself is one script, src/launcher.ts).
 */
function modulesLoaded(
  args: string[],
  cwd: string,
): { required: string[]; builtins: string[]; stdout: string } {
  const dir = makeTree({
    'report.cjs':
      "process.on('exit', () => process.stderr.write(\n" +
      "  `BUILTINS ${process.moduleLoadList.join(',')}\\nREQUIRED ${Object.keys(require.cache).join(',')}\\n`));\n",
  });
  const run = spawnSync(process.execPath, ['--require', join(dir, 'report.cjs'), BIN, ...args], {
    cwd,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const builtins = (/^BUILTINS (.*)$/m.exec(run.stderr)?.[1] ?? '')
    .split(',')
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => entry.slice('NativeModule '.length));
  const required = (/^REQUIRED (.*)$/m.exec(run.stderr)?.[1] ?? '').split(',').filter((path) => path !== '');
  return { required, builtins, stdout: run.stdout };
}

describe('start-up of the pre-commit path', () => {
  // Each of these costs 1.5-11 ms to load on the development machine, paid on every commit.
  it('a clean `scan --staged` loads no parser, glob or gitignore library, and no crypto, zlib or worker threads', () => {
    const repo = makeGitRepo({ 'app.js': 'const a = 1;\n' });
    commit(repo, 'init');
    writeFileSync(join(repo, 'app.js'), 'const a = 1;\nconst password = process.env.DB_PASSWORD;\n');
    git(repo, 'add', 'app.js');
    const { required, builtins, stdout } = modulesLoaded(['scan', '--staged'], repo);
    expect(stdout).toContain('no secrets found');
    expect(builtins).toContain('child_process');
    expect(required.filter((path) => path.includes('/node_modules/'))).toEqual([]);
    for (const heavy of ['crypto', 'zlib', 'worker_threads', 'perf_hooks'])
      expect(builtins, `node:${heavy} loaded`).not.toContain(heavy);
    // Verification (and its https and tls; child_process itself loads net) loads only under --verify or the top config's verify.
    for (const network of ['https', 'tls']) expect(builtins, `node:${network} loaded`).not.toContain(network);
  });

  // git lists a work tree's files and applies its ignore rules: the walker and its gitignore
  // matcher (a CommonJS package, about 8 ms to load) are for directories outside git.
  it('a directory scan of a git work tree loads no npm package; of a plain directory, the gitignore matcher', () => {
    const repo = makeGitRepo({ 'app.js': 'const a = 1;\n', 'lib/util.js': 'export const b = 2;\n' });
    commit(repo, 'init');
    const inRepo = modulesLoaded(['scan', '.'], repo);
    expect(inRepo.stdout).toContain('no secrets found in 2 files');
    expect(inRepo.required.filter((path) => path.includes('/node_modules/'))).toEqual([]);
    const plain = modulesLoaded(['scan', '.'], makeTree({ 'app.js': 'const a = 1;\n' }));
    expect(plain.required.some((path) => path.includes('/node_modules/ignore/'))).toBe(true);
  });
});
