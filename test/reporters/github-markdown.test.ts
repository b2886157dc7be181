import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanChunk } from '../../src/engine/scan.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { maskReport } from '../../src/reporters/redact.js';
import { builtinRuleSet, fileReport } from '../helpers/catalogue.js';
import { runCli, runOnEndlessStdin, type CliResult } from '../helpers/cli.js';
import { ALPHA, githubToken, randomString, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

/*
 * `--format github` (workflow commands for a plain `run:` step) and `--format markdown` (the job
 * summary), through the CLI on real repositories: the Action's annotations and table, with paths
 * from the repository top, GitHub's cap of 10 annotations per level, and hostile names, lines and
 * commits that must neither start a workflow command nor add a table cell.
 */

const pat = (seed: number) => githubToken('ghp', seed);
const testKey = (seed: number) => stripeKey('sk_test', seed);
const password = `Xk9#${randomString(ALPHA.alnum, 12, 2101)}`;

/** Lines GitHub's runner would take as workflow commands: `::` after leading blanks, or `##[` anywhere. */
const commandLines = (text: string): string[] =>
  text.split('\n').filter((line) => line.trimStart().startsWith('::') || line.includes('##['));

/** keyfence's own workflow commands: an annotation of a finding, or a line about the scan as a whole. */
const ANNOTATION =
  /^::(error|warning|notice) file=[^:,\n]*,line=\d+,endLine=\d+(,col=\d+,endColumn=\d+)?,title=keyfence%3A [^:,\n]*::[^\n]*$/;
const OWN_LINE = /^::(error|warning|notice)::keyfence: [^\n]*$/;

/** Characters that must never be written raw (newline is the reports' own). */
const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const annotationsOf = (stdout: string) => stdout.split('\n').filter((line) => ANNOTATION.test(line));
const levelsOf = (lines: string[]) =>
  lines.map((line) => /^::(error|warning|notice)/.exec(line)?.[1] ?? 'none');

/** The rows of the Markdown table, each as its cells (split at pipes GFM does not take as escaped). */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split(/(?<!\\)\|/).slice(1, -1));
}

/** Runs keyfence scan in `cwd` with `args`, in an environment without GitHub's variables unless given. */
const scan = (cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  runCli(['scan', ...args], { cwd, env });

describe('--format github and markdown: a working-tree scan', () => {
  function project(): string {
    const repo = makeGitRepo({
      'web/app.js': `// app\nconst token = "${pat(2001)}";\n`,
      'web/settings.py': `password = "${password}"\n`,
      'web/billing.js': `const stripe = "${testKey(2002)}";\n`,
      'README.md': '# app\n',
    });
    commit(repo, 'init');
    return repo;
  }

  it('writes one annotation per finding at the level of its severity, with place and title, paths from the repository top', async () => {
    const repo = project();
    const result = await scan(join(repo, 'web'), ['.', '-f', 'github']);
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    const annotations = annotationsOf(result.stdout);
    expect(annotations).toHaveLength(3);
    const byFile = (file: string) => annotations.find((line) => line.includes(`file=${file},`)) ?? '';
    const token = pat(2001);
    expect(byFile('web/app.js')).toContain(
      `::error file=web/app.js,line=2,endLine=2,col=16,endColumn=${16 + token.length},title=keyfence%3A GitHub personal access token (classic) (github-pat)::ghp_****************. Delete the token`,
    );
    expect(byFile('web/app.js')).toMatch(/Ignore a false positive with fingerprint github-pat:[0-9a-f]+\.$/);
    expect(byFile('web/settings.py')).toMatch(/^::warning file=web\/settings\.py,line=1,endLine=1,col=13,/);
    expect(byFile('web/billing.js')).toMatch(
      /^::notice file=web\/billing\.js,line=1,.*\(stripe-secret-key-test\)::sk_t\*+\. /,
    );
    // No cap reached: the scan's own line is plain log text, no annotation.
    expect(lines.at(-1)).toMatch(/^keyfence: 3 secrets found in 3 files \(/);
    expect(commandLines(result.stdout)).toEqual(annotations);
    for (const secret of [token, password, testKey(2002)]) expect(result.stdout).not.toContain(secret);
  });

  it('takes paths from GITHUB_WORKSPACE when it is set, and from the cwd outside git', async () => {
    const repo = project();
    const fromWorkspace = await scan(join(repo, 'web'), ['.', '-f', 'github'], { GITHUB_WORKSPACE: repo });
    expect(
      annotationsOf(fromWorkspace.stdout)
        .map((line) => /file=([^,]*)/.exec(line)?.[1])
        .sort(),
    ).toEqual(['web/app.js', 'web/billing.js', 'web/settings.py']);
    const plain = makeTree({ 'lib/app.js': `const token = "${pat(2003)}";\n` });
    const outside = await scan(plain, ['.', '-f', 'github', '--no-config']);
    expect(annotationsOf(outside.stdout)[0]).toMatch(/^::error file=lib\/app\.js,line=1,/);
  });

  it('shows the table of findings in Markdown, plain without GitHub variables, linked with them', async () => {
    const repo = project();
    const plain = await scan(repo, ['.', '-f', 'markdown']);
    expect(plain.exitCode).toBe(1);
    expect(plain.stdout).toMatch(
      /^## keyfence secret scan\n\nScanned: 4 files \\\(\d+ B\\\) \\\(\\\.\\\)\.\n\n\*\*3 secret\(s\) found\*\*; 3 at or above `low`\.\n/,
    );
    const rows = tableRows(plain.stdout);
    expect(rows[0]?.map((cell) => cell.trim())).toEqual([
      'Rule',
      'Location',
      'Commit',
      'Author',
      'Secret',
      'What to do',
      'Ignore with',
    ]);
    expect(rows).toHaveLength(2 + 3);
    expect(plain.stdout).toContain('| web\\/app\\.js\\:2 |');
    expect(plain.stdout).not.toContain('](');
    const sha = git(repo, 'rev-parse', 'HEAD').trim();
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/app', GITHUB_SHA: sha };
    const linked = await scan(join(repo, 'web'), ['.', '-f', 'markdown', '--fail-on', 'high'], env);
    expect(linked.stdout).toContain(
      `| [web\\/app\\.js\\:2](https://github.com/acme/app/blob/${sha}/web/app.js#L2) |`,
    );
    expect(linked.stdout).toContain('**3 secret(s) found**; 1 at or above `high`.');
    for (const secret of [pat(2001), password, testKey(2002)]) expect(linked.stdout).not.toContain(secret);
  });

  it('says a clean scan in one notice, and in Markdown that no secrets were found', async () => {
    const repo = makeGitRepo({ 'app.js': 'const token = process.env.TOKEN;\n' });
    commit(repo, 'init');
    const github = await scan(repo, ['.', '-f', 'github']);
    expect(github.exitCode).toBe(0);
    expect(github.stdout).toMatch(/^::notice::keyfence: no secrets found in 1 file \(\d+ B\)\n$/);
    const markdown = await scan(repo, ['.', '-f', 'markdown']);
    expect(markdown.stdout).toContain('\nNo secrets found.\n');
    expect(markdown.stdout).not.toContain('|');
  });
});

describe('--format github and markdown: a history scan', () => {
  it('annotates where each secret was introduced, with its commit, and links the commit in Markdown', async () => {
    const repo = makeGitRepo({ 'README.md': '# app\n' });
    commit(repo, 'initial');
    writeFileSync(join(repo, 'deploy.sh'), `export GITHUB_TOKEN=${pat(2011)}\n`);
    const added = commit(repo, 'add deploy script');
    git(repo, 'rm', '-q', 'deploy.sh');
    commit(repo, 'remove it again');
    const github = await scan(repo, ['--history', '-f', 'github']);
    expect(github.exitCode).toBe(1);
    const [annotation, ...rest] = annotationsOf(github.stdout);
    expect(rest).toEqual([]);
    expect(annotation).toMatch(
      new RegExp(
        `^::error file=deploy\\.sh,line=1,endLine=1,col=21,endColumn=61,title=keyfence%3A [^:]*\\(github-pat\\)::ghp_\\*+ in commit ${added.slice(0, 12)} by Test\\. `,
      ),
    );
    const env = { GITHUB_SERVER_URL: 'https://ghe.example.invalid', GITHUB_REPOSITORY: 'acme/app' };
    const markdown = await scan(repo, ['--history', '-f', 'markdown'], env);
    expect(markdown.stdout).toContain(
      `| [deploy\\.sh\\:1](https://ghe.example.invalid/acme/app/blob/${added}/deploy.sh#L1) | [${added.slice(0, 12)}](https://ghe.example.invalid/acme/app/commit/${added}) add deploy script | Test | \`ghp_****************\` |`,
    );
    expect(markdown.stdout).toMatch(/^Scanned: 3 commits\\, /m);
    for (const output of [github.stdout, markdown.stdout]) expect(output).not.toContain(pat(2011));
  });
});

describe('--format github: GitHub shows at most 10 annotations of each level per step', () => {
  it('writes 10 of a level and one closing notice with how many more there are and where to see them', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 12; index++)
      files[`keys/k${index}.js`] = `const t = "${pat(2020 + index)}";\n`;
    for (let index = 0; index < 3; index++)
      files[`keys/s${index}.js`] = `const s = "${testKey(2040 + index)}";\n`;
    const repo = makeGitRepo(files);
    commit(repo, 'keys');
    const result = await scan(repo, ['.', '-f', 'github']);
    expect(result.exitCode).toBe(1);
    const annotations = annotationsOf(result.stdout);
    expect(levelsOf(annotations).filter((level) => level === 'error')).toHaveLength(10);
    expect(levelsOf(annotations).filter((level) => level === 'notice')).toHaveLength(3);
    const last = result.stdout.trimEnd().split('\n').at(-1) ?? '';
    expect(last).toMatch(
      /^::notice::keyfence: 2 more secret\(s\) not annotated \(GitHub shows at most 10 annotations of each level per step\); 15 secrets found in 15 files .*--format markdown >> "\$GITHUB_STEP_SUMMARY" .*--format console/,
    );
    expect(commandLines(result.stdout)).toEqual([...annotations, last]);
    const markdown = await scan(repo, ['.', '-f', 'markdown']);
    expect(tableRows(markdown.stdout)).toHaveLength(2 + 15);
    expect(markdown.stdout).not.toContain('annotations');
  });

  it('keeps one notice for its closing line when the notices alone are over the cap', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 11; index++)
      files[`s${index}.js`] = `const s = "${testKey(2050 + index)}";\n`;
    const repo = makeGitRepo(files);
    commit(repo, 'keys');
    const result = await scan(repo, ['.', '-f', 'github']);
    const commands = commandLines(result.stdout);
    expect(levelsOf(commands)).toEqual(Array<string>(10).fill('notice'));
    expect(commands.at(-1)).toMatch(/^::notice::keyfence: 2 more secret\(s\) not annotated /);
  });

  it('ten of a level are all annotated, with no closing notice', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 10; index++) files[`k${index}.js`] = `const t = "${pat(2060 + index)}";\n`;
    const repo = makeGitRepo(files);
    commit(repo, 'keys');
    const result = await scan(repo, ['.', '-f', 'github']);
    expect(commandLines(result.stdout)).toEqual(annotationsOf(result.stdout));
    expect(annotationsOf(result.stdout)).toHaveLength(10);
  });
});

describe('--format github and markdown: a scan stopped by --timeout', () => {
  /** A scan of standard input that never ends, stopped after 100 ms. */
  const stopped = (format: 'github' | 'markdown'): Promise<CliResult> =>
    runOnEndlessStdin(['scan', '-', '-f', format, '--timeout', '100ms', '--no-config'], {
      cwd: makeTree(),
      first: `TOKEN="${pat(2070)}"\n`,
    });

  it('is one error line, and in Markdown never reads as a pass', async () => {
    const [github, markdown] = await Promise.all([stopped('github'), stopped('markdown')]);
    expect([github.exitCode, markdown.exitCode]).toEqual([2, 2]);
    expect(github.stdout).toMatch(
      /^::error::keyfence: scan incomplete: --timeout 100ms reached: .*; 0 secrets found in 0 files \(0 B\) before it stopped\n$/,
    );
    expect(markdown.stdout).toMatch(/\n\*\*Scan incomplete:\*\* \\-\\-timeout 100ms reached/);
    expect(markdown.stdout).not.toContain('No secrets found');
  });

  it('keeps an error slot for its line when the findings would take all ten', async () => {
    const content = Array.from({ length: 11 }, (_, index) => `t${index} = "${pat(2100 + index)}"\n`).join('');
    const chunk = { path: 'keys.js', content, startLine: 1, origin: 'file' as const };
    const report = fileReport(scanChunk(chunk, await builtinRuleSet()).findings, content);
    report.summary.incomplete = '--timeout 1s reached';
    const options = { color: false, cwd: '/repo', root: '/repo', toolVersion: '0.0.0', redacted: true };
    const commands = commandLines(REPORTERS.github(maskReport(report, true), options));
    expect(levelsOf(commands)).toEqual([...Array<string>(9).fill('error'), 'notice', 'error']);
    expect(commands.at(-2)).toMatch(/^::notice::keyfence: 2 more secret\(s\) not annotated /);
    expect(commands.at(-1)).toMatch(
      /^::error::keyfence: scan incomplete: --timeout 1s reached; 11 secrets found /,
    );
  });
});

describe('--format github and markdown: hostile names, lines and commits', () => {
  const token = pat(2081);
  const neighbour = stripeKey('sk_live', 2082);
  const inMessage = pat(2083);
  const SECRETS = [token, neighbour, inMessage];
  const HOSTILE =
    '\r\n::set-output name=x::y %0A%25 ::stop-commands::tok \u001b[2J\u001b]8;;https://x.invalid\u0007 <img src=x> | `tick` ##[add-mask]m';
  const NAME = 'evil\r\n::set-output name=x::y\n::stop-commands::tok 100%\u001b[31m<img src=x>|`x`.env';
  const AUTHOR = 'Mallory \u001b[31m<img src=x> | `x` ::stop-commands::a';
  const MESSAGE = `add ${HOSTILE.replace(/\r\n/, '\n')} key ${inMessage}`;

  function hostileRepo(): string {
    const repo = makeGitRepo({ 'README.md': '# app\n' });
    commit(repo, 'initial');
    // The token shares its line with a second secret, which must stay masked as well.
    writeFileSync(join(repo, NAME), `TOKEN=${token} STRIPE=${neighbour} ${HOSTILE.replace(/\n/, '')}\n`);
    git(repo, 'add', '-A');
    git(repo, '-c', `user.name=${AUTHOR}`, 'commit', '-qm', MESSAGE);
    return repo;
  }

  const SCANS = [
    ['working tree', ['.']],
    ['history', ['--history']],
  ] as const;

  it.each(SCANS)(
    "%s: no line but keyfence's own starts a workflow command, and nothing is unescaped",
    async (_name, args) => {
      const repo = hostileRepo();
      const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/app' };
      const github = await scan(repo, [...args, '-f', 'github'], env);
      expect(github.exitCode).toBe(1);
      const commands = commandLines(github.stdout);
      expect(commands.length).toBeGreaterThan(0);
      for (const line of commands) {
        expect(ANNOTATION.test(line) || OWN_LINE.test(line), line).toBe(true);
        expect(line).not.toContain('##[');
      }
      expect(annotationsOf(github.stdout)).toHaveLength(2);
      expect(github.stdout).toContain(
        'file=evil%0D%0A%3A%3Aset-output name=x%3A%3Ay%0A%3A%3Astop-commands%3A%3Atok 100%25\\x1b[31m<img src=x>|`x`.env,',
      );
      expect(github.stdout).not.toMatch(RAW_CONTROL);

      const markdown = await scan(repo, [...args, '-f', 'markdown'], env);
      expect(markdown.exitCode).toBe(1);
      expect(commandLines(markdown.stdout)).toEqual([]);
      expect(markdown.stdout).not.toMatch(RAW_CONTROL);
      expect(markdown.stdout).not.toMatch(/(?<!\\)</);
      const rows = tableRows(markdown.stdout);
      expect(rows).toHaveLength(2 + 2);
      for (const row of rows) expect(row).toHaveLength(7);
      // Outside code spans, no backtick is left to open one.
      const [, ...findingRows] = rows.slice(1);
      for (const row of findingRows)
        for (const cell of [row[0], row[1], row[2], row[3], row[5]]) expect(cell).not.toMatch(/(?<!\\)`/);

      for (const output of [github.stdout, markdown.stdout])
        for (const secret of SECRETS) {
          expect(output).not.toContain(secret);
          expect(output).not.toContain(secret.slice(-12));
        }
    },
  );

  it.each(SCANS)(
    '%s with --no-redact: the secrets are shown, still inside one line and one cell',
    async (_name, args) => {
      const repo = hostileRepo();
      const github = await scan(repo, [...args, '-f', 'github', '--no-redact']);
      expect(github.stdout).toContain(`::${token}`);
      expect(github.stdout).toContain('keyfence: warning: secrets are shown unredacted (--no-redact)');
      for (const line of commandLines(github.stdout))
        expect(ANNOTATION.test(line) || OWN_LINE.test(line), line).toBe(true);
      const markdown = await scan(repo, [...args, '-f', 'markdown', '--no-redact']);
      expect(markdown.stdout).toContain(`\`${token}\``);
      for (const row of tableRows(markdown.stdout)) expect(row).toHaveLength(7);
    },
  );

  it('a secret holding ##[, shown with --no-redact, starts no workflow command in either report', async () => {
    const secret = `##[stop-commands]${randomString(ALPHA.alnum, 10, 2090)}`;
    const repo = makeGitRepo({ 'settings.py': `password = "${secret}"\n` });
    commit(repo, 'init');
    const github = await scan(repo, ['.', '-f', 'github', '--no-redact']);
    expect(annotationsOf(github.stdout)[0]).toContain('::##\\x5bstop-commands]');
    expect(commandLines(github.stdout)).toEqual(annotationsOf(github.stdout));
    const markdown = await scan(repo, ['.', '-f', 'markdown', '--no-redact']);
    expect(markdown.stdout).toContain(' \\#\\#\\[stop\\-commands\\]');
    expect(commandLines(markdown.stdout)).toEqual([]);
  });
});

describe('--format help', () => {
  it('lists github and markdown', async () => {
    const result = await runCli(['scan', '--help'], { cwd: makeTree() });
    expect(result.stdout).toMatch(/console.*json.*sarif.*github.*markdown.*junit.*gitlab.*csv/s);
  });
});
