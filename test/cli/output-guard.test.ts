import { linkSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { githubToken } from '../helpers/tokens.js';
import { commit, makeGitRepo, makeTree } from '../helpers/tree.js';

const TOKEN = githubToken('ghp', 1301);
const SECRET_FILE = `export GITHUB_TOKEN=${TOKEN}\n`;

/** Exit 2, one line naming the option and the file, no stack trace. */
function expectRefused(result: CliResult, message: string): void {
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toBe(`keyfence: ${message}\n`);
  expect(result.stdout).toBe('');
}

/** Every file under `root` still holds what it held, and no temp file was left. */
function expectUnchanged(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files))
    expect(readFileSync(join(root, path), 'utf8')).toBe(content);
  expect(readdirSync(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
}

describe('--output never replaces what the scan reads', () => {
  it.each([
    ['the same path', 'a.env', '--output a.env: this command reads that file'],
    [
      'the same path written differently',
      './a.env',
      '--output ./a.env: this command reads that file, as a.env',
    ],
    ['a symbolic link to it', 'link.env', '--output link.env: this command reads that file, as a.env'],
    ['a hard link to it', 'hard.env', '--output hard.env: this command reads that file, as a.env'],
  ])('refuses %s as a scanned file', async (_case, output, message) => {
    const cwd = makeTree({ 'a.env': SECRET_FILE });
    symlinkSync('a.env', join(cwd, 'link.env'));
    linkSync(join(cwd, 'a.env'), join(cwd, 'hard.env'));
    for (const command of ['scan', 'baseline']) {
      expectRefused(
        await runCli([command, 'a.env', '-o', output], { cwd }),
        `${message} (write it elsewhere)`,
      );
    }
    expectUnchanged(cwd, { 'a.env': SECRET_FILE });
  });

  it.each([
    ['on the main thread', ['--workers', '0']],
    ['with worker threads', ['--workers', '2']],
  ])('refuses a file the scan reads under a scanned directory, %s', async (_case, workers) => {
    const files = {
      'deploy/a.env': SECRET_FILE,
      'deploy/config.json': '{"debug": true}\n',
      'notes.md': 'notes\n',
    };
    const cwd = makeTree(files);
    expectRefused(
      await runCli(['scan', '.', ...workers, '-f', 'json', '-o', 'deploy/config.json'], { cwd }),
      '--output deploy/config.json: this command reads that file (write it elsewhere, or exclude it from the scan)',
    );
    const roundabout = `${cwd}/deploy/../deploy/config.json`;
    expectRefused(
      await runCli(['scan', cwd, ...workers, '-o', roundabout], { cwd: makeTree() }),
      `--output ${roundabout}: this command reads that file, as ${cwd}/deploy/config.json (write it elsewhere, or exclude it from the scan)`,
    );
    expectUnchanged(cwd, files);
  });

  it('refuses a file the scan lists as skipped (too large, a symbolic link), which is part of what it was asked to read', async () => {
    const files = { 'big.log': 'x'.repeat(2000), 'elsewhere/target.txt': 'keep me\n' };
    const cwd = makeTree(files);
    expectRefused(
      await runCli(['scan', '.', '--max-file-size', '1000', '-o', 'big.log'], { cwd }),
      '--output big.log: this command reads that file (write it elsewhere, or exclude it from the scan)',
    );
    const tree = makeTree({ 'app.py': 'x = 1\n' });
    symlinkSync(join(cwd, 'elsewhere', 'target.txt'), join(tree, 'target.txt'));
    expectRefused(
      await runCli(['scan', '.', '--no-ignore', '-o', 'target.txt'], { cwd: tree }),
      '--output target.txt: this command reads that file (write it elsewhere, or exclude it from the scan)',
    );
    expectUnchanged(cwd, files);
  });

  it('writes a new report inside the scanned directory, and refuses it on the next run unless it is left out', async () => {
    const cwd = makeGitRepo({ 'a.env': SECRET_FILE });
    expect((await runCli(['scan', '.', '-f', 'json', '-o', 'report.json'], { cwd })).exitCode).toBe(1);
    const report = readFileSync(join(cwd, 'report.json'), 'utf8');
    expectRefused(
      await runCli(['scan', '.', '-f', 'json', '-o', 'report.json'], { cwd }),
      '--output report.json: this command reads that file (write it elsewhere, or exclude it from the scan)',
    );
    expect(readFileSync(join(cwd, 'report.json'), 'utf8')).toBe(report);
    expect(
      (await runCli(['scan', '.', '-f', 'json', '-o', 'report.json', '--exclude', 'report.json'], { cwd }))
        .exitCode,
    ).toBe(1);
    writeFileSync(join(cwd, '.gitignore'), 'report.json\n');
    expect((await runCli(['scan', '.', '-f', 'json', '-o', 'report.json'], { cwd })).exitCode).toBe(1);
  });

  it('lets keyfence baseline refresh .keyfence-baseline.json in the scanned directory', async () => {
    const cwd = makeGitRepo({ 'a.env': SECRET_FILE });
    for (let run = 0; run < 2; run++) {
      const result = await runCli(['baseline', '.', '-o', '.keyfence-baseline.json'], { cwd });
      expect(result.stderr).toBe('keyfence: baseline of 1 secret(s) written to .keyfence-baseline.json\n');
      expect(result.exitCode).toBe(0);
    }
  });

  it.each([
    ['--config', 'custom.yaml', 'allowlist:\n  stopwords: [example]\n'],
    ['--ignore-file', 'ignores.yaml', '[]\n'],
    ['--baseline', 'base.json', '{\n  "keyfence-baseline": 1,\n  "findings": [\n  ]\n}\n'],
  ])('refuses the file given to %s, in every mode', async (option, file, content) => {
    const cwd = makeGitRepo({ 'a.env': SECRET_FILE, [file]: content });
    commit(cwd, 'add');
    for (const mode of [['a.env'], ['--staged'], ['--history']]) {
      expectRefused(
        await runCli(['scan', ...mode, option, file, '-o', file], { cwd }),
        `--output ${file}: this command reads that file (write it elsewhere)`,
      );
    }
    expectUnchanged(cwd, { [file]: content });
  });

  it('writes over a tracked file with --staged and --history, which read git objects, not the working tree', async () => {
    const cwd = makeGitRepo({ 'a.env': SECRET_FILE, 'notes.md': 'notes\n' });
    commit(cwd, 'add');
    expect((await runCli(['scan', '--history', '-f', 'json', '-o', 'notes.md'], { cwd })).exitCode).toBe(1);
    expect(JSON.parse(readFileSync(join(cwd, 'notes.md'), 'utf8'))).toMatchObject({ version: 1 });
    expect((await runCli(['scan', '--staged', '-f', 'json', '-o', 'a.env'], { cwd })).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'a.env'), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('writes a report named like the stdin path when scanning stdin', async () => {
    const cwd = makeTree({ 'stdin.env': 'old\n' });
    const result = await runCli(['scan', '-', '--stdin-path', 'stdin.env', '-f', 'json', '-o', 'stdin.env'], {
      cwd,
      stdin: SECRET_FILE,
    });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(readFileSync(join(cwd, 'stdin.env'), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('refuses migrate gitleaks --output naming the gitleaks config it translates, even with --force', async () => {
    const files = { '.gitleaks.toml': '[extend]\nuseDefault = true\n' };
    const cwd = makeTree(files);
    expectRefused(
      await runCli(['migrate', 'gitleaks', '-o', '.gitleaks.toml', '--force'], { cwd }),
      '--output .gitleaks.toml: this command reads that file (write it elsewhere)',
    );
    expectUnchanged(cwd, files);
  });
});
