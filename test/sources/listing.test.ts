import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scanJson } from '../helpers/cli.js';
import { githubToken } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

interface Report {
  findings: { ruleId: string; path: string; line: number }[];
  summary: { files: number; skipped: { path: string; reason: string }[] };
}

const scan = (cwd: string, ...args: string[]) => scanJson<Report>(cwd, ...args);

const token = (seed: number) => githubToken('ghp', seed);
const paths = (report: Report) => report.findings.map((f) => f.path).sort();

/** Writes a file whose name holds the Latin-1 byte for é (not UTF-8); returns its escaped display. */
function latin1Name(dir: string, content: string): string {
  writeFileSync(
    Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from('\\.env')]),
    content,
  );
  return 'caf\\xE9\\\\.env';
}

describe('what a directory scan lists', () => {
  it('scans a file whose name is not UTF-8 and reports it with the bytes escaped, in a work tree and outside one', async () => {
    const repo = makeGitRepo({ 'README.md': '# app\n' });
    const shown = latin1Name(repo, `T=${token(401)}\n`);
    commit(repo, 'latin-1 name');
    const inGit = await scan(repo, '.');
    expect(paths(inGit)).toEqual([shown]);
    expect(inGit.summary.skipped).toEqual([]);
    const plain = makeTree({ 'sub/README.md': '# app\n' });
    latin1Name(join(plain, 'sub'), `T=${token(402)}\n`);
    const walked = await scan(plain, '.');
    expect(paths(walked)).toEqual([`sub/${shown}`]);
    expect(walked.summary.skipped).toEqual([]);
  });

  it('scans the checked-out files of submodules and nested repositories, and lists a submodule not checked out', async () => {
    const library = makeGitRepo({ 'lib.env': `T=${token(403)}\n`, '.gitignore': 'local.env\n' });
    commit(library, 'library');
    const repo = makeGitRepo({ 'app.env': `T=${token(404)}\n` });
    commit(repo, 'app');
    git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library, 'vendor/lib');
    git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library, 'vendor/unused');
    commit(repo, 'submodules');
    git(repo, 'submodule', 'deinit', '-q', 'vendor/unused');
    writeFileSync(join(repo, 'vendor/lib/local.env'), `T=${token(405)}\n`);
    writeFileSync(join(repo, 'vendor/lib/untracked.env'), `T=${token(406)}\n`);
    mkdirSync(join(repo, 'scratch'));
    git(join(repo, 'scratch'), 'init', '-q');
    writeFileSync(join(repo, 'scratch/notes.env'), `T=${token(407)}\n`);
    const report = await scan(repo, '.');
    expect(paths(report)).toEqual([
      'app.env',
      'scratch/notes.env',
      'vendor/lib/lib.env',
      'vendor/lib/untracked.env',
    ]);
    expect(report.summary.skipped).toEqual([
      {
        path: 'vendor/unused',
        reason: 'submodule not checked out (git submodule update --init to scan it)',
      },
    ]);
  });

  it('walks a directory named on the command line that git ignores, honouring the .gitignore files inside it', async () => {
    const repo = makeGitRepo({
      '.gitignore': 'build/\n/.venv\n',
      'src/app.js': 'export const app = 1;\n',
      'build/out.js': `T=${token(408)}\n`,
      'build/.gitignore': '*.map\n',
      'build/out.js.map': `T=${token(409)}\n`,
      '.venv/lib/site.py': `T=${token(410)}\n`,
    });
    commit(repo, 'app');
    const notes = async (...args: string[]) =>
      (
        JSON.parse((await runCli(['scan', ...args, '--format', 'json'], { cwd: repo })).stdout) as {
          notes: string[];
        }
      ).notes;
    const build = await scan(repo, 'build');
    expect(paths(build)).toEqual(['build/out.js']);
    expect(await notes('build')).toEqual([
      'build: git ignores this directory; scanned every file in it that no .gitignore inside it excludes',
    ]);
    expect(paths(await scan(join(repo, 'build'), '.'))).toEqual(['out.js']);
    expect(paths(await scan(repo, '.venv/lib'))).toEqual(['.venv/lib/site.py']);
    // The work tree as a whole, and a directory git does not ignore, are listed by git as before.
    expect(paths(await scan(repo, '.'))).toEqual([]);
    expect(await notes('src')).toEqual([]);
  });

  it('walks a directory git ignores that holds a .git git does not take for a repository (an empty one)', async () => {
    const repo = makeGitRepo({ '.gitignore': 'venv/\n', 'venv/app.env': `T=${token(411)}\n` });
    commit(repo, 'app');
    // An empty .git leaves venv inside the outer work tree, where git ignores it and lists nothing.
    mkdirSync(join(repo, 'venv', '.git'));
    const report = await scan(repo, 'venv');
    expect(paths(report)).toEqual(['venv/app.env']);
    expect(report.exitCode).toBe(1);
  });

  it('walks an ignored directory that holds a file added with --force, untracked files included', async () => {
    const repo = makeGitRepo({ '.gitignore': 'build/\n', 'build/keep.txt': 'kept\n' });
    git(repo, 'add', '-f', 'build/keep.txt');
    commit(repo, 'app');
    writeFileSync(join(repo, 'build', 'app.env'), `T=${token(413)}\n`);
    const report = await scan(repo, 'build');
    expect(paths(report)).toEqual(['build/app.env']);
    expect(report.summary.files).toBe(2);
  });

  it('lists the top of a work tree whose exclude file ignores everything, as git lists it', async () => {
    const repo = makeGitRepo({ 'app.env': `T=${token(412)}\n` });
    commit(repo, 'app');
    writeFileSync(join(repo, '.git', 'info', 'exclude'), '*\n');
    const report = await scan(repo, '.');
    expect(paths(report)).toEqual(['app.env']);
  });

  it('lists the files --include and --exclude leave out, with the glob', async () => {
    const dir = makeTree({ 'src/a.env': 'A=1\n', 'deploy/b.env': 'B=1\n', 'docs/c.md': 'c\n' });
    const report = await scan(dir, '.', '--include', '**/*.env', '--exclude', 'deploy/**');
    expect(report.summary.files).toBe(1);
    expect(report.summary.skipped).toEqual([
      { path: 'deploy/b.env', reason: 'excluded by --exclude deploy/**' },
      { path: 'docs/c.md', reason: 'not matched by --include **/*.env' },
    ]);
  });
});
