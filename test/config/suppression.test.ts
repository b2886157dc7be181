import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

interface JsonReport {
  findings: { ruleId: string; path: string; line: number; fingerprint: string }[];
  summary: { suppressed: number; suppressedBy: Record<string, number> };
  notes: string[];
}

const json = (stdout: string): JsonReport => JSON.parse(stdout) as JsonReport;

const live = githubToken('ghp', 401);
const other = stripeKey('sk_live', 402);

/** A file with two secrets: the GitHub token on line `line`, the Stripe key after it. */
const source = (line: number, indent = ''): string =>
  `${'// filler\n'.repeat(line - 1)}${indent}const github = "${live}";\n${indent}const stripe = "${other}";\n`;

/** The fingerprint keyfence reports for the GitHub token in `dir`. */
async function fingerprintOf(cwd: string, ...args: string[]): Promise<string> {
  const report = json((await runCli(['scan', ...args, '-f', 'json', '--no-ignore-file'], { cwd })).stdout);
  const finding = report.findings.find((item) => item.ruleId === 'github-pat');
  if (!finding) throw new Error('no github-pat finding');
  return finding.fingerprint;
}

const ignoreEntry = (fingerprint: string, extra = ''): string =>
  `- fingerprint: ${fingerprint}\n  reason: published test token of the demo app\n${extra}`;

describe('every suppression form, in every source', () => {
  /** A repo whose staged change, last commit and working tree hold five secrets, four of them suppressed. */
  function fixture(): string {
    const repo = makeGitRepo({ 'README.md': 'demo\n' });
    commit(repo, 'initial');
    const t1 = githubToken('ghp', 411);
    const t2 = githubToken('ghp', 412);
    const t3 = githubToken('ghp', 413);
    const t4 = githubToken('ghp', 414);
    const t5 = githubToken('ghp', 415);
    writeFileSync(
      join(repo, 'app.js'),
      [
        `const inline = "${t1}"; // keyfence:allow test fixture`,
        `const listed = "${t2}";`,
        `const ignored = "${t3}";`,
        `const accepted = "${t4}";`,
        `const leaked = "${t5}";`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(repo, '.keyfence.yaml'), `allowlist:\n  stopwords: ['${t2.slice(4, 20)}']\n`);
    return repo;
  }

  it('suppresses inline, allowlist, ignore-file and baseline findings in directory, staged and history scans, and counts each kind', async () => {
    const repo = fixture();
    const fingerprints = json(
      (await runCli(['scan', '-f', 'json', '--no-ignore-file'], { cwd: repo })).stdout,
    ).findings.map((finding) => finding.fingerprint);
    expect(fingerprints).toHaveLength(3);
    writeFileSync(join(repo, '.keyfenceignore'), ignoreEntry(fingerprints[0] ?? ''));
    // The baseline accepts the fourth secret: written from a scan of a file holding only it.
    const accepted = makeTree({ 'app.js': readFileSync(join(repo, 'app.js'), 'utf8').split('\n')[3] ?? '' });
    const written = await runCli(['baseline', '.', '-o', join(repo, 'baseline.json'), '--no-ignore-file'], {
      cwd: accepted,
    });
    expect(written.exitCode, written.stderr).toBe(0);

    git(repo, 'add', 'app.js', '.keyfence.yaml');
    const modes: string[][] = [['.'], ['--staged']];
    for (const mode of modes) {
      const result = await runCli(['scan', ...mode, '-f', 'json', '--baseline', 'baseline.json'], {
        cwd: repo,
      });
      const report = json(result.stdout);
      expect(
        report.findings.map((finding) => finding.line),
        mode.join(' '),
      ).toEqual([5]);
      expect(report.summary.suppressedBy, mode.join(' ')).toEqual({
        inline: 1,
        allowlist: 1,
        ignore: 1,
        baseline: 1,
      });
      expect(result.exitCode).toBe(1);
    }
    commit(repo, 'add app');
    const history = await runCli(['scan', '--history', '-f', 'json', '--baseline', 'baseline.json'], {
      cwd: repo,
    });
    expect(json(history.stdout).findings.map((finding) => finding.line)).toEqual([5]);
    expect(json(history.stdout).summary.suppressedBy).toEqual({
      inline: 1,
      allowlist: 1,
      ignore: 1,
      baseline: 1,
    });

    const console = await runCli(['scan', '--baseline', 'baseline.json'], { cwd: repo });
    expect(console.stdout).toContain('1 secret found (1 high)');
    expect(console.stdout).toContain('4 suppressed (1 inline allow, 1 allowlist, 1 ignore file, 1 baseline)');
  });
});

describe('.keyfenceignore', () => {
  it('keeps suppressing after the line moves 50 lines down, the file is re-indented and the commit is squashed', async () => {
    const repo = makeGitRepo({ 'src/app.js': source(3) });
    commit(repo, 'add app');
    const fingerprint = await fingerprintOf(repo);
    writeFileSync(join(repo, '.keyfenceignore'), ignoreEntry(fingerprint));
    commit(repo, 'ignore the demo token', '.keyfenceignore');

    const rules = async (...args: string[]) =>
      json((await runCli(['scan', ...args, '-f', 'json'], { cwd: repo })).stdout).findings.map(
        (finding) => finding.ruleId,
      );
    expect(await rules()).toEqual(['stripe-secret-key']);

    writeFileSync(join(repo, 'src/app.js'), source(53));
    commit(repo, 'move it down');
    expect(await rules()).toEqual(['stripe-secret-key']);

    writeFileSync(join(repo, 'src/app.js'), `function demo() {\n${source(53, '    ')}}\n`);
    git(repo, 'add', '.');
    expect(await rules('--staged')).toEqual(['stripe-secret-key']);
    commit(repo, 're-indent');

    git(repo, 'reset', '--soft', 'HEAD~3');
    commit(repo, 'squashed');
    expect(await rules('--history')).toEqual(['stripe-secret-key']);
    expect(await rules()).toEqual(['stripe-secret-key']);
  });

  it('stops suppressing after its expiry date and says so; reports entries that matched nothing', async () => {
    const repo = makeGitRepo({ 'app.js': source(1) });
    const fingerprint = await fingerprintOf(repo);
    const stale = fingerprint.replace(/:[0-9a-f]{16}$/, ':0123456789abcdef');

    writeFileSync(join(repo, '.keyfenceignore'), ignoreEntry(fingerprint, '  until: 2099-12-31\n'));
    expect(json((await runCli(['scan', '-f', 'json'], { cwd: repo })).stdout).findings).toHaveLength(1);

    writeFileSync(
      join(repo, '.keyfenceignore'),
      ignoreEntry(fingerprint, '  until: 2020-01-31\n') + ignoreEntry(stale),
    );
    const expired = await runCli(['scan'], { cwd: repo });
    expect(expired.stdout).toContain('2 secrets found');
    expect(expired.stdout).toContain(
      '.keyfenceignore:1: ignore entry expired on 2020-01-31, no longer suppressing',
    );
    expect(expired.stdout).toContain(
      'warning: 1 ignore entry matched nothing (--report-unused-ignores lists them)',
    );

    const listed = await runCli(['scan', '--report-unused-ignores'], { cwd: repo });
    expect(listed.stdout).toContain(
      `.keyfenceignore:4: unused ignore entry (matched nothing): ${stale}: published test token`,
    );
  });

  it('needs a reason, a valid date, and a path for scoped (password) fingerprints: one-line errors', async () => {
    const repo = makeGitRepo({ 'db.env': 'DB_PASSWORD=Xq7!rT2#mP9zLw\n' });
    const report = json((await runCli(['scan', '-f', 'json', '--no-ignore-file'], { cwd: repo })).stdout);
    const password = report.findings[0]?.fingerprint ?? '';
    expect(password).toMatch(/^generic-password:s[0-9a-f]{15}$/);
    // The fingerprint of a password does not depend on the value: it cannot confirm a guess.
    writeFileSync(join(repo, 'db.env'), 'DB_PASSWORD=Other-Pa55word!\n');
    const changed = json((await runCli(['scan', '-f', 'json', '--no-ignore-file'], { cwd: repo })).stdout);
    expect(changed.findings[0]?.fingerprint).toBe(password);

    const cases: [string, string][] = [
      [`- fingerprint: ${password}\n`, '.keyfenceignore:1: [0].reason: is required'],
      [
        `- fingerprint: ${password}\n  reason: demo\n  until: 31/01/2027\n`,
        '.keyfenceignore:3: [0].until: expected a date YYYY-MM-DD',
      ],
      [
        `- fingerprint: ${password}\n  reason: demo\n`,
        '.keyfenceignore:1: [0].fingerprint: scoped (password) fingerprints need a path',
      ],
      ['fingerprint: x\n', '.keyfenceignore:1: expected a list of entries'],
    ];
    for (const [text, message] of cases) {
      writeFileSync(join(repo, '.keyfenceignore'), text);
      const result = await runCli(['scan'], { cwd: repo });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    writeFileSync(
      join(repo, '.keyfenceignore'),
      `- fingerprint: ${password}\n  reason: local dev database\n  path: db.env\n`,
    );
    expect((await runCli(['scan'], { cwd: repo })).exitCode).toBe(0);
  });
});

describe('baselines', () => {
  it('merge without conflicts when two branches each add an entry', async () => {
    const seeds = [421, 422, 423, 424, 425, 426];
    const files = Object.fromEntries(
      seeds.map((seed) => [`svc/s${seed}.js`, `token = "${githubToken('ghp', seed)}"\n`]),
    );
    const repo = makeGitRepo(files);
    expect((await runCli(['baseline', '-o', '.keyfence-baseline.json'], { cwd: repo })).exitCode).toBe(0);
    commit(repo, 'baseline of six accepted tokens');
    const base = readFileSync(join(repo, '.keyfence-baseline.json'), 'utf8');
    expect(JSON.parse(base)).toMatchObject({ 'keyfence-baseline': 1 });
    expect(base).not.toMatch(/"(line|commit|date|time)/i);

    const addOnBranch = async (branch: string, seed: number) => {
      git(repo, 'checkout', '-q', '-b', branch, 'main');
      writeFileSync(join(repo, `svc/new-${branch}.js`), `token = "${githubToken('gho', seed)}"\n`);
      expect((await runCli(['baseline', '-o', '.keyfence-baseline.json'], { cwd: repo })).exitCode).toBe(0);
      commit(repo, `accept the ${branch} token`);
    };
    // Entries sort by hash, so new ones land at random places: these two fall into different gaps
    // between the six existing entries (checked below), the usual case for independent changes.
    await addOnBranch('left', 431);
    await addOnBranch('right', 435);
    const entries = (text: string) => text.split('\n').filter((line) => line.includes('fingerprint'));
    const neighbours = (branch: string, token: string) => {
      const lines = git(repo, 'show', `${branch}:.keyfence-baseline.json`).split('\n');
      const at = lines.findIndex((line) => line.includes(token));
      return [lines[at - 1], lines[at + 1]];
    };
    const [leftBefore] = neighbours('left', 'new-left');
    const [rightBefore] = neighbours('right', 'new-right');
    expect(leftBefore).not.toBe(rightBefore);
    git(repo, 'checkout', '-q', 'left');
    git(repo, 'merge', '-q', '--no-edit', 'right');
    const merged = readFileSync(join(repo, '.keyfence-baseline.json'), 'utf8');
    expect(merged).not.toContain('<<<<<<<');
    expect(entries(merged)).toHaveLength(8);
    expect((await runCli(['scan', '--baseline', '.keyfence-baseline.json'], { cwd: repo })).exitCode).toBe(0);
  });

  it('stays valid JSON when entries that sort next to each other are merged with merge=union', async () => {
    const repo = makeGitRepo({ '.gitattributes': '.keyfence-baseline.json merge=union\n' });
    expect((await runCli(['baseline', '-o', '.keyfence-baseline.json'], { cwd: repo })).exitCode).toBe(0);
    commit(repo, 'empty baseline');
    for (const [branch, seed] of [
      ['left', 441],
      ['right', 442],
    ] as const) {
      git(repo, 'checkout', '-q', '-b', branch, 'main');
      writeFileSync(join(repo, `${branch}.js`), `token = "${githubToken('ghp', seed)}"\n`);
      await runCli(['baseline', '-o', '.keyfence-baseline.json'], { cwd: repo });
      commit(repo, `accept ${branch}`);
    }
    git(repo, 'checkout', '-q', 'left');
    git(repo, 'merge', '-q', '--no-edit', 'right');
    const merged = readFileSync(join(repo, '.keyfence-baseline.json'), 'utf8');
    expect(() => JSON.parse(merged) as unknown).not.toThrow();
    expect((await runCli(['scan', '--baseline', '.keyfence-baseline.json'], { cwd: repo })).exitCode).toBe(0);
  });

  it('writes the C1, bidi and separator characters of a path as escapes, and still accepts its finding', async () => {
    const name = `evil\u202e\u2066\u009b2J\u0085\u2028 ##[x].env`;
    const repo = makeGitRepo({ [name]: `TOKEN=${live}\n` });
    commit(repo, 'add');
    const written = await runCli(['baseline', '-o', '.keyfence-baseline.json'], { cwd: repo });
    expect(written.exitCode, written.stderr).toBe(0);
    const text = readFileSync(join(repo, '.keyfence-baseline.json'), 'utf8');
    expect(text).not.toMatch(/[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|##\[/);
    const { findings } = JSON.parse(text) as { findings: { path?: string }[] };
    expect(findings[0]?.path).toBe(name);
    expect((await runCli(['scan', '--baseline', '.keyfence-baseline.json'], { cwd: repo })).exitCode).toBe(0);
  });

  it('reports a baseline that is not one in one line', async () => {
    const repo = makeTree({ 'b.json': '{"findings": []}', 'c.json': '{', '.env': `TOKEN=${live}\n` });
    for (const [file, message] of [
      ['b.json', '--baseline b.json: not a keyfence baseline'],
      ['c.json', '--baseline c.json: not JSON'],
      // A file given by mistake: the parser's quote of its text is left out.
      ['.env', "--baseline .env: not JSON (Unexpected token 'T')\n"],
      ['missing.json', '--baseline missing.json: cannot read (no such file)'],
    ]) {
      const result = await runCli(['scan', '--baseline', file ?? ''], { cwd: repo });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });
});
