import type { Report } from '../engine/types.js';
import { fileAdvice } from './advice.js';
import { markdownCode, markdownText as text } from './escape.js';
import {
  pathFromRoot,
  plural,
  ruleTitle,
  scannedPhrase,
  skipReasons,
  type ReporterOptions,
  type RepoLinks,
} from './format.js';
import type { MaskedFinding } from './redact.js';

export type { RepoLinks } from './format.js';

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

/** What the job summary says beside the report. */
export interface SummaryOptions {
  /** What was scanned, in a phrase. */
  scanned: string;
  links: RepoLinks;
  /** A finding's path as GitHub knows it, from the repository top. */
  pathOf: (path: string) => string;
  /** How many findings fail the run, when known. */
  failing?: number;
  /** The fail-on level that decides it, when one level does. */
  failOn?: string | undefined;
  /** Findings in the baseline are left out. */
  newOnly: boolean;
  /** Some findings have no annotation (GitHub shows at most 10 per level): the table lists them all. */
  annotationsCapped?: boolean;
}

/** How many findings fail the run: `; 2 at or above \`high\``, or nothing when that is not known. */
function failingPhrase(options: SummaryOptions): string {
  if (options.failing === undefined) return '';
  return options.failOn === undefined
    ? `; ${options.failing} fail the run`
    : `; ${options.failing} at or above ${code(options.failOn)}`;
}

/** The job summary: what was scanned, every finding in a table, and how to ignore one. */
export function jobSummary(report: Report<MaskedFinding>, options: SummaryOptions): string {
  // Live secrets first: they are incidents; the rest keep their order.
  const rank = (finding: MaskedFinding): number =>
    finding.verification?.status === 'live' ? 0 : finding.verification?.status === 'revoked' ? 2 : 1;
  const findings = [...report.findings].sort((a, b) => rank(a) - rank(b));
  const verified = findings.some((finding) => finding.verification !== undefined);
  const lines = ['## keyfence secret scan', '', `Scanned: ${text(options.scanned)}.`, ''];
  const { incomplete } = report.summary;
  // A scan that stopped early never reads as a pass, whatever it found before it stopped.
  if (incomplete !== undefined)
    lines.push(
      `**Scan incomplete:** ${text(incomplete)}. What it did not reach was not scanned for secrets.`,
      '',
    );
  if (findings.length === 0) {
    if (incomplete === undefined)
      lines.push(`No secrets found${options.newOnly ? ' that are not in the baseline' : ''}.`, '');
  } else {
    lines.push(
      `**${findings.length} secret(s) found**${failingPhrase(options)}.` +
        (options.annotationsCapped === true
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

/**
 * The job summary as a report of its own (`--format markdown`), for `>> "$GITHUB_STEP_SUMMARY"`,
 * a pull-request comment or a GitLab merge-request note: the table the Action writes, paths from
 * the report's root, files linked on GitHub when `links` names the repository.
 */
export function formatMarkdown(report: Report<MaskedFinding>, options: ReporterOptions): string {
  const { summary } = report;
  const nothing = summary.files === 0 && summary.chunks === 0 && report.notes.length === 0;
  const skipped =
    summary.skipped.length === 0
      ? ''
      : `; ${plural(summary.skipped.length, 'file')} not scanned (${skipReasons(summary.skipped)})`;
  return jobSummary(report, {
    scanned: `${scannedPhrase(summary)}${report.target === '' ? '' : ` (${report.target})`}${skipped}${nothing ? '; nothing was scanned' : ''}`,
    links: options.links ?? { server: '', repository: undefined, sha: undefined },
    pathOf: (path) => pathFromRoot(path, options),
    ...(options.failing && { failing: options.failing.count, failOn: options.failing.failOn }),
    newOnly: options.baseline === true,
  });
}
