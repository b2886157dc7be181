import type { Report } from '../engine/types.js';
import type { MaskedFinding } from '../reporters/redact.js';
import { MAX_ANNOTATIONS_PER_LEVEL } from './annotations.js';

/** Where links in the summary point: the repository on its GitHub server. */
export interface RepoLinks {
  server: string;
  repository: string | undefined;
  /** The commit files are linked at when a finding has no commit of its own. */
  sha: string | undefined;
}

/** A table cell: pipes escaped, newlines flattened, backticks kept out of code spans. */
const cell = (text: string): string => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

function location(finding: MaskedFinding, path: string, links: RepoLinks): string {
  const label = cell(`${path}:${finding.line}`);
  const sha = finding.commit?.sha ?? links.sha;
  if (!links.repository || !sha) return label;
  const url = `${links.server}/${links.repository}/blob/${sha}/${path.split('/').map(encodeURIComponent).join('/')}#L${finding.line}`;
  return `[${label}](${url})`;
}

function commitCell(finding: MaskedFinding, links: RepoLinks): string {
  if (!finding.commit) return '';
  const short = finding.commit.sha.slice(0, 12);
  const shown = links.repository ? `[${short}](${links.server}/${links.repository}/commit/${finding.commit.sha})` : short;
  return `${shown} ${cell(finding.commit.message)}`;
}

/** The job summary: what was scanned, every finding in a table, and how to ignore one. */
export function jobSummary(
  report: Report<MaskedFinding>,
  options: { scanned: string; links: RepoLinks; pathOf: (path: string) => string; failing: number; failOn: string; newOnly: boolean },
): string {
  const { findings } = report;
  const lines = ['## keyfence secret scan', '', `Scanned: ${options.scanned}.`, ''];
  if (findings.length === 0) {
    lines.push(`No secrets found${options.newOnly ? ' that are not in the baseline' : ''}.`, '');
  } else {
    lines.push(
      `**${findings.length} secret(s) found**; ${options.failing} at or above \`${options.failOn}\`.` +
        (findings.length > MAX_ANNOTATIONS_PER_LEVEL ? ' GitHub shows at most 10 annotations per level; this table lists all of them.' : ''),
      '',
      '| Rule | Location | Commit | Author | Secret | What to do | Ignore with |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const finding of findings) {
      const rule = report.rules[finding.ruleId];
      const history = finding.removedFromTip ? ' Removed from the latest version but still in the git history.' : '';
      lines.push(
        `| ${cell(`${rule?.title ?? finding.ruleId} (${finding.ruleId}, ${finding.severity})`)} | ${location(finding, options.pathOf(finding.path), options.links)} | ${commitCell(finding, options.links)} | ${cell(finding.commit?.author ?? '')} | ${code(finding.secret)} | ${cell((rule?.remediation ?? '') + history)} | ${code(finding.fingerprint)} |`,
      );
    }
    lines.push(
      '',
      'A secret that was pushed must be revoked and rotated at its provider: deleting it from the code does not make it safe. ' +
        'For a false positive, add `keyfence:allow` in a comment on the line, or add the fingerprint to `.keyfenceignore` with a reason (`- fingerprint: RULE-ID:HASH` / `reason: …`).',
    );
  }
  const suppressed = report.summary.suppressed;
  if (suppressed > 0) lines.push('', `${suppressed} finding(s) suppressed (inline allow, allowlists, ignore file or baseline).`);
  for (const note of report.notes) lines.push('', `> ${cell(note)}`);
  return `${lines.join('\n')}\n`;
}
