import { closeSync, openSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBinWithPeakRss, scanJson } from '../helpers/cli.js';
import { githubToken } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

interface Report {
  findings: { ruleId: string; path: string; line: number; column: number; commit?: { message: string } }[];
  summary: { files: number; skipped: { path: string; reason: string }[] };
}

const scan = (cwd: string, ...args: string[]) => scanJson<Report>(cwd, ...args);

const where = (report: Report) => report.findings.map((f) => [f.path, f.line, f.column]);
const token = (seed: number) => githubToken('ghp', seed);
const utf16le = (text: string, withBom: boolean) =>
  Buffer.concat([Buffer.from(withBom ? [0xff, 0xfe] : []), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string, withBom: boolean) =>
  Buffer.concat([Buffer.from(withBom ? [0xfe, 0xff] : []), Buffer.from(text, 'utf16le').swap16()]);

describe('one decoding for every mode', () => {
  it('finds a secret in UTF-16 files, with or without a byte-order mark, in directory, staged and history scans', async () => {
    const files = {
      'le-bom.ini': utf16le(`[a]\r\nT=${token(301)}\r\n`, true),
      'le.ini': utf16le(`[a]\r\nT=${token(302)}\r\n`, false),
      'be-bom.ini': utf16be(`[a]\r\nT=${token(303)}\r\n`, true),
      'be.ini': utf16be(`[a]\r\nT=${token(304)}\r\n`, false),
    };
    const expected = Object.keys(files)
      .sort()
      .map((path) => [path, 2, 3]);
    const repo = makeGitRepo(files);
    expect(where(await scan(repo, '.')).sort()).toEqual(expected);
    git(repo, 'add', '.');
    expect(where(await scan(repo, '--staged')).sort()).toEqual(expected);
    commit(repo, 'utf-16 files');
    const history = await scan(repo, '--history');
    expect(where(history).sort()).toEqual(expected);
    expect(history.summary.skipped).toEqual([]);
  });

  it('reports the lines a commit adds to a UTF-16 file, not the whole file again', async () => {
    const before = `[a]\r\nT=${token(305)}\r\n`;
    const repo = makeGitRepo({ 'win.ini': utf16le(before, false) });
    commit(repo, 'first');
    writeFileSync(join(repo, 'win.ini'), utf16le(`${before}[b]\r\nU=${token(306)}\r\n`, false));
    commit(repo, 'second');
    const history = await scan(repo, '--history', '--all-occurrences');
    expect(history.findings.map((f) => [f.path, f.line, f.commit?.message])).toEqual([
      ['win.ini', 4, 'second'],
      ['win.ini', 2, 'first'],
    ]);
  });

  it('decides binary by content, not by name: text named .dat, .bin or .png is scanned, binary named .txt is not', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000010', 'hex');
    const dir = makeTree({
      'export.dat': `T=${token(307)}\n`,
      'firmware.bin': `T=${token(308)}\n`,
      'not-an-image.png': `T=${token(309)}\n`,
      'image.txt': png,
    });
    const report = await scan(dir, '.');
    expect(where(report).sort()).toEqual([
      ['export.dat', 1, 3],
      ['firmware.bin', 1, 3],
      ['not-an-image.png', 1, 3],
    ]);
    expect(report.summary.skipped).toEqual([{ path: 'image.txt', reason: 'binary file' }]);
  });

  it('reads the first 8 KB of a file to decide it is binary: a 1 GB sparse file costs no more memory than a small one', () => {
    const dir = makeTree({ 'a.env': `T=${token(310)}\n` });
    const sparse = join(dir, 'disk.img');
    // One byte of text, then holes that read as NUL bytes: binary by its first 8 KB.
    const fd = openSync(sparse, 'w');
    writeSync(fd, 'x');
    closeSync(fd);
    truncateSync(sparse, 1024 ** 3);
    const run = runBinWithPeakRss(['scan', '.', '--max-file-size', '2g', '-f', 'json'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.summary.skipped).toEqual([{ path: 'disk.img', reason: 'binary file' }]);
    const rssMb = run.rssMb;
    console.log(`peak RSS of a scan with a 1 GB sparse file: ${rssMb.toFixed(0)} MB`);
    expect(rssMb).toBeLessThan(200);
  });
});
