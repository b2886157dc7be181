import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/package.js';
import { makeTree } from './helpers/tree.js';

const SCRIPT = 'scripts/test-prerequisites.mjs';
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const which = (name: string) =>
  spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();

/**
 * A copy of the script in a project of its own (so that its venv path is that project's), run with a
 * PATH of exactly the programs given: real ones by name, or shell scripts.
 */
function runScript(programs: Record<string, string>, env: Record<string, string> = {}) {
  const project = makeTree({ 'package.json': JSON.stringify({ engines: manifest.engines }) });
  mkdirSync(join(project, 'scripts'));
  copyFileSync(join(REPO, SCRIPT), join(project, SCRIPT));
  const bin = join(project, 'bin');
  mkdirSync(bin);
  for (const [name, program] of Object.entries(programs)) {
    if (program.startsWith('#!')) {
      writeFileSync(join(bin, name), program);
      chmodSync(join(bin, name), 0o755);
    } else symlinkSync(which(program), join(bin, name));
  }
  const run = spawnSync(process.execPath, [join(project, SCRIPT)], {
    encoding: 'utf8',
    env: { PATH: bin, HOME: project, ...env },
  });
  return { project, status: run.status, stderr: run.stderr, stdout: run.stdout };
}

describe("the README's test command", () => {
  it('checks its prerequisites first: npm test starts with scripts/test-prerequisites.mjs', () => {
    expect(manifest.scripts.test).toMatch(/^node scripts\/test-prerequisites\.mjs && /);
  });

  it('states every prerequisite in the README: the Node.js versions of engines, git, the pre-commit framework and script', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = /## Prerequisites\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const node = /^>=(\d+\.\d+)$/.exec(manifest.engines.node)?.[1] ?? 'engines';
    expect(section).toContain(`Node.js ${node} or newer`);
    expect(section).toContain('git 2.31 or newer');
    expect(section).toContain('pre-commit');
    expect(section).toContain('script');
    expect(section).toContain('util-linux');
    expect(section).toContain('npm test');
  });

  it('finds nothing missing on this machine, and names the pre-commit it will use', () => {
    const run = spawnSync(process.execPath, [join(REPO, SCRIPT)], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^npm test: Node\.js [\d.]+, git version [\d.]+, pre-commit \d+\.\d+\.\d+ \(\S+\)\n$/,
    );
  });

  it('without pre-commit and nothing to install it with, fails with one line naming the prerequisite', () => {
    const run = runScript({ git: 'git' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'npm test: the pre-commit framework is not installed and could not be installed: install it (apt-get install pre-commit, or pipx install pre-commit), then run npm test again (README, Prerequisites)\n',
    );
  });

  it('installs pre-commit with pip into a venv of the project when python3 is there, and the tests find it there', () => {
    // A python3 that makes the venv and whose pip "installs" a pre-commit that answers --version.
    const fakePython = [
      '#!/bin/sh',
      'PATH=/usr/bin:/bin',
      'if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; exit 0; fi',
      'if [ "$1 $2 $3" = "-m pip install" ]; then',
      '  dir=$(dirname "$0")',
      `  printf '#!/bin/sh\\necho "pre-commit 9.9.9"\\n' > "$dir/pre-commit" && chmod +x "$dir/pre-commit"; exit 0`,
      'fi',
      'exit 1',
      '',
    ].join('\n');
    const run = runScript({ git: 'git', python3: fakePython, script: 'script' });
    const venv = join(run.project, 'node_modules/.cache/keyfence/pre-commit');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `npm test: the pre-commit framework is missing: installing it with pip into ${venv}\n`,
    );
    expect(run.stderr).toContain(`pre-commit 9.9.9 (${venv}/bin/pre-commit)\n`);
    // The next run finds it there without installing anything.
    const again = spawnSync(process.execPath, [join(run.project, SCRIPT)], {
      encoding: 'utf8',
      env: { PATH: join(run.project, 'bin'), KEYFENCE_NO_INSTALL: '1' },
    });
    expect(again.status, again.stderr).toBe(0);
  });

  it("fails with one line without util-linux's script, which gives the tests a pseudo-terminal", () => {
    const run = runScript({ git: 'git', 'pre-commit': '#!/bin/sh\necho "pre-commit 9.9.9"\n' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'npm test: script from util-linux is not on PATH: the tests run keyfence on a pseudo-terminal with it (apt-get install bsdutils, or the util-linux package of your system) (README, Prerequisites)\n',
    );
  });

  it('fails with one line for a git older than the tests need', () => {
    const run = runScript({ git: '#!/bin/sh\necho "git version 2.20.1"\n' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'npm test: git version 2.20.1 is too old: the tests need git 2.31 or newer (README, Prerequisites)\n',
    );
  });
});
