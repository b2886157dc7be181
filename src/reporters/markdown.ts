import type { Report } from '../engine/types.js';
import { fileAdvice } from './advice.js';
import { markdownCode, markdownText as text } from './escape.js';
import { ruleTitle } from './format.js';
import type { MaskedFinding } from './redact.js';
import { MAX_ANNOTATIONS_PER_LEVEL } from './github.js';

/** Where links in the summary point: the repository on its GitHub server. */
export interface RepoLinks {
  server: string;
  repository: string | undefined;
  /** The commit files are linked at when a finding has no commit of its own. */
  sha: string | undefined;
}

/** A code span in a table cell. */
const code = (value: string): string => markdownCode(value, true);

/** A URL path segment: percent-encoded, parentheses too, so that it cannot end a Markdown link early. */
const segment = (part: string): string =>
  encodeURIComponent(part).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function location(finding: MaskedFinding, path: string, links: RepoLinks): string {
  const label = text(`${path}:${finding.line}`);
  const sha = finding.commit?.sha ?? links.sha;
  if (!links.repository || !sha) return label;
  const url = `${links.server}/${links.repository}/blob/${sha}/${path.split('/').map(segment).join('/')}#L${finding.line}`;
  return `[${label}](${url})`;
}

function commitCell(finding: MaskedFinding, links: RepoLinks): string {
  if (!finding.commit) return '';
  const short = finding.commit.sha.slice(0, 12);
  const shown = links.repository
    ? `[${short}](${links.server}/${links.repository}/commit/${finding.commit.sha})`
    : short;
  return `${shown} ${text(finding.commit.message)}`;
}

/** LIVE in bold, revoked or unverified, with the reason. */
function statusCell(verification: NonNullable<MaskedFinding['verification']>): string {
  const label =
    verification.status === 'live'
      ? '**LIVE**'
      : verification.status === 'revoked'
        ? 'revoked'
        : 'unverified';
  return `${label} ${text(`(${verification.reason})`)}`;
}

/** The job summary: what was scanned, every finding in a table, and how to ignore one. */
export function jobSummary(
  report: Report<MaskedFinding>,
  options: {
    scanned: string;
    links: RepoLinks;
    pathOf: (path: string) => string;
    failing: number;
    failOn: string;
    newOnly: boolean;
  },
): string {
  // Live secrets first: they are incidents; the rest keep their order.
  const rank = (finding: MaskedFinding): number =>
    finding.verification?.status === 'live' ? 0 : finding.verification?.status === 'revoked' ? 2 : 1;
  const findings = [...report.findings].sort((a, b) => rank(a) - rank(b));
  const verified = findings.some((finding) => finding.verification !== undefined);
  const lines = ['## keyfence secret scan', '', `Scanned: ${text(options.scanned)}.`, ''];
  if (findings.length === 0) {
    lines.push(`No secrets found${options.newOnly ? ' that are not in the baseline' : ''}.`, '');
  } else {
    lines.push(
      `**${findings.length} secret(s) found**; ${options.failing} at or above \`${options.failOn}\`.` +
        (findings.length > MAX_ANNOTATIONS_PER_LEVEL
          ? ' GitHub shows at most 10 annotations per level; this table lists all of them.'
          : ''),
      '',
      ...(report.summary.verification
        ? [
            `Verification: **${report.summary.verification.live} live**, ${report.summary.verification.revoked} revoked, ${report.summary.verification.unknown} unverified.`,
            '',
          ]
        : []),
      `| ${verified ? 'Status | ' : ''}Rule | Location | Commit | Author | Secret | What to do | Ignore with |`,
      `| ${verified ? '--- | ' : ''}--- | --- | --- | --- | --- | --- | --- |`,
    );
    for (const finding of findings) {
      const rule = report.rules[finding.ruleId];
      const title = ruleTitle(rule);
      const named =
        title === undefined
          ? `${finding.ruleId} (${finding.severity})`
          : `${title} (${finding.ruleId}, ${finding.severity})`;
      const history = finding.removedFromTip
        ? ' Removed from the latest version but still in the git history.'
        : '';
      const advice = fileAdvice(finding.path);
      const todo = `${rule?.remediation ?? ''}${history}${advice === undefined ? '' : ` In this file: ${advice}`}`;
      const status = finding.verification ? `${statusCell(finding.verification)} | ` : verified ? ' | ' : '';
      lines.push(
        `| ${status}${text(named)} | ${location(finding, options.pathOf(finding.path), options.links)} | ${commitCell(finding, options.links)} | ${text(finding.commit?.author ?? '')} | ${code(finding.secret)} | ${text(todo)} | ${code(finding.fingerprint)} |`,
      );
    }
    lines.push(
      '',
      'A secret that was pushed must be revoked and rotated at its provider: deleting it from the code does not make it safe. ' +
        'For a false positive, add `keyfence:allow` in a comment on the line, or add the fingerprint to `.keyfenceignore` with a reason (`- fingerprint: RULE-ID:HASH` / `reason: …`).',
    );
  }
  const suppressed = report.summary.suppressed;
  if (suppressed > 0)
    lines.push(
      '',
      `${suppressed} finding(s) suppressed (inline allow, allowlists, ignore file or baseline).`,
    );
  for (const note of report.notes) lines.push('', `> ${text(note)}`);
  return `${lines.join('\n')}\n`;
}

/** The job summary of a run that scanned nothing because it failed: the error, with its fix. */
export function failureSummary(message: string, internal: boolean): string {
  const what = internal ? 'keyfence failed (internal error)' : 'Nothing was scanned';
  return `${['## keyfence secret scan', '', `**${what}:** ${text(message)}`, ''].join('\n')}\n`;
}
