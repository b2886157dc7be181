import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { awsAccessKeyId, awsSecretKey, githubToken, stripeKey } from '../helpers/tokens.js';
import { makeGitRepo, makeTree, type Tree } from '../helpers/tree.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** This project's own TypeScript sources: real text, about 300 KB. */
function ownSources(): string[] {
  const texts: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts')) texts.push(readFileSync(path, 'utf8'));
    }
  };
  visit(SRC);
  return texts;
}

/** About 6 MB in 120 files, a secret planted in every fifth file: past the size where workers start. */
function midSizedTree(): Tree {
  const sources = ownSources().join('\n');
  const files: Tree = {};
  for (let index = 0; index < 120; index++) {
    const lines = sources.split('\n');
    const secret =
      index % 15 === 0
        ? `aws_access_key_id = ${awsAccessKeyId(index)}\naws_secret_access_key = ${awsSecretKey(index + 1)}`
        : index % 10 === 0
          ? `const stripe = "${stripeKey('sk_live', index)}";`
          : `export GITHUB_TOKEN=${githubToken('ghp', index)}`;
    if (index % 5 === 0) lines.splice((index * 37) % 1400, 0, secret);
    files[`pkg${index % 7}/module${index}.ts`] = lines.slice(0, 1400 + index * 3).join('\n');
  }
  return files;
}

/** The report without the timing and thread count, which is all that may differ between runs. */
async function report(args: string[], cwd: string, workers: number): Promise<unknown> {
  const result = await runCli([...args, '--workers', String(workers), '--format', 'json'], { cwd });
  expect(result.stderr).toBe('');
  const parsed = JSON.parse(result.stdout) as { summary: { durationMs?: number; workers?: number } };
  // The input is large enough for the pool to start: the threads asked for did the scanning.
  expect(parsed.summary.workers).toBe(workers);
  delete parsed.summary.durationMs;
  delete parsed.summary.workers;
  return parsed;
}

describe('worker threads', () => {
  it('give the same report, in the same order, as one thread (directory of 6 MB)', async () => {
    // Past the first 4 MB the workers read the files themselves: what they skip, and why, must be
    // reported as the main thread would.
    const tree = midSizedTree();
    for (let index = 0; index < 120; index += 12) {
      tree[`pkg${index % 7}/late${index}.bin.txt`] = Buffer.from(`binary\0${githubToken('ghp', index)}`);
      tree[`pkg${index % 7}/logo${index}.png`] = `GITHUB_TOKEN=${githubToken('ghp', index + 1)}`;
      tree[`pkg${index % 7}/huge${index}.txt`] =
        `${'x'.repeat(300_000)}\nTOKEN=${githubToken('ghp', index + 2)}`;
    }
    const dir = makeTree(tree);
    symlinkSync(join(dir, 'pkg1/module1.ts'), join(dir, 'pkg6/link.ts'));
    const args = ['scan', '.', '--max-file-size', '200KB'];
    const single = (await report(args, dir, 0)) as { findings: unknown[]; summary: { skipped: unknown[] } };
    // Text named .png is scanned (binary is decided by content): 10 of the findings are in them.
    expect(single.findings).toHaveLength(34);
    expect(single.summary.skipped).toHaveLength(21);
    expect(await report(args, dir, 1)).toEqual(single);
    expect(await report(args, dir, 3)).toEqual(single);
  });

  it('give the same report as one thread for a history scan, with changes seen twice', async () => {
    const files = Object.entries(midSizedTree());
    const repo = makeGitRepo();
    const commitOf = (
      ref: string,
      mark: number,
      parent: number,
      [path, content]: [string, string | Buffer],
    ) => {
      const body = Buffer.from(content);
      const header = `commit ${ref}\nmark :${mark}\ncommitter T <t@example.invalid> ${1_700_000_000 + mark} +0000\ndata 7\nadd ${String(mark).padStart(3, '0')}\n${parent > 0 ? `from :${parent}\n` : ''}M 100644 inline ${path}\ndata ${body.length}\n`;
      return Buffer.concat([Buffer.from(header), body, Buffer.from('\n')]);
    };
    // One commit per file, so that findings carry many different commits; then a second branch
    // replays files 1 to 20, the same changes in other commits (scanned once, reported twice).
    const parts = files.map((file, index) => commitOf('refs/heads/main', index + 1, index, file));
    files.slice(1, 21).forEach((file, index) => {
      parts.push(commitOf('refs/heads/replay', 200 + index, index === 0 ? 1 : 199 + index, file));
    });
    execFileSync('git', ['fast-import', '--quiet'], {
      cwd: repo,
      input: Buffer.concat(parts),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const single = (await report(['scan', '--history', '--all-occurrences'], repo, 0)) as {
      findings: unknown[];
    };
    expect(single.findings).toHaveLength(28);
    expect(await report(['scan', '--history', '--all-occurrences'], repo, 1)).toEqual(single);
    expect(await report(['scan', '--history', '--all-occurrences'], repo, 2)).toEqual(single);
  });

  it('rejects a worker count that is not a whole number from 0 to 64', async () => {
    const cwd = makeTree({ 'a.txt': 'x\n' });
    for (const bad of ['65', '1.5', 'many', '']) {
      const result = await runCli(['scan', '.', '--workers', bad], { cwd });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(`keyfence: --workers: expected a whole number from 0 to 64, got "${bad}"\n`);
    }
  });
});
