import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { ALPHA, githubToken, randomString } from '../helpers/tokens.js';
import { commit, git, makeGitRepo } from '../helpers/tree.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/gitleaks/', import.meta.url));

interface JsonReport {
  findings: { ruleId: string; path: string; line: number; secret: string }[];
  notes: string[];
  summary: { suppressedBy: Record<string, number> };
}

const token = (seed: number) => randomString(ALPHA.lowerDigits, 32, seed);
const signature = randomString(ALPHA.alnum, 24, 603);
const github = githubToken('ghp', 604);

/** A repository holding the fixture's .gitleaks.toml and .gitleaksignore and files a team could have. */
function migratingRepo(): string {
  const repo = makeGitRepo({
    'src/api.js': [
      `const live = "acme_live_${token(601)}";`,
      'const docs = "acme_test_0123456789abcdef0123456789abcdef";',
      `// example only: acme_live_${token(602)}`,
      `const muted = "ACME_LIVE_${token(605).slice(0, 12)}deadbeef${token(605).slice(20)}";`,
      '',
    ].join('\n'),
    'src/hooks.py': `WEBHOOK = "https://hooks.acme.example/ABCD1234/${signature}"\n`,
    'src/gh.js': `export const gh = "${github}";\n`,
    'src/config.py': `api_secret = "${randomString(ALPHA.alnum, 32, 606)}"\n`,
    'src/legacy.js': `const old = "acme_live_${token(607)}";\n`,
    'src/old.js': `// kept for v1 clients\nconst older = "acme_live_${token(608)}";\n`,
    'src/other.js': `// kept for v1 clients\nconst other = "acme_live_${token(609)}";\n`,
    'testdata/tokens.json': `{"token": "acme_live_${token(610)}"}\n`,
    'ui/__snapshots__/app.snap': `exports[\`app\`] = \`acme_live_${token(611)}\`;\n`,
    'bin/legacy.sh': `export T=acme_legacy_${token(612)} \n`,
  });
  copyFileSync(join(FIXTURE, '.gitleaks.toml'), join(repo, '.gitleaks.toml'));
  copyFileSync(join(FIXTURE, '.gitleaksignore'), join(repo, '.gitleaksignore'));
  return repo;
}

async function scan(cwd: string, ...args: string[]): Promise<JsonReport> {
  const result = await runCli(['scan', ...args, '-f', 'json', '--no-redact'], { cwd });
  if (result.exitCode === 2) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as JsonReport;
}

const found = (report: JsonReport) =>
  report.findings.map((finding) => `${finding.path}:${finding.line} ${finding.ruleId} ${finding.secret}`);

/**
 * What gitleaks reports on this repository with this config, worked out from its documented
 * semantics (gitleaks itself cannot be installed here: no network beyond npm and Debian):
 * the first non-empty group or `secretGroup` is the secret; allowlists of a rule are OR-ed, a
 * `line` target tests the whole line; the global allowlist drops testdata/ and .snap paths and
 * secrets holding "deadbeef"; `disabledRules` turns off generic-api-key; .gitleaksignore entries
 * drop their file's finding of that rule.
 */
const EXPECTED = [
  `bin/legacy.sh:1 acme-legacy ${token(612)}`,
  `src/api.js:1 acme-internal-token ${token(601)}`,
  `src/gh.js:1 github-pat ${github}`,
  `src/hooks.py:1 acme-webhook ${signature}`,
  `src/other.js:2 acme-internal-token ${token(609)}`,
];

describe('a repository that uses gitleaks', () => {
  it('is scanned with its .gitleaks.toml and .gitleaksignore: the same findings gitleaks reports, the same suppressed', async () => {
    const repo = migratingRepo();
    const report = await scan(repo);
    expect(found(report).sort()).toEqual(EXPECTED);
    expect(report.summary.suppressedBy.ignore).toBe(2);
    expect(report.notes[0]).toBe(
      '.gitleaks.toml: gitleaks config translated (3 rule(s) plus the built-in rules); keyfence migrate gitleaks writes it as .keyfence.yaml',
    );
    // RE2's ungreedy mode works as in gitleaks: config regexes run on an RE2 engine.
    expect(report.notes.filter((note) => note.includes('acme-legacy'))).toEqual([]);
    git(repo, 'add', '.');
    expect(found(await scan(repo, '--staged')).sort()).toEqual(EXPECTED);
    commit(repo, 'import');
    expect(found(await scan(repo, '--history')).sort()).toEqual(EXPECTED);
  });

  it('keyfence migrate gitleaks writes a .keyfence.yaml that finds the same', async () => {
    const repo = migratingRepo();
    const result = await runCli(['migrate', 'gitleaks'], { cwd: repo });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('keyfence: wrote .keyfence.yaml (3 rule(s))');
    expect(result.stderr).not.toContain('warning');
    const written = readFileSync(join(repo, '.keyfence.yaml'), 'utf8');
    expect(written).toContain('flags: i');
    expect(written).toContain(
      'regex: https://hooks\\.acme\\.example/(?<channel>[A-Z0-9]{8})/(?<secret>[A-Za-z0-9]{24})',
    );
    rmSync(join(repo, '.gitleaks.toml'));
    expect(found(await scan(repo)).sort()).toEqual(EXPECTED);

    const again = await runCli(['migrate', 'gitleaks', '--config', join(FIXTURE, '.gitleaks.toml')], {
      cwd: repo,
    });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('.keyfence.yaml exists (use --force to overwrite, or -o - to print)');
  });

  it('keyfence migrate gitleaks writes control, bidi and CI-log command characters of the TOML as YAML escapes', async () => {
    const description = 'desc \\u001b]0;title\\u0007 \\u202e \\u0085 \\u009b2J ##[stop-commands]x';
    const repo = makeGitRepo({
      '.gitleaks.toml': `[[rules]]\nid = "acme-token"\ndescription = "${description}"\nregex = '''acme_[a-z]{10}##[a-z]'''\nkeywords = ["acme_"]\n[allowlist]\npaths = ["\\u2066x"]\n`,
    });
    const printed = await runCli(['migrate', 'gitleaks', '-o', '-'], { cwd: repo });
    expect(printed.exitCode, printed.stderr).toBe(0);
    expect((await runCli(['migrate', 'gitleaks'], { cwd: repo })).exitCode).toBe(0);
    const written = readFileSync(join(repo, '.keyfence.yaml'), 'utf8');
    expect(written).toBe(printed.stdout);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(written).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|##\[/);
    const parsed = parse(written) as {
      rules: { custom: { title: string; regex: string }[] };
      allowlist: { 'path-regexes': string[] };
    };
    expect(parsed.rules.custom[0]?.title).toBe(
      'desc \u001b]0;title\u0007 \u202e \u0085 \u009b2J ##[stop-commands]x',
    );
    expect(parsed.rules.custom[0]?.regex).toBe('acme_[a-z]{10}##[a-z]');
    expect(parsed.allowlist['path-regexes']).toEqual(['\u2066x']);
  });

  it('reports broken TOML in one line with its line number', async () => {
    const repo = makeGitRepo({ '.gitleaks.toml': 'title = "x"\n[[rules]\nid = 1\n', 'a.txt': 'hi\n' });
    const result = await runCli(['scan'], { cwd: repo });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^keyfence: \.gitleaks\.toml:2: invalid TOML: /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('honours allowlisted commits in history scans', async () => {
    const repo = makeGitRepo({ 'a.js': `const gh = "${githubToken('ghp', 621)}";\n` });
    const accepted = commit(repo, 'accepted leak, rotated');
    writeFileSync(join(repo, 'b.js'), `const gh = "${githubToken('ghp', 622)}";\n`);
    commit(repo, 'new leak');
    writeFileSync(join(repo, '.keyfence.yaml'), `allowlist:\n  commits: ['${accepted.slice(0, 10)}']\n`);
    expect(found(await scan(repo, '--history')).map((line) => line.split(' ')[0])).toEqual(['b.js:1']);
  });
});
