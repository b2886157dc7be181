import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annotations } from '../../src/reporters/github.js';
import { jobSummary } from '../../src/reporters/markdown.js';
import { scanChunk } from '../../src/engine/scan.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { maskReport, MAX_VISIBLE_PREFIX } from '../../src/reporters/redact.js';
import { GIT_SAFE_CONFIG, PATCH_FLAGS } from '../../src/sources/git.js';
import { PatchParser } from '../../src/sources/patch.js';
import { builtinRuleSet, fileReport } from '../helpers/catalogue.js';
import { ALPHA, githubToken, randomString, stripeKey } from '../helpers/tokens.js';
import { git, makeGitRepo } from '../helpers/tree.js';

/** Cases per property: acceptance asks for at least 10,000 (KEYFENCE_FUZZ_RUNS raises it for a longer fuzz run). */
const RUNS = Number(process.env.KEYFENCE_FUZZ_RUNS ?? 10_000);
const ruleSet = await builtinRuleSet();

/** One file edit whose added lines are known: unique old lines kept or deleted, unique new lines inserted. */
const editArb = fc.record({
  old: fc.array(fc.boolean(), { maxLength: 12 }),
  inserts: fc.array(fc.nat({ max: 2 }), { minLength: 13, maxLength: 13 }),
  crlf: fc.boolean(),
});
type Edit = typeof editArb extends fc.Arbitrary<infer T> ? T : never;

function apply(edit: Edit, id: number): { before: string[]; after: string[]; added: number[] } {
  const before = edit.old.map((_, index) => `old line ${id}.${index}`);
  const after: string[] = [];
  const added: number[] = [];
  const insert = (position: number) => {
    for (let count = 0; count < (edit.inserts[position] ?? 0); count++) {
      after.push(`added line ${id}.${position}.${count}`);
      added.push(after.length);
    }
  };
  edit.old.forEach((keep, index) => {
    insert(index);
    if (keep) after.push(before[index] ?? '');
  });
  insert(edit.old.length);
  return { before, after, added };
}

describe('properties (fast-check)', () => {
  it(`the diff parser neither loses nor invents an added line and numbers each as git does (${RUNS} file edits)`, () => {
    const repo = makeGitRepo();
    const batch = 250;
    let id = 0;
    fc.assert(
      fc.property(fc.array(editArb, { minLength: batch, maxLength: batch }), (edits) => {
        rmSync(join(repo, 'f'), { recursive: true, force: true });
        const cases = edits.map((edit) => ({ edit, id: id++, ...apply(edit, id) }));
        const file = (index: number) => `f/${index % 25}/case ${index}.txt`;
        const text = (lines: string[], crlf: boolean) =>
          lines.map((line) => `${line}${crlf ? '\r\n' : '\n'}`).join('');
        cases.forEach((item, index) => {
          mkdirSync(join(repo, `f/${index % 25}`), { recursive: true });
          writeFileSync(join(repo, file(index)), text(item.before, item.edit.crlf));
        });
        git(repo, 'add', '-A');
        git(repo, 'commit', '-qm', 'before', '--allow-empty');
        cases.forEach((item, index) => {
          writeFileSync(join(repo, file(index)), text(item.after, item.edit.crlf));
        });
        git(repo, 'add', '-A');
        const patch = execFileSync(
          'git',
          [...GIT_SAFE_CONFIG, 'diff', '--cached', ...PATCH_FLAGS, '--find-renames'],
          {
            cwd: repo,
            encoding: 'utf8',
            maxBuffer: 1 << 28,
          },
        );
        const seen = new Map<string, Map<number, string>>();
        const parser = new PatchParser({
          added: (block) => {
            const lines = seen.get(block.path) ?? new Map<number, string>();
            block.lines.forEach((line, offset) => lines.set(block.startLine + offset, line));
            seen.set(block.path, lines);
          },
          skipped: (path, reason) => {
            throw new Error(`${path} skipped: ${reason}`);
          },
        });
        for (const line of patch.split('\n')) parser.push(line);
        parser.end();
        cases.forEach((item, index) => {
          const got = seen.get(file(index)) ?? new Map<number, string>();
          const expected = new Map(
            item.added.map((number) => [
              number,
              `${item.after[number - 1] ?? ''}${item.edit.crlf ? '\r' : ''}`,
            ]),
          );
          expect([...got.entries()].sort((a, b) => a[0] - b[0])).toEqual([...expected.entries()]);
        });
        git(repo, 'commit', '-qm', 'after', '--allow-empty');
      }),
      { numRuns: Math.ceil(RUNS / batch) },
    );
  }, 180_000);

  const secretArb = fc.oneof(
    fc.nat().map((seed) => githubToken('ghp', seed)),
    fc.nat().map((seed) => stripeKey('sk_live', seed)),
    fc.nat().map((seed) => `AKIA${randomString(ALPHA.upperAlnum, 16, seed)}`),
  );
  const contextArb = fc.record({
    before: fc.stringMatching(/^[ -~]{0,40}$/),
    after: fc.stringMatching(/^[ -~]{0,40}$/),
    name: fc.constantFrom('token = "', 'KEY=', 'secret: ', '"auth": "', ''),
  });

  it(`no reporter, annotation or summary shows more than a ${MAX_VISIBLE_PREFIX}-character prefix of a secret (${RUNS} reports)`, () => {
    let found = 0;
    fc.assert(
      fc.property(secretArb, contextArb, contextArb, (secret, first, second) => {
        const content = `${first.before}${first.name}${secret}${first.after}\n${second.before}${second.name}${secret}"${second.after}\n`;
        const findings = scanChunk(
          { path: 'src/a.js', content, startLine: 1, origin: 'file' },
          ruleSet,
        ).findings;
        found += findings.length;
        const masked = maskReport(fileReport(findings, content), true);
        const options = { color: false, cwd: '/repo', root: '/repo', toolVersion: '0.0.0', redacted: true };
        const outputs = [
          ...Object.values(REPORTERS).map((format) => format(masked, options)),
          annotations(masked, (path) => path).join('\n'),
          jobSummary(masked, {
            scanned: 'test',
            links: { server: 'https://github.com', repository: 'a/b', sha: 'c' },
            pathOf: (path) => path,
            failing: 0,
            failOn: 'low',
            newOnly: false,
          }),
        ];
        const visible = secret.slice(0, MAX_VISIBLE_PREFIX + 1);
        for (const output of outputs) expect(output.includes(visible)).toBe(false);
      }),
      { numRuns: RUNS },
    );
    // The property is only worth something if the reports hold findings.
    expect(found).toBeGreaterThan(RUNS);
  });

  it(`scanning is deterministic: the same input gives the same findings in the same order (${RUNS} inputs)`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(secretArb, contextArb), { maxLength: 4 }),
        fc.stringMatching(/^[ -~\n]{0,200}$/),
        (parts, noise) => {
          const content = parts
            .map(([secret, context]) => `${context.before}${context.name}${secret}${context.after}`)
            .join(`\n${noise}\n`);
          const chunk = { path: 'src/a.js', content, startLine: 1, origin: 'file' as const };
          const first = scanChunk(chunk, ruleSet);
          const second = scanChunk({ ...chunk }, ruleSet);
          expect(second).toEqual(first);
          const starts = first.findings.map((finding) => finding.line * 1e6 + finding.column);
          expect(starts).toEqual([...starts].sort((a, b) => a - b));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
