import type { Report } from '../engine/types.js';
import { fileAdvice } from './advice.js';
import { xmlText } from './escape.js';
import { ruleTitle, scannedPhrase, type ReporterOptions } from './format.js';
import { reportedLineText } from './line-window.js';
import type { MaskedFinding } from './redact.js';

/** One testcase: its name, its class and what its failure or error says, if anything. */
interface TestCase {
  classname: string;
  name: string;
  file?: string;
  outcome?: { element: 'failure' | 'error'; message: string; type: string; body: string };
}

/** `2026-11-30T10:36:31`: the JUnit schema's timestamp is an xs:dateTime without a time zone (UTC here). */
const timestamp = (date: Date): string => date.toISOString().slice(0, 19);

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** `path:line:column`, and the commit for history findings. */
function place(finding: MaskedFinding): string {
  const at = `${finding.path}:${finding.line}:${finding.column}`;
  return finding.commit ? `${at} in commit ${finding.commit.sha.slice(0, 12)}` : at;
}

/** The failure's text: what was found, where, the masked line, and what to do. */
function failureBody(finding: MaskedFinding, report: Report<MaskedFinding>): string {
  const rule = report.rules[finding.ruleId];
  const title = ruleTitle(rule);
  const encoded = finding.encoding ? ` (${finding.encoding}-encoded)` : '';
  const lines = [
    `${finding.ruleId}${title === undefined ? '' : ` ${title}`}${encoded} [${finding.severity}]`,
  ];
  lines.push(`at ${place(finding)}`);
  if (finding.commit) {
    const { sha, author, email, date, message } = finding.commit;
    lines.push(`commit ${sha} ${author} <${email}> ${date} ${message}`);
  }
  lines.push(`line: ${reportedLineText(finding).replace(/\r?\n$/, '')}`);
  lines.push(`secret: ${finding.secret}`);
  if (finding.pairedWith) {
    const { ruleId, line, column, secret } = finding.pairedWith;
    lines.push(`paired with: ${ruleId} ${secret} at ${finding.path}:${line}:${column}`);
  }
  if (finding.removedFromTip)
    lines.push('removed from the latest version, still in the git history: rotate it');
  if (finding.verification)
    lines.push(`verification: ${finding.verification.status}: ${finding.verification.reason}`);
  if (rule) lines.push(`help: ${rule.remediation}`);
  const advice = fileAdvice(finding.path);
  if (advice !== undefined) lines.push(`file: ${advice}`);
  lines.push(`ignore: ${finding.fingerprint}`);
  // Each line escaped on its own: a newline in a path or message shows as `\n`, not as a line.
  return lines.map(xmlText).join('\n');
}

/**
 * The testcases of a report. One testsuite holds them all, with the rule as the class
 * (`keyfence.github-pat`): Jenkins groups a suite's tests by package and class, so findings still
 * read per rule there, while GitLab, Azure DevOps, CircleCI and Buildkite list a suite's tests in
 * one table with the class beside each name. A suite per rule would split a clean run's one
 * passing test from the rules it covers, and GitLab would show a tab per rule.
 */
function testCases(report: Report<MaskedFinding>): TestCase[] {
  const seen = new Map<string, number>();
  const cases: TestCase[] = report.findings.map((finding) => {
    const base = `${finding.ruleId} at ${place(finding)}`;
    // GitLab keys a test by suite, class and name: two tests of one name would be shown as one.
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return {
      classname: `keyfence.${finding.ruleId}`,
      name: count === 1 ? base : `${base} (${count})`,
      file: finding.path,
      outcome: {
        element: 'failure',
        message: `${finding.ruleId} at ${finding.path}:${finding.line}: ${finding.secret}`,
        type: finding.severity,
        body: failureBody(finding, report),
      },
    };
  });
  const { incomplete } = report.summary;
  // A scan that stopped early is an error, never a pass; a clean one is one passing test, so that
  // the report is never empty (an empty report reads as "no tests ran" in most CI services).
  if (incomplete !== undefined)
    cases.push({
      classname: 'keyfence',
      name: 'scan complete',
      outcome: {
        element: 'error',
        message: `scan incomplete: ${incomplete}`,
        type: 'incomplete',
        body: xmlText(`scan incomplete: ${incomplete}`),
      },
    });
  else if (report.findings.length === 0) cases.push({ classname: 'keyfence', name: 'no secrets found' });
  return cases;
}

function testCaseXml(test: TestCase): string[] {
  const file = test.file === undefined ? '' : ` file="${xmlText(test.file)}"`;
  const open = `    <testcase classname="${xmlText(test.classname)}" name="${xmlText(test.name)}"${file} time="0"`;
  if (!test.outcome) return [`${open}/>`];
  const { element, message, type, body } = test.outcome;
  return [
    `${open}>`,
    `      <${element} message="${xmlText(message)}" type="${xmlText(type)}">${body}</${element}>`,
    '    </testcase>',
  ];
}

/**
 * JUnit XML, as Jenkins, GitLab CI (artifacts:reports:junit), Azure DevOps, CircleCI and Buildkite
 * read it: each finding a failing testcase, an incomplete scan an error, a clean scan one passing
 * testcase. Every text from scanned content goes through `xmlText`, so no CDATA is written.
 */
export function formatJunit(report: Report<MaskedFinding>, options: ReporterOptions): string {
  const cases = testCases(report);
  const failures = cases.filter((test) => test.outcome?.element === 'failure').length;
  const errors = cases.filter((test) => test.outcome?.element === 'error').length;
  const { summary } = report;
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(summary.durationMs)}"`;
  const finished = options.finishedAt ?? new Date();
  const properties: [string, string | number | boolean][] = [
    ['keyfence.version', options.toolVersion],
    ['target', report.target],
    ['files', summary.files],
    ['commits', summary.commits],
    ['bytes', summary.bytes],
    ['suppressed', summary.suppressed],
    ['skipped', summary.skipped.length],
    ['redacted', options.redacted],
  ];
  const out = [
    `scanned ${scannedPhrase(summary)}${report.target === '' ? '' : ` (${report.target})`}`,
    ...report.notes.map((note) => `note: ${note}`),
    ...summary.skipped.map((skip) => `not scanned: ${skip.path}: ${skip.reason}`),
  ];
  return `${[
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="keyfence" ${counts}>`,
    `  <testsuite name="keyfence" ${counts} timestamp="${timestamp(new Date(finished.getTime() - summary.durationMs))}">`,
    '    <properties>',
    ...properties.map(
      ([name, value]) => `      <property name="${xmlText(name)}" value="${xmlText(String(value))}"/>`,
    ),
    '    </properties>',
    ...cases.flatMap(testCaseXml),
    `    <system-out>${out.map(xmlText).join('\n')}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n')}\n`;
}
