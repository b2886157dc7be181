import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { githubToken } from '../helpers/tokens.js';
import { commit, makeGitRepo, makeTree } from '../helpers/tree.js';

describe('faults', () => {
  it('a full disk on --output is a one-line error with exit 2 (no permission: see bad-input.test.ts)', () => {
    const cwd = makeTree({ 'a.txt': 'hello\n' });
    const result = runBin(['scan', '.', '-f', 'json', '-o', '/dev/full'], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'keyfence: --output /dev/full: cannot write the report (no space left on device)\n',
    );
  });

  it('writes to a device in place instead of replacing it (-o /dev/stdout)', () => {
    const cwd = makeTree({ 'a.txt': 'hello\n' });
    // Through a shell pipe, as users write it (node's own stdio pipes are sockets, which /dev/stdout cannot reopen).
    const result = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${BIN}" scan . -f json -o /dev/stdout | cat`],
      { cwd, encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ version: 1 });
    expect(lstatSync('/dev/stdout').isSymbolicLink() || lstatSync('/dev/stdout').isCharacterDevice()).toBe(
      true,
    );
  });

  it('a git process that dies mid-stream is reported, never taken for an empty scan', () => {
    const repo = makeGitRepo();
    for (let index = 0; index < 60; index++) {
      writeFileSync(join(repo, `f${index}.txt`), 'line of text\n'.repeat(200));
      commit(repo, `commit ${index}`);
    }
    writeFileSync(join(repo, 'late.env'), `T=${githubToken('ghp', 971)}\n`);
    commit(repo, 'late secret');
    // A git on PATH whose `log` prints part of its output and is then killed.
    const bin = makeTree();
    const realGit = '/usr/bin/git';
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nfor arg in "$@"; do\n  if [ "$arg" = log ]; then\n    ${realGit} "$@" | head -c 20000\n    kill -9 $$\n  fi\ndone\nexec ${realGit} "$@"\n`,
    );
    chmodSync(join(bin, 'git'), 0o755);
    const result = runBin(['scan', '--history'], { cwd: repo, env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('keyfence: git log: killed by SIGKILL\n');
    expect(result.stdout).not.toContain('no secrets found');
  });

  it('a git cat-file that dies mid-stream is reported too', () => {
    const repo = makeGitRepo();
    for (let index = 0; index < 30; index++) {
      writeFileSync(join(repo, `f${index}.txt`), `line ${index} of text\n`.repeat(400));
      commit(repo, `commit ${index}`);
    }
    // A git on PATH whose `cat-file` answers part of what it is asked and is then killed.
    const bin = makeTree();
    const realGit = '/usr/bin/git';
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nfor arg in "$@"; do\n  if [ "$arg" = cat-file ]; then\n    ${realGit} "$@" | head -c 20000\n    kill -9 $$\n  fi\ndone\nexec ${realGit} "$@"\n`,
    );
    chmodSync(join(bin, 'git'), 0o755);
    const result = runBin(['scan', '--history'], { cwd: repo, env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('keyfence: git cat-file: killed by SIGKILL\n');
    expect(result.stdout).not.toContain('no secrets found');
  });
});
