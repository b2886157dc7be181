import { createHash } from 'node:crypto';
import type { Report } from '../engine/types.js';
import type { Severity } from '../rules/types.js';
import { fileAdvice } from './advice.js';
import { inertJson, markdownCode, markdownText } from './escape.js';
import { pathBelowRoot, ruleTitle, type ReporterOptions } from './format.js';
import type { MaskedFinding } from './redact.js';

/**
 * Version of GitLab's security report schemas the report follows (secret-detection-report-format,
 * 15.x): what `artifacts:reports:secret_detection` reads.
 */
export const GITLAB_SCHEMA_VERSION = '15.0.7';

const SEVERITY: Record<Severity, 'Critical' | 'High' | 'Medium' | 'Low'> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/**
 * The commit of a working-tree finding: the schema requires a commit with a sha, and this
 * placeholder is the one GitLab's own secret detection analyzer is known to write for scans that
 * are not of the history (from its reports; the official schema was not at hand to confirm it).
 */
const NO_COMMIT = { sha: '0000000' };

/** The schema's scan times: `2026-11-30T10:36:31`, UTC, no fraction and no zone. */
const scanTime = (date: Date): string => date.toISOString().slice(0, 19);

/** A UUID (version 5 layout) from a SHA-256 of `key`: the same finding gets the same id in every run. */
function stableUuid(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The schema caps a vulnerability's name and solution (a config's rule may have a long remediation). */
const MAX_NAME = 255;
const MAX_SOLUTION = 7000;

/** Links of a rule's references that the schema accepts (http, https or ftp URLs). */
const links = (references: readonly string[]) =>
  references.filter((url) => /^(?:https?|ftp):\/\/.+/.test(url)).map((url) => ({ url }));

/**
 * What was found, where, and how to ignore it. GitLab renders the description as Markdown: text
 * from the scan (paths, secrets, titles of a config's rules) goes in code spans or is escaped.
 */
function description(finding: MaskedFinding, title: string, file: string): string {
  const commit = finding.commit ? ` in commit ${markdownCode(finding.commit.sha.slice(0, 12))}` : '';
  const encoded = finding.encoding ? ` (${finding.encoding}-encoded)` : '';
  const parts = [
    `${markdownText(title)}${encoded} found at ${markdownCode(`${file}:${finding.line}`)}${commit}: ${markdownCode(finding.secret)}`,
  ];
  if (finding.pairedWith) {
    const { ruleId, secret, line } = finding.pairedWith;
    parts.push(`with its ${markdownCode(ruleId)} ${markdownCode(secret)} on line ${line}`);
  }
  const sentences = [`${parts.join(', ')}.`];
  if (finding.verification?.status === 'live') sentences.push('**LIVE**: its provider accepts it.');
  else if (finding.verification)
    sentences.push(
      `Verification: ${finding.verification.status} (${markdownText(finding.verification.reason)}).`,
    );
  if (finding.removedFromTip)
    sentences.push(
      'It was removed from the latest version but is still in the git history, so it must be rotated.',
    );
  sentences.push(`To ignore it: ${markdownCode(finding.fingerprint)}.`);
  return sentences.join(' ');
}

/**
 * GitLab's Secret Detection report (gl-secret-detection-report.json). Ids are UUIDs from the
 * content fingerprint, the path and the commit, so that a finding keeps its id across runs and
 * GitLab can tell a new one from one it has seen. The secret itself (`raw_source_code_extract`)
 * is written only with --no-redact.
 */
export function formatGitlab(report: Report<MaskedFinding>, options: ReporterOptions): string {
  const seen = new Map<string, number>();
  const vulnerabilities = report.findings.map((finding) => {
    const rule = report.rules[finding.ruleId];
    const title = ruleTitle(rule) ?? finding.ruleId;
    const file = pathBelowRoot(finding.path, options) ?? finding.path;
    const key = [finding.fingerprint, file, finding.commit?.sha ?? ''].join('\0');
    // The same secret twice in one file of one commit: the second gets an id of its own.
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    const advice = fileAdvice(finding.path);
    const solution = [rule?.remediation ?? '', advice === undefined ? '' : `In this file: ${advice}`]
      .filter((text) => text !== '')
      .join(' ');
    return {
      id: stableUuid(count === 1 ? key : `${key}\0${count}`),
      category: 'secret_detection',
      name: title.slice(0, MAX_NAME),
      description: description(finding, title, file),
      severity: SEVERITY[finding.severity],
      ...(solution !== '' && { solution: markdownText(solution).slice(0, MAX_SOLUTION) }),
      ...(!options.redacted && { raw_source_code_extract: finding.secret }),
      location: {
        file,
        start_line: finding.line,
        end_line: finding.endLine,
        commit: finding.commit
          ? {
              sha: finding.commit.sha,
              author: `${finding.commit.author} <${finding.commit.email}>`,
              date: finding.commit.date,
              message: finding.commit.message,
            }
          : NO_COMMIT,
      },
      identifiers: [
        {
          type: 'keyfence_rule_id',
          name: `keyfence rule ${finding.ruleId}`,
          value: finding.ruleId,
        },
      ],
      ...(rule && links(rule.references).length > 0 && { links: links(rule.references) }),
    };
  });
  const finished = options.finishedAt ?? new Date();
  const tool = {
    id: 'keyfence',
    name: 'keyfence',
    url: 'https://www.npmjs.com/package/keyfence',
    vendor: { name: 'keyfence' },
    version: options.toolVersion,
  };
  const { summary } = report;
  const document = {
    version: GITLAB_SCHEMA_VERSION,
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'secret_detection',
      start_time: scanTime(new Date(finished.getTime() - summary.durationMs)),
      end_time: scanTime(finished),
      // A scan that stopped early is never a success, whatever it found before it stopped.
      status: summary.incomplete === undefined ? 'success' : 'failure',
      messages: [
        ...(summary.incomplete === undefined
          ? []
          : [{ level: 'fatal', value: `scan incomplete: ${summary.incomplete}` }]),
        ...report.notes.map((note) => ({ level: 'info', value: note })),
        ...summary.skipped.map((skip) => ({
          level: 'warning',
          value: `not scanned: ${skip.path}: ${skip.reason}`,
        })),
      ],
    },
    vulnerabilities,
  };
  return `${inertJson(JSON.stringify(document, null, 2))}\n`;
}
