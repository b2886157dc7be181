import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';
import { corruptLooseObject, partialClone } from '../helpers/git-faults.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

interface HistoryFinding {
  ruleId: string;
  path: string;
  line: number;
  column: number;
  origin: string;
  commit: { sha: string; author: string; email: string; date: string; message: string };
  occurrences?: { commits: number; paths: number };
}
interface Result {
  exitCode: number;
  findings: HistoryFinding[];
  summary: { commits: number; files: number; bytes: number };
  notes: string[];
}

async function history(cwd: string, ...args: string[]): Promise<Result> {
  const result = await runCli(['scan', '--history', '--format', 'json', ...args], { cwd });
  expect(result.stderr).toBe('');
  return { exitCode: result.exitCode, ...(JSON.parse(result.stdout) as Omit<Result, 'exitCode'>) };
}

const where = (result: Result) => result.findings.map((f) => [f.ruleId, f.path, f.line, f.commit.sha]);
const token = (seed: number) => githubToken('ghp', seed);

/** A repo where a secret is added three commits before the tip and deleted in the next commit. */
function addedThenDeleted() {
  const repo = makeGitRepo({ 'README.md': '# app\n' });
  const first = commit(repo, 'init');
  writeFileSync(join(repo, 'settings.py'), `DEBUG = False\nAPI = "${token(21)}"\n`);
  const added = commit(repo, 'add settings');
  rmSync(join(repo, 'settings.py'));
  const deleted = commit(repo, 'remove settings');
  writeFileSync(join(repo, 'README.md'), '# app\n\nmore docs\n');
  const tip = commit(repo, 'docs');
  return { repo, first, added, deleted, tip };
}

describe('keyfence scan --history', () => {
  it('finds a secret deleted from the tip, at the commit that added it, with its metadata', async () => {
    const { repo, added } = addedThenDeleted();
    const result = await history(repo);
    expect(result.exitCode).toBe(1);
    expect(where(result)).toEqual([['github-pat', 'settings.py', 2, added]]);
    expect(result.findings[0]).toMatchObject({
      column: 8,
      origin: 'commit',
      commit: { author: 'Test', email: 'test@example.invalid', message: 'add settings' },
      occurrences: { commits: 1, paths: 1 },
    });
    expect(result.findings[0]?.commit.date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(result.summary.commits).toBe(4);
  });

  it('limits the scan with --range, --since, --branch and --max-commits', async () => {
    const { repo, first, added, deleted } = addedThenDeleted();
    expect(where(await history(repo, '--range', `${first}..${added}`))).toEqual([
      ['github-pat', 'settings.py', 2, added],
    ]);
    expect((await history(repo, '--range', `${added}..HEAD`)).findings).toEqual([]);
    expect((await history(repo, '--range', `${deleted}..HEAD`)).summary.commits).toBe(1);
    expect(where(await history(repo, '--since', first))).toEqual([['github-pat', 'settings.py', 2, added]]);
    expect((await history(repo, '--max-commits', '2')).findings).toEqual([]);
    expect((await history(repo, '--max-commits', '3')).findings).toHaveLength(1);
    git(repo, 'checkout', '-q', '-b', 'side', first);
    writeFileSync(join(repo, 'side.env'), `S=${stripeKey('sk_live', 22)}\n`);
    const side = commit(repo, 'side');
    expect(where(await history(repo, '--branch', 'main'))).toEqual([['github-pat', 'settings.py', 2, added]]);
    expect(where(await history(repo, '--branch', 'side'))).toEqual([
      ['stripe-secret-key', 'side.env', 1, side],
    ]);
    expect((await history(repo)).findings).toHaveLength(2);
  });

  it('reports a secret repeated across commits and paths once, at its first introduction', async () => {
    const repo = makeGitRepo({ 'a.env': `T=${token(23)}\n` });
    const introduced = commit(repo, 'one');
    writeFileSync(join(repo, 'b.env'), `X=1\nT=${token(23)}\n`);
    commit(repo, 'two');
    writeFileSync(join(repo, 'a.env'), `# renamed the variable\n\nTOKEN=${token(23)}\n`);
    commit(repo, 'three');
    const collapsed = await history(repo);
    expect(where(collapsed)).toEqual([['github-pat', 'a.env', 1, introduced]]);
    expect(collapsed.findings[0]?.occurrences).toEqual({ commits: 3, paths: 2 });
    const all = await history(repo, '--all-occurrences');
    expect(all.findings.map((f) => [f.path, f.line, f.commit.message])).toEqual([
      ['a.env', 3, 'three'],
      ['b.env', 2, 'two'],
      ['a.env', 1, 'one'],
    ]);
  });

  it('names the first copy when the introducing commit adds a secret several times', async () => {
    const repo = makeGitRepo({
      'certs/server.key.env': `KEY=${token(24)}\n`,
      'deploy.env': `A=1\nT=${token(24)}\nB=2\nT2=${token(24)}\n`,
      'k8s/secret.env': `T=${token(24)}\n`,
    });
    const introduced = commit(repo, 'one');
    writeFileSync(join(repo, 'later.env'), `T=${token(24)}\n`);
    commit(repo, 'two');
    for (const workers of ['0', '2']) {
      const collapsed = await history(repo, '--workers', workers);
      expect(where(collapsed)).toEqual([['github-pat', 'certs/server.key.env', 1, introduced]]);
      expect(collapsed.findings[0]?.occurrences).toEqual({ commits: 2, paths: 4 });
    }
    writeFileSync(join(repo, 'only.env'), `A=1\nT=${token(25)}\nT=${token(25)}\n`);
    const third = commit(repo, 'three');
    expect(where(await history(repo, '--range', 'HEAD~1..HEAD'))).toEqual([
      ['github-pat', 'only.env', 2, third],
    ]);
  });

  it('follows renames without reporting the secret again, and scans deleted files', async () => {
    const body = Array.from({ length: 30 }, (_, index) => `K${index}=v${index}`).join('\n');
    const repo = makeGitRepo({ 'old.env': `${body}\nT=${token(24)}\n` });
    const added = commit(repo, 'add');
    renameSync(join(repo, 'old.env'), join(repo, 'new.env'));
    commit(repo, 'rename');
    expect(where(await history(repo, '--all-occurrences'))).toEqual([['github-pat', 'old.env', 31, added]]);
  });

  it('finds a secret on a merged branch once, and one a merge commit itself introduces', async () => {
    const repo = makeGitRepo({ 'app.txt': 'base\n' });
    commit(repo, 'base');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(repo, 'feature.env'), `T=${token(25)}\n`);
    const onBranch = commit(repo, 'feature secret');
    git(repo, 'checkout', '-q', 'main');
    writeFileSync(join(repo, 'app.txt'), 'main change\n');
    commit(repo, 'main change');
    git(repo, 'merge', '-q', '--no-ff', '--no-commit', 'feature');
    writeFileSync(join(repo, 'merge-only.env'), `M=${stripeKey('sk_live', 26)}\n`);
    git(repo, 'add', 'merge-only.env');
    git(repo, 'commit', '-q', '-m', 'merge feature');
    const merge = git(repo, 'rev-parse', 'HEAD').trim();
    const result = await history(repo, '--all-occurrences');
    expect(where(result).sort()).toEqual(
      [
        ['github-pat', 'feature.env', 1, onBranch],
        ['stripe-secret-key', 'merge-only.env', 1, merge],
      ].sort(),
    );
  });

  it('reports the same change cherry-picked onto another branch at both commits', async () => {
    const repo = makeGitRepo({ 'app.env': 'A=1\n' });
    const base = commit(repo, 'base');
    writeFileSync(join(repo, 'app.env'), `A=1\nT=${token(27)}\n`);
    const original = commit(repo, 'add token');
    git(repo, 'checkout', '-q', '-b', 'release', base);
    writeFileSync(join(repo, 'notes.txt'), 'release notes\n');
    commit(repo, 'release notes');
    git(repo, 'cherry-pick', original);
    const picked = git(repo, 'rev-parse', 'HEAD').trim();
    expect(picked).not.toBe(original);
    const all = await history(repo, '--all-occurrences');
    expect(where(all).sort()).toEqual(
      [
        ['github-pat', 'app.env', 2, original],
        ['github-pat', 'app.env', 2, picked],
      ].sort(),
    );
    expect((await history(repo)).findings[0]?.occurrences).toEqual({ commits: 2, paths: 1 });
  });

  it('gives paths with spaces, unicode and newlines exactly', async () => {
    const repo = makeGitRepo({ 'README.md': '# app\n' });
    commit(repo, 'init');
    const names = ['config dir/my settings.env', 'données/clé.env', 'odd/new\nline.env'];
    names.forEach((name, index) => {
      mkdirSync(join(repo, name, '..'), { recursive: true });
      writeFileSync(join(repo, name), `T=${token(40 + index)}\n`);
    });
    const added = commit(repo, 'odd names');
    expect(where(await history(repo)).sort()).toEqual(
      names.map((name) => ['github-pat', name, 1, added]).sort(),
    );
  });

  it('reports a path that is not UTF-8 with its bytes escaped, and lists a submodule once', async () => {
    const sub = makeGitRepo({ 'README.md': 'sub\n' });
    commit(sub, 'sub init');
    const repo = makeGitRepo({ 'README.md': '# app\n' });
    commit(repo, 'init');
    writeFileSync(Buffer.from(`${repo}/caf\xE9.env`, 'latin1'), `T=${token(43)}\n`);
    git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'vendor/sub');
    const added = commit(repo, 'latin-1 name and a submodule');
    commit(join(repo, 'vendor/sub'), 'move the pointer');
    const moved = commit(repo, 'move the submodule');
    const report = JSON.parse(
      (await runCli(['scan', '--history', '--format', 'json'], { cwd: repo })).stdout,
    ) as Result & { summary: { skipped: { path: string; reason: string }[] } };
    expect(where(report)).toEqual([['github-pat', 'caf\\xE9.env', 1, added]]);
    expect(report.summary.skipped).toEqual([
      {
        path: 'vendor/sub',
        reason: `submodule (its content is committed in its own repository) (latest change in ${moved.slice(0, 12)})`,
      },
    ]);
  });

  it('is a one-line error when a blob is missing or corrupt, never a skipped file', async () => {
    for (const damage of ['removed', 'corrupt at its start', 'corrupt in its middle'] as const) {
      const repo = makeGitRepo({ 'a.txt': 'nothing here\n', 'b.env': `T=${token(45)}\n` });
      const added = commit(repo, 'two files');
      writeFileSync(join(repo, 'a.txt'), 'still nothing\n');
      commit(repo, 'later');
      const blob = git(repo, 'rev-parse', `${added}:b.env`).trim();
      if (damage === 'removed') rmSync(join(repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
      else corruptLooseObject(repo, blob, damage === 'corrupt at its start' ? 'start' : 'middle');
      const result = await runCli(['scan', '--history', '--format', 'json'], { cwd: repo });
      expect(result.exitCode, damage).toBe(2);
      expect(result.stdout).toBe('');
      const hint = `\\(git fsck lists the damage; git log --all --find-object=${blob} the commits that use it\\)`;
      // Which of its errors git gives depends on where the flipped byte lands: any, on one line.
      const why = damage === 'removed' ? 'it is not in the repository' : '[^\\n]+';
      expect(result.stderr, damage).toMatch(
        new RegExp(`^keyfence: git cat-file: cannot read object ${blob}: ${why} ${hint}\\n$`),
      );
    }
  });

  it('scans a blob-less partial clone as far as it goes, lists the absent blobs, says the scan is incomplete and fetches nothing', async () => {
    const source = makeGitRepo({ 'README.md': '# app\n', 'old.env': `T=${token(44)}\n` });
    commit(source, 'with a secret');
    rmSync(join(source, 'old.env'));
    writeFileSync(join(source, 'new.env'), `T=${token(46)}\n`);
    const tip = commit(source, 'replace the secret');
    const clone = partialClone(source);
    const objects = () => git(clone, 'cat-file', '--batch-all-objects', '--batch-check');
    const before = objects();
    const json = await runCli(['scan', '--history', '--format', 'json'], { cwd: clone });
    expect(json.stderr).toBe('');
    const report = JSON.parse(json.stdout) as Result & {
      summary: { skipped: { path: string; reason: string }[] };
    };
    expect(where(report)).toEqual([['github-pat', 'new.env', 1, tip]]);
    const incomplete =
      'the history scan is incomplete: 1 blob(s) of this partial clone are not present and were not scanned (their paths are listed as skipped); scan a full clone (git clone without --filter) for all';
    expect(report.notes).toEqual([incomplete]);
    expect(report.summary.skipped).toEqual([
      {
        path: 'old.env',
        reason: expect.stringMatching(
          /^not in this partial clone \(its blobs come from origin on demand; keyfence never fetches\) \(latest change in [0-9a-f]{12}\)$/,
        ) as string,
      },
    ]);
    const sarif = JSON.parse(
      (await runCli(['scan', '--history', '--format', 'sarif'], { cwd: clone })).stdout,
    ) as { runs: { invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[] };
    const notices = sarif.runs[0]?.invocations[0]?.toolExecutionNotifications.map((n) => n.message.text);
    expect(notices).toContain(incomplete);
    expect(notices?.some((text) => text.startsWith('not scanned: old.env: not in this partial clone'))).toBe(
      true,
    );
    const console = await runCli(['scan', '--history'], { cwd: clone });
    expect(console.stdout).toContain(`note: ${incomplete}`);
    expect(objects()).toBe(before);
  });

  it('skips blobs larger than --max-file-size without reading them, and lists them', async () => {
    const filler = `${'x'.repeat(99)}\n`.repeat(2000);
    const repo = makeGitRepo({
      'big.js': `${filler}const t = "${token(46)}";\n`,
      'small.env': `T=${token(47)}\n`,
    });
    const added = commit(repo, 'big and small');
    const result = await runCli(['scan', '--history', '--max-file-size', '100KB', '--format', 'json'], {
      cwd: repo,
    });
    const report = JSON.parse(result.stdout) as Result & {
      summary: { skipped: { path: string; reason: string }[] };
    };
    expect(where(report)).toEqual([['github-pat', 'small.env', 1, added]]);
    expect(report.summary.skipped).toEqual([
      {
        path: 'big.js',
        reason: `larger than --max-file-size (200054 > 102400 bytes) (latest change in ${added.slice(0, 12)})`,
      },
    ]);
    // Under the default limit (5 MB) the same blob is scanned.
    expect((await history(repo)).findings).toHaveLength(2);
  });

  it('lists a binary file once however many commits change it', async () => {
    const repo = makeGitRepo({ 'logo.bin': Buffer.from([0, 1, 2]) });
    const first = commit(repo, 'one');
    writeFileSync(join(repo, 'logo.bin'), Buffer.from([0, 3, 4]));
    commit(repo, 'two');
    const result = await runCli(['scan', '--history', '--format', 'json'], { cwd: repo });
    const report = JSON.parse(result.stdout) as { summary: { skipped: { path: string; reason: string }[] } };
    expect(report.summary.skipped).toHaveLength(1);
    expect(report.summary.skipped[0]?.path).toBe('logo.bin');
    expect(report.summary.skipped[0]?.reason).toMatch(/^binary file \(latest change in [0-9a-f]{12}\)$/);
    expect(first).toMatch(/^[0-9a-f]{40}$/);
  });

  it('says an empty repository has no commits, and exits 0', async () => {
    const repo = makeGitRepo();
    const result = await runCli(['scan', '--history'], { cwd: repo });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('note: the repository has no commits yet: nothing to scan');
  });

  it('scans all refs from an unborn branch, and names an unknown branch in one line', async () => {
    const { repo, added } = addedThenDeleted();
    git(repo, 'checkout', '-q', '--orphan', 'fresh');
    expect(where(await history(repo))).toEqual([['github-pat', 'settings.py', 2, added]]);
    const missing = await runCli(['scan', '--branch', 'nope'], { cwd: repo });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe('keyfence: --branch nope: unknown revision "nope"\n');
    const badRange = await runCli(['scan', '--range', 'main..nope'], { cwd: repo });
    expect(badRange.stderr).toBe('keyfence: --range main..nope: unknown revision "nope"\n');
  });

  it('scans what a shallow clone has and says the history is shallow', async () => {
    const { repo, tip } = addedThenDeleted();
    const clone = join(makeTree(), 'shallow');
    const cloned = spawnSync('git', ['clone', '-q', '--depth', '2', `file://${repo}`, clone], {
      encoding: 'utf8',
    });
    expect(cloned.status, cloned.stderr).toBe(0);
    const result = await history(clone);
    expect(result.notes).toContain(
      'the history is shallow: only the commits present were scanned (git fetch --unshallow for all)',
    );
    expect(result.summary.commits).toBe(2);
    expect(result.findings).toEqual([]);
    expect(git(clone, 'rev-parse', 'HEAD').trim()).toBe(tip);
  });

  it('says the history is shallow only when the range scanned reaches where the shallow clone is cut', async () => {
    const { repo, added, tip } = addedThenDeleted();
    const clone = join(makeTree(), 'shallow');
    // Three commits deep: `added` is the boundary, its parent `first` is not in the clone.
    git(repo, 'clone', '-q', '--depth', '3', `file://${repo}`, clone);
    const shallowNote =
      'the history is shallow: only the commits present were scanned (git fetch --unshallow for all)';
    const inside = await history(clone, '--range', `${added}..${tip}`);
    expect(inside.summary.commits).toBe(2);
    expect(inside.notes).not.toContain(shallowNote);
    expect((await history(clone, '--since', added)).notes).not.toContain(shallowNote);
    expect((await history(clone, '--max-commits', '2')).notes).not.toContain(shallowNote);
    const across = await history(clone, '--branch', 'HEAD');
    expect(across.summary.commits).toBe(3);
    expect(across.notes).toContain(shallowNote);
  });

  it('draws a progress line on stderr only when it is a terminal', async () => {
    const { repo } = addedThenDeleted();
    const tty = await runCli(['scan', '--history'], { cwd: repo, stderrIsTTY: true });
    expect(tty.stderr.startsWith('\r\u001b[K')).toBe(true);
    expect(tty.stderr.slice(4)).toMatch(/^keyfence: [1-4]\/4 commits, \d+\.\d MB, [\d.]+ MB\/s/);
    // Erased before the report is printed.
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect((await runCli(['scan', '--history'], { cwd: repo })).stderr).toBe('');
  });

  it('rejects paths and conflicting selectors in one line', async () => {
    const cwd = makeGitRepo();
    expect((await runCli(['scan', '--history', 'src'], { cwd })).stderr).toBe(
      'keyfence: --history: scans the repository; do not pass paths\n',
    );
    expect((await runCli(['scan', '--staged', '--history'], { cwd })).stderr).toBe(
      'keyfence: --staged and --history: use one of them\n',
    );
    expect((await runCli(['scan', '--range', 'a..b', '--branch', 'x'], { cwd })).stderr).toBe(
      'keyfence: --range, --since and --branch: use only one of them\n',
    );
  });
});

describe('SARIF from git scans', () => {
  it('gives repository-relative URIs even when run from a subdirectory', async () => {
    const { repo, added } = addedThenDeleted();
    mkdirSync(join(repo, 'docs', 'deep'), { recursive: true });
    const result = await runCli(['scan', '--history', '--format', 'sarif'], {
      cwd: join(repo, 'docs', 'deep'),
    });
    const sarif = JSON.parse(result.stdout) as {
      runs: {
        results: {
          locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[];
          properties: { commit: string };
        }[];
      }[];
    };
    const first = sarif.runs[0]?.results[0];
    expect(first?.locations[0]?.physicalLocation.artifactLocation).toEqual({
      uri: 'settings.py',
      uriBaseId: '%SRCROOT%',
    });
    expect(first?.properties.commit).toBe(added);
  });
});
