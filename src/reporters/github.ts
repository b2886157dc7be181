import type { Report } from '../engine/types.js';
import type { Severity } from '../rules/types.js';
import { fileAdvice } from './advice.js';
import { escapeControls, printable } from './escape.js';
import {
  pathFromRoot,
  plural,
  ruleTitle,
  scannedPhrase,
  skipReasons,
  type ReporterOptions,
} from './format.js';
import type { MaskedFinding } from './redact.js';

/** GitHub shows at most 10 annotations of each level per step and drops the rest. */
export const MAX_ANNOTATIONS_PER_LEVEL = 10;

type Level = 'error' | 'warning' | 'notice';

/** How many annotations of each level to write. */
type Caps = Readonly<Record<Level, number>>;

const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice' };

const GITHUB_CAPS: Caps = {
  error: MAX_ANNOTATIONS_PER_LEVEL,
  warning: MAX_ANNOTATIONS_PER_LEVEL,
  notice: MAX_ANNOTATIONS_PER_LEVEL,
};

/** Escaping of a workflow command's message (GitHub's toolkit: `%`, CR and LF). */
export const escapeData = (text: string): string =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * Escaping of a workflow command's property values: the message escapes plus `:` and `,`. Other
 * control characters, which the runner would not decode, are shown as visible escapes.
 */
export const escapeProperty = (text: string): string =>
  escapeControls(escapeData(text)).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** A workflow command of keyfence's own with no properties: `::error::message`, the message printable and escaped. */
export const workflowCommand = (level: Level, message: string): string =>
  `::${level}::${escapeData(printable(message))}`;

/** One annotation as a workflow command line. */
export function annotation(finding: MaskedFinding, report: Report<MaskedFinding>, path: string): string {
  const rule = report.rules[finding.ruleId];
  const title = ruleTitle(rule);
  const properties = [
    `file=${escapeProperty(path)}`,
    `line=${finding.line}`,
    `endLine=${finding.endLine}`,
    ...(finding.endLine === finding.line ? [`col=${finding.column}`, `endColumn=${finding.endColumn}`] : []),
    `title=${escapeProperty(printable(`keyfence: ${title === undefined ? finding.ruleId : `${title} (${finding.ruleId})`}`))}`,
  ];
  const where = finding.commit
    ? ` in commit ${finding.commit.sha.slice(0, 12)} by ${finding.commit.author}`
    : '';
  const history = finding.removedFromTip
    ? ' It is no longer in the latest version but stays in the git history.'
    : '';
  const advice = fileAdvice(finding.path);
  const message = `${finding.secret}${where}.${history} ${rule?.remediation ?? ''}${advice === undefined ? '' : ` In this file: ${advice}`} Ignore a false positive with fingerprint ${finding.fingerprint}.`;
  // The runner prints the message in the log: no control character may reach it raw.
  return `::${LEVEL[finding.severity]} ${properties.join(',')}::${escapeData(printable(message))}`;
}

/** The findings that get an annotation: the first of each level, as many as its cap allows. */
function annotated(findings: readonly MaskedFinding[], caps: Caps): MaskedFinding[] {
  const counts: Record<Level, number> = { error: 0, warning: 0, notice: 0 };
  return findings.filter((finding) => {
    const level = LEVEL[finding.severity];
    if (counts[level] >= caps[level]) return false;
    counts[level]++;
    return true;
  });
}

/** How many findings get no annotation because GitHub would drop it. */
export const unannotated = (report: Report<MaskedFinding>): number =>
  report.findings.length - annotated(report.findings, GITHUB_CAPS).length;

/** Annotations for the findings, at most 10 per level (the summary lists them all). */
export function annotations(report: Report<MaskedFinding>, pathOf: (path: string) => string): string[] {
  return annotated(report.findings, GITHUB_CAPS).map((finding) =>
    annotation(finding, report, pathOf(finding.path)),
  );
}

/**
 * GitHub Actions workflow commands, for `keyfence scan` run in a plain `run:` step: the Action's
 * annotations, then one line for the scan as a whole. keyfence's own lines are annotations too and
 * count against GitHub's cap: an incomplete scan's error and the closing notice each keep a slot
 * of their level, so that GitHub drops neither. Notes and skipped files are plain log lines.
 */
export function formatGithub(report: Report<MaskedFinding>, options: ReporterOptions): string {
  const { summary, findings } = report;
  const incomplete = summary.incomplete;
  const caps = { ...GITHUB_CAPS, error: GITHUB_CAPS.error - (incomplete === undefined ? 0 : 1) };
  let shown = annotated(findings, caps);
  if (shown.length < findings.length) shown = annotated(findings, { ...caps, notice: caps.notice - 1 });
  const omitted = findings.length - shown.length;
  // Paths from the repository top, where GitHub looks for the annotated file.
  const lines = shown.map((finding) => annotation(finding, report, pathFromRoot(finding.path, options)));
  // Plain lines start with `keyfence:`, so that no scanned text can start a command.
  for (const note of report.notes) lines.push(printable(`keyfence: note: ${note}`));
  if (summary.skipped.length > 0)
    lines.push(
      printable(
        `keyfence: ${plural(summary.skipped.length, 'file')} not scanned (${skipReasons(summary.skipped)})`,
      ),
    );
  if (!options.redacted && findings.length > 0)
    lines.push('keyfence: warning: secrets are shown unredacted (--no-redact)');
  const scanned = scannedPhrase(summary);
  const found = `${plural(findings.length, 'secret')} found in ${scanned}`;
  if (omitted > 0)
    lines.push(
      workflowCommand(
        'notice',
        `keyfence: ${omitted} more secret(s) not annotated (GitHub shows at most ${MAX_ANNOTATIONS_PER_LEVEL} annotations of each level per step); ${found}. To list them all, run keyfence scan again with --format markdown >> "$GITHUB_STEP_SUMMARY" (the job summary) or --format console (this log)`,
      ),
    );
  if (incomplete !== undefined)
    lines.push(
      workflowCommand('error', `keyfence: scan incomplete: ${incomplete}; ${found} before it stopped`),
    );
  else if (findings.length > 0) {
    if (omitted === 0) lines.push(printable(`keyfence: ${found}`));
  } else if (summary.files === 0 && summary.chunks === 0 && report.notes.length === 0)
    lines.push(workflowCommand('warning', `keyfence: nothing was scanned (${scanned})`));
  else lines.push(workflowCommand('notice', `keyfence: no secrets found in ${scanned}`));
  return `${lines.join('\n')}\n`;
}
