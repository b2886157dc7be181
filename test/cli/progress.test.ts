import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { githubToken } from '../helpers/tokens.js';
import { makeTree, type Tree } from '../helpers/tree.js';

const FILES = 400;
const ERASE = '\r\u001b[K';
/** One drawing of the progress line: counts and rates, never a path. */
const DRAWN = /^keyfence: \d+\/\d+ files, \d+\.\d MB, \d+\.\d+ MB\/s$/;

/** A directory of small files, one of them with a secret and a name made of terminal escapes. */
function project(count = FILES): string {
  const files: Tree = {};
  for (let index = 0; index < count - 1; index++)
    files[`src/module-${index}.js`] = `export const value${index} = compute(${index});\n`.repeat(20);
  files['deploy\u001b]0;owned\u0007\u001b[2J.sh'] = `export GITHUB_TOKEN=${githubToken('ghp', 1801)}\n`;
  return makeTree(files);
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Runs shell commands under `script` (util-linux), which gives them a real pseudo-terminal as
 * stdin, stdout and stderr; returns what the terminal received, split at each `echo @@`.
 */
function onTerminal(cwd: string, commands: string[]): { parts: string[]; ms: number } {
  const started = performance.now();
  const result = spawnSync('script', ['-qfc', commands.join('; echo @@; '), '/dev/null'], {
    cwd,
    encoding: 'utf8',
    // CI is unset as on a developer's machine; the suite itself may run in CI.
    env: { ...process.env, CI: undefined, NO_COLOR: '1', TERM: 'xterm' },
  });
  expect(result.error).toBeUndefined();
  return { parts: result.stdout.split('@@'), ms: performance.now() - started };
}

/** The drawings of the progress line in terminal output, and what came after the last erase. */
function progressIn(output: string): { drawn: string[]; after: string } {
  const last = output.lastIndexOf(ERASE);
  const drawn = output
    .slice(0, Math.max(last, 0))
    .split(ERASE)
    .filter((text) => text !== '');
  return { drawn, after: output.slice(last + ERASE.length) };
}

describe('progress of a directory scan', () => {
  it("is drawn on a terminal's stderr, at most ten times a second, counts only, erased before the findings, never in CI or a pipe", () => {
    const cwd = project();
    // Outside the scanned directory, so that every run scans the same files.
    const out = makeTree();
    const [report, piped, errors] = ['report.txt', 'piped.txt', 'errors.txt'].map((name) => join(out, name));
    const scan = `${quote(process.execPath)} ${quote(BIN)} scan . --no-config --no-color`;
    const { parts, ms } = onTerminal(cwd, [
      scan,
      `${scan} >${quote(report ?? '')}`,
      `CI=true ${scan}`,
      `${scan} >${quote(piped ?? '')} 2>${quote(errors ?? '')}`,
    ]);
    const [both = '', stderrOnly = '', inCi = '', none = ''] = parts;

    // stdout and stderr on the terminal: the line is drawn, then erased, then the report.
    const { drawn, after } = progressIn(both);
    expect(drawn.length).toBeGreaterThan(0);
    for (const text of drawn) expect(text).toMatch(DRAWN);
    expect(drawn[0]).toMatch(new RegExp(`/${FILES} files`));
    // The runs took `ms` in all, the first one less: one drawing per 100 ms at most (plus the first).
    expect(drawn.length).toBeLessThanOrEqual(Math.ceil(ms / 100) + 1);
    expect(after).toMatch(/^github-pat /);
    expect(after).toContain(`${FILES} files`);
    // The file name's escapes are printed escaped, and the progress line drew none.
    expect(both.split(ERASE).join('')).not.toContain('\u001b');

    // The report in a file, stderr on the terminal: the progress is on stderr, the file is clean.
    expect(progressIn(stderrOnly).drawn.length).toBeGreaterThan(0);
    const written = readFileSync(report ?? '', 'utf8');
    expect(written).toMatch(/^github-pat /);
    expect(written).not.toContain('\r');
    expect(written).not.toContain('\u001b');

    // CI set: a terminal, but no progress.
    expect(inCi.trimStart()).toMatch(/^github-pat /);
    expect(inCi).not.toContain('\u001b');

    // Neither stream a terminal: no progress, nothing on stderr, a clean report.
    expect(none.trim()).toBe('');
    expect(readFileSync(errors ?? '', 'utf8')).toBe('');
    const timeless = (text: string) => text.replace(/in \d+ ms/, 'in N ms');
    expect(timeless(readFileSync(piped ?? '', 'utf8'))).toBe(timeless(written));
  });
});
