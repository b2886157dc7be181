import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotations } from '../../src/reporters/github.js';
import { jobSummary } from '../../src/reporters/markdown.js';
import { scanChunk } from '../../src/engine/scan.js';
import type { Report } from '../../src/engine/types.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { maskReport } from '../../src/reporters/redact.js';
import { builtinRuleSet, fileReport } from '../helpers/catalogue.js';
import { runCli } from '../helpers/cli.js';
import { ALPHA, githubToken, randomString } from '../helpers/tokens.js';
import { commit, makeGitRepo, makeTree } from '../helpers/tree.js';

const ruleSet = await builtinRuleSet();
const token = githubToken('ghp', 1601);
const password = `Xk9#${randomString(ALPHA.alnum, 12, 1602)}`;

/** Workflow commands, terminal escapes (erase, OSC 8 link, CSI in C1 form), bidi controls, HTML, pipes. */
const HOSTILE = {
  path: 'evil\n::stop-commands::abc123\n\u001b]8;;https://x.invalid\u0007.env',
  line: `password = "${password}" \u001b[2J\r::notice::x ##[stop-commands]y \u009b31m \u202e\u2066 | <b>hi</b>`,
  commit: {
    sha: 'c0ffee'.padEnd(40, '0'),
    author: 'Mallory \u001b[31m<img src=x onerror=alert(1)>',
    email: 'm@x.invalid\r::warning::mail',
    date: '2024-01-01T00:00:00Z',
    message: 'fix\n::error::owned \u202egnp.exe ##[add-mask]z | [link](https://x.invalid)',
  },
  note: 'note from\n::stop-commands::n a config \u001b[8m',
  skip: ':: set-output name=x::y\u0085.bin',
};

/** Characters that must never reach a terminal or a log raw (newline and tab are the report's own). */
const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A history report of one hostile commit: the finding's path, line text and commit, a note and a skip. */
function hostileReport(): Report {
  const content = `// config\n${HOSTILE.line} // ${token}\n`;
  const findings = scanChunk(
    { path: HOSTILE.path, content, startLine: 1, origin: 'commit', commit: HOSTILE.commit },
    ruleSet,
  ).findings;
  const report = fileReport(findings, content);
  report.notes.push(HOSTILE.note);
  report.summary.skipped.push({ path: HOSTILE.skip, reason: 'binary\u001b[1A' });
  report.rules = Object.fromEntries(
    findings.map((finding) => [
      finding.ruleId,
      {
        id: finding.ruleId,
        title: 'Custom\n::error::rule',
        severity: finding.severity,
        provider: 'custom',
        remediation: 'Rotate <script>it</script>\r::warning::now',
        references: [],
      },
    ]),
  );
  return report;
}

const options = { color: false, cwd: '/repo', root: '/repo', toolVersion: '0.0.0', redacted: true };

function outputs(report: Report): Record<string, string> {
  const masked = maskReport(report, true);
  return {
    console: REPORTERS.console(masked, options),
    json: REPORTERS.json(masked, options),
    sarif: REPORTERS.sarif(masked, options),
    junit: REPORTERS.junit(masked, options),
    gitlab: REPORTERS.gitlab(masked, options),
    csv: REPORTERS.csv(masked, options).replace(/\r\n/g, '\n'),
    github: REPORTERS.github(masked, options),
    markdown: REPORTERS.markdown(masked, options),
    annotations: annotations(masked, (path) => path).join('\n'),
    summary: jobSummary(masked, {
      scanned: 'push: 1 commit(s)\n::error::x',
      links: { server: 'https://github.com', repository: 'acme/app', sha: HOSTILE.commit.sha },
      pathOf: (path) => path,
      failing: 1,
      failOn: 'low',
      newOnly: false,
    }),
  };
}

/** Lines GitHub's runner would run as workflow commands: `::` after leading blanks, or `##[` anywhere. */
const commandLines = (text: string): string[] =>
  text.split('\n').filter((line) => line.trimStart().startsWith('::') || line.includes('##['));

describe('hostile paths, line text, commits, notes and skips', () => {
  const report = hostileReport();
  const printed = outputs(report);

  it('are found at all (the report has findings from the hostile file and commit)', () => {
    expect(report.findings.map((finding) => finding.ruleId).sort()).toEqual([
      'generic-password',
      'github-pat',
    ]);
  });

  it.each(Object.keys(printed))('reach the %s output with no raw control character', (name) => {
    expect(printed[name]).not.toMatch(RAW_CONTROL);
  });

  it.each(['console', 'json', 'sarif', 'junit', 'gitlab', 'csv', 'markdown'])(
    'cannot run a workflow command from the %s output printed in a CI log',
    (name) => {
      expect(commandLines(printed[name] ?? '')).toEqual([]);
    },
  );

  it("run no workflow command but the annotations of the github output, which are the Action's", () => {
    const text = printed.github ?? '';
    expect(commandLines(text)).toEqual(text.split('\n').filter((line) => line.startsWith('::')));
    expect(text.split('\n').filter((line) => /^::(error|warning|notice) /.test(line))).toEqual(
      (printed.annotations ?? '').split('\n'),
    );
    expect(text).toContain('keyfence: note: note from\\n::stop-commands::n a config \\x1b[8m');
  });

  it('cannot add HTML, links or table cells to the markdown output', () => {
    const markdown = printed.markdown ?? '';
    expect(markdown).not.toMatch(/(?<!\\)</);
    const rows = markdown.split('\n').filter((line) => line.startsWith('| '));
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(8);
  });

  it('are shown as visible escapes on the console, with the caret still under the secret', () => {
    const text = printed.console ?? '';
    expect(text).toContain('--> evil\\n::stop-commands::abc123\\n\\x1b]8;;https://x.invalid\\x07.env:2:');
    expect(text).toContain('\\x1b[2J\\r::notice::x ##\\x5bstop-commands]y \\x9b31m \\u202e\\u2066');
    expect(text).toContain('Mallory \\x1b[31m<img src=x onerror=alert(1)> <m@x.invalid\\r::warning::mail>');
    expect(text).toContain('note: note from\\n::stop-commands::n a config \\x1b[8m');
    expect(text).toContain('  \\x3a: set-output name=x::y\\x85.bin: binary\\x1b[1A');
    const lines = text.split('\n');
    const tokenLine = lines.findIndex((line) => line.startsWith('github-pat ')) + 4;
    const caret = lines[tokenLine + 1] ?? '';
    expect(lines[tokenLine]?.slice(caret.indexOf('^'), caret.lastIndexOf('^') + 1)).toMatch(/^ghp_\*+$/);
  });

  it('keep their exact value in JSON and SARIF, as JSON escapes', () => {
    const json = JSON.parse(printed.json ?? '') as {
      findings: { path: string; lineText: string; commit: { message: string; author: string } }[];
    };
    expect(json.findings[0]?.path).toBe(HOSTILE.path);
    expect(json.findings[0]?.commit).toMatchObject({
      message: HOSTILE.commit.message,
      author: HOSTILE.commit.author,
    });
    expect(json.findings[0]?.lineText).toContain(
      '\u001b[2J\r::notice::x ##[stop-commands]y \u009b31m \u202e\u2066',
    );
    const sarif = JSON.parse(printed.sarif ?? '') as {
      runs: { results: { properties: { commitMessage: string } }[] }[];
    };
    expect(sarif.runs[0]?.results[0]?.properties.commitMessage).toBe(HOSTILE.commit.message);
  });

  it('stay inside one workflow command per annotation, with workflow-command escaping', () => {
    const lines = (printed.annotations ?? '').split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatch(/^::(error|warning|notice) file=[^:,\n]*,line=\d+,[^:\n]*::[^\n]*$/);
      expect(line).not.toContain('##[');
    }
    expect(lines[0]).toContain(
      'file=evil%0A%3A%3Astop-commands%3A%3Aabc123%0A\\x1b]8;;https%3A//x.invalid\\x07.env,',
    );
    expect(lines[0]).toContain('title=keyfence%3A Custom\\n%3A%3Aerror%3A%3Arule');
    expect(lines[0]).toContain('by Mallory \\x1b[31m<img src=x onerror=alert(1)>.');
  });

  it('cannot add HTML or links to the Markdown of the GitLab report', () => {
    const gitlab = JSON.parse(printed.gitlab ?? '') as {
      vulnerabilities: { name: string; description: string; solution: string }[];
    };
    const vulnerability = gitlab.vulnerabilities[0];
    expect(vulnerability?.solution).toMatch(/^Rotate \\<script\\>it\\<\\\/script\\>/);
    expect(vulnerability?.description).toMatch(
      /^Custom\\\\n\\:\\:error\\:\\:rule found at `evil\\n::stop-commands::abc123/,
    );
    for (const text of [vulnerability?.description, vulnerability?.solution])
      expect(text?.replace(/`[^`]*`/g, '')).not.toMatch(/(?<!\\)[<[]/);
  });

  it('cannot add HTML, links or table cells to the job summary', () => {
    const summary = printed.summary ?? '';
    expect(summary).not.toMatch(/(?<!\\)</);
    expect(summary).not.toMatch(/(?<!\\)\[link\]/);
    const rows = summary.split('\n').filter((line) => line.startsWith('| '));
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(8);
    expect(summary).toContain(
      'fix\\\\n\\:\\:error\\:\\:owned \\\\u202egnp\\.exe \\#\\#\\[add\\-mask\\]z \\| \\[link\\]',
    );
  });
});

describe('the console on a terminal', () => {
  it('shows an escape sequence in a scanned file as text instead of running it', async () => {
    const cwd = makeTree();
    writeFileSync(join(cwd, 'a.env'), `password = "${password}" \u001b[2J\u001b]0;title\u0007\n`);
    const result = await runCli(['scan', '.', '--no-config'], { cwd, isTTY: true });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('" \\x1b[2J\\x1b]0;title\\x07');
    // The report's own colours aside (SGR sequences), no control character is printed.
    // eslint-disable-next-line no-control-regex -- removing those colours
    expect(result.stdout.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(RAW_CONTROL);
  });
});

describe('log commands of other CI services', () => {
  it("run neither Azure Pipelines' ##vso[ nor TeamCity's ##teamcity[ commands from a file name, line or commit in any format", async () => {
    const name = '##vso[task.setvariable variable=EVIL]1 ##[group].env';
    const line = `password = "${password}" ##vso[task.prependpath]/tmp/evil ##teamcity[buildStatus text='ok']`;
    const repo = makeGitRepo({ [name]: `${line}\n` });
    commit(repo, 'fix ##vso[task.complete result=Succeeded;]done');
    for (const mode of [['.'], ['--history']]) {
      for (const format of ['console', 'json', 'sarif', 'github', 'markdown', 'junit', 'gitlab', 'csv']) {
        const result = await runCli(['scan', ...mode, '-f', format, '--no-config'], { cwd: repo });
        expect(result.exitCode, `${mode.join(' ')} ${format}: ${result.stderr}`).toBe(1);
        // An annotation's file= is the path as it is, for GitHub to find the file: GitHub's runner
        // reads a line that starts with :: as that command alone, and the format is for GitHub only.
        const shown = (result.stdout + result.stderr).replace(/^(::\w+ )file=[^,]*,/gm, '$1');
        expect(shown, `${mode.join(' ')} ${format}`).not.toMatch(/##[A-Za-z]*\[/);
        if (format === 'json') {
          const report = JSON.parse(result.stdout) as {
            findings: { path: string; commit?: { message: string } }[];
          };
          expect(report.findings[0]?.path).toBe(name);
          if (mode[0] === '--history')
            expect(report.findings[0]?.commit?.message).toContain('##vso[task.complete');
        }
      }
    }
  });
});
