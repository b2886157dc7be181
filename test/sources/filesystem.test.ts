import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesystemSource } from '../../src/sources/filesystem.js';
import type { Chunk, Skip } from '../../src/sources/types.js';
import { commit, makeGitRepo, makeTree } from '../helpers/tree.js';

async function collect(
  paths: string[],
  cwd: string,
  options: Partial<{ include: string[]; exclude: string[]; maxFileSize: number }> = {},
) {
  const chunks: Chunk[] = [];
  const skipped: Skip[] = [];
  const scanned: string[] = [];
  const source = filesystemSource(paths, {
    include: [],
    exclude: [],
    maxFileSize: 1024 * 1024,
    cwd,
    ...options,
  });
  const context = {
    skip: (path: string, reason: string) => skipped.push({ path, reason }),
    scanned: (path: string) => scanned.push(path),
    note: () => undefined,
    commitScanned: () => undefined,
  };
  for await (const chunk of source.chunks(context)) {
    chunks.push(chunk);
  }
  return { paths: chunks.map((chunk) => chunk.path).sort(), skipped, scanned };
}

describe('filesystemSource', () => {
  it('inside a git work tree scans tracked and untracked files but not ignored ones', async () => {
    const repo = makeGitRepo({
      '.gitignore': 'build/\n*.log\n',
      'src/app.js': 'tracked',
      'build/out.js': 'ignored dir',
      'debug.log': 'ignored file',
      'notes.md': 'untracked',
    });
    commit(repo, 'init', '.gitignore', 'src/app.js');
    expect((await collect(['.'], repo)).paths).toEqual(['.gitignore', 'notes.md', 'src/app.js']);
  });

  it('scans a subdirectory of a work tree with paths as the user typed them', async () => {
    const repo = makeGitRepo({ 'pkg/a/x.txt': 'x', 'pkg/b.txt': 'b', 'top.txt': 't' });
    expect((await collect(['pkg'], repo)).paths).toEqual(['pkg/a/x.txt', 'pkg/b.txt']);
  });

  it('lists a tracked file deleted from the working tree as skipped', async () => {
    const repo = makeGitRepo({ 'gone.txt': 'x', 'kept.txt': 'y' });
    commit(repo, 'init');
    rmSync(join(repo, 'gone.txt'));
    const result = await collect(['.'], repo);
    expect(result.paths).toEqual(['kept.txt']);
    expect(result.skipped).toEqual([{ path: 'gone.txt', reason: 'deleted in the working tree' }]);
  });

  it('outside git honours nested .gitignore files and never enters .git', async () => {
    const dir = makeTree({
      '.gitignore': 'node_modules/\n',
      'node_modules/dep/index.js': 'dep',
      'app/.gitignore': 'cache/\n*.tmp\n!keep.tmp\n',
      'app/cache/blob.txt': 'cached',
      'app/x.tmp': 'tmp',
      'app/keep.tmp': 'kept',
      'app/main.py': 'main',
      '.git/config': 'not a repo, but never scanned',
    });
    expect((await collect(['.'], dir)).paths).toEqual([
      '.gitignore',
      'app/.gitignore',
      'app/keep.tmp',
      'app/main.py',
    ]);
  });

  it('does not follow symbolic links and lists them as skipped', async () => {
    const dir = makeTree({ 'real/a.txt': 'a' });
    mkdirSync(join(dir, 'links'));
    symlinkSync(join(dir, 'real'), join(dir, 'links', 'to-real'));
    symlinkSync('/etc/hostname', join(dir, 'links', 'outside'));
    const result = await collect(['.'], dir);
    expect(result.paths).toEqual(['real/a.txt']);
    expect(result.skipped.map((skip) => skip.path).sort()).toEqual(['links/outside', 'links/to-real']);
  });

  it('skips files over --max-file-size and binary files, listing each', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const dir = makeTree({ 'big.txt': 'x'.repeat(2048), 'small.txt': 'ok', 'logo.png': png });
    const result = await collect(['.'], dir, { maxFileSize: 1024 });
    expect(result.paths).toEqual(['small.txt']);
    expect(result.skipped).toEqual([
      { path: 'big.txt', reason: 'larger than --max-file-size (2048 > 1024 bytes)' },
      { path: 'logo.png', reason: 'binary file' },
    ]);
  });

  it('accepts single files and several paths', async () => {
    const dir = makeTree({ 'a/one.txt': '1', 'b/two.txt': '2', 'c/three.txt': '3' });
    expect((await collect(['a/one.txt', 'c'], dir)).paths).toEqual(['a/one.txt', 'c/three.txt']);
  });
});
