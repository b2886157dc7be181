import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GIT_SAFE_CONFIG, PATCH_FLAGS } from '../../src/sources/git.js';
import { COMMIT_MARKER, PatchParser } from '../../src/sources/patch.js';
import { runCli } from '../helpers/cli.js';
import { githubToken } from '../helpers/tokens.js';
import { makeGitRepo } from '../helpers/tree.js';

/** File edits per run of the property; 40 runs make over 10,000 (KEYFENCE_FUZZ_RUNS scales it). */
const RUNS = Math.max(1, Math.ceil(Number(process.env.KEYFENCE_FUZZ_RUNS ?? 10_000) / 250));

// Lines repeat on purpose (braces, blank lines, the same secret twice): moved and duplicated lines
// are where a diff is easiest to get wrong.
const lineArb = fc.oneof(
  fc.constantFrom('{', '}', '', 'return value;', 'const a = 1;', '// note'),
  fc.nat({ max: 40 }).map((seed) => `TOKEN_${seed} = "${githubToken('ghp', seed)}"`),
);
const editArb = fc.record({
  file: fc.nat({ max: 5 }),
  at: fc.nat({ max: 60 }),
  remove: fc.nat({ max: 3 }),
  insert: fc.array(lineArb, { maxLength: 4 }),
});
// 50 commits of 1-9 edits: about 250 file edits per run.
const historyArb = fc.array(fc.array(editArb, { minLength: 1, maxLength: 9 }), {
  minLength: 50,
  maxLength: 50,
});

interface Built {
  repo: string;
  /** Per commit (oldest first), the lines each file had before the commit changed it. */
  before: Map<string, ReadonlySet<string>>[];
  /** Per commit, the lines of each file it changed, as the commit left them. */
  after: Map<string, readonly string[]>[];
}

function build(commits: (typeof editArb extends fc.Arbitrary<infer T> ? T : never)[][]): Built {
  const repo = makeGitRepo();
  const files = new Map<string, string[]>();
  const before: Map<string, ReadonlySet<string>>[] = [];
  const after: Map<string, readonly string[]>[] = [];
  const parts: string[] = [];
  commits.forEach((edits, index) => {
    const previous = new Map<string, ReadonlySet<string>>();
    for (const edit of edits) {
      const path = `src/part ${edit.file}.txt`;
      const lines = files.get(path) ?? [];
      if (!previous.has(path)) previous.set(path, new Set(lines));
      lines.splice(Math.min(edit.at, lines.length), edit.remove, ...edit.insert);
      files.set(path, lines);
    }
    before.push(previous);
    after.push(new Map([...previous.keys()].map((path) => [path, [...(files.get(path) ?? [])]])));
    const message = `commit ${index}`;
    parts.push(
      `commit refs/heads/main\nmark :${index + 1}\ncommitter T <t@example.invalid> ${1_700_000_000 + index} +0000\n`,
      `data ${message.length}\n${message}\n`,
      index > 0 ? `from :${index}\n` : '',
    );
    for (const path of previous.keys()) {
      const content = (files.get(path) ?? []).map((line) => `${line}\n`).join('');
      parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
    }
  });
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: parts.join('') });
  return { repo, before, after };
}

/** What `git log -p` calls added: the token lines each `sha|path` adds. */
function addedByGit(repo: string): Map<string, Set<string>> {
  const patch = execFileSync(
    'git',
    [...GIT_SAFE_CONFIG, 'log', '--all', '--no-renames', `--format=${COMMIT_MARKER}%H`, ...PATCH_FLAGS],
    { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const added = new Map<string, Set<string>>();
  let sha = '';
  const parser = new PatchParser({
    commit: (line) => {
      sha = line.slice(1);
    },
    added: (block) => {
      const key = `${sha}|${block.path}`;
      for (const line of block.lines) {
        if (!line.startsWith('TOKEN_')) continue;
        const lines = added.get(key) ?? new Set<string>();
        lines.add(line);
        added.set(key, lines);
      }
    },
    skipped: (path, reason) => {
      throw new Error(`${path}: ${reason}`);
    },
  });
  for (const line of patch.split('\n')) parser.push(line);
  parser.end();
  return added;
}

// Where a line is added next to an identical one, which copy is "the added one" is a choice: git
// slides such blocks (its heuristics), we report the copy after the unchanged text. So the property
// compares the text each commit adds to each file, and checks our line numbers against the file.
describe('history scan properties (fast-check)', () => {
  it(`reports the token lines each commit adds to each file as git log -p does, at their real line numbers, except lines the file already had (${RUNS * 250} file edits)`, async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async (commits) => {
        const { repo, before, after } = build(commits);
        const shas = execFileSync('git', ['rev-list', '--reverse', 'main'], { cwd: repo, encoding: 'utf8' })
          .trim()
          .split('\n');
        const result = await runCli(['scan', '--history', '--all-occurrences', '--format', 'json'], {
          cwd: repo,
        });
        const findings = (
          JSON.parse(result.stdout) as {
            findings: { ruleId: string; path: string; line: number; commit: { sha: string } }[];
          }
        ).findings.filter((finding) => finding.ruleId === 'github-pat');
        const git = addedByGit(repo);
        const ours = new Map<string, Set<string>>();
        for (const finding of findings) {
          const key = `${finding.commit.sha}|${finding.path}`;
          const line = after[shas.indexOf(finding.commit.sha)]?.get(finding.path)?.[finding.line - 1] ?? '';
          expect(line.startsWith('TOKEN_'), `no token at ${key}:${finding.line}`).toBe(true);
          // Nothing invented: git adds the same line in the same commit and file.
          expect(git.get(key)?.has(line), `not added by git: ${key}: ${line}`).toBe(true);
          ours.set(key, (ours.get(key) ?? new Set()).add(line));
        }
        // Nothing lost: a line git adds that we do not report was already in that file.
        for (const [key, lines] of git) {
          const [sha = '', path = ''] = key.split('|');
          for (const line of lines) {
            if (ours.get(key)?.has(line)) continue;
            expect(before[shas.indexOf(sha)]?.get(path)?.has(line), `missed: ${key}: ${line}`).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, 240_000);
});
