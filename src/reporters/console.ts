import type { Report, ScanSummary, SuppressionKind, VerificationStatus } from '../engine/types.js';
import { fileAdvice, fileKind } from './advice.js';
import {
  formatDuration,
  plural,
  ruleTitle,
  scannedPhrase,
  skipReasons,
  type ReporterOptions,
} from './format.js';
import type { MaskedFinding } from './redact.js';
import { printable, printableLineStart, printableParts } from './escape.js';
import { fitLine, lineParts } from './line-window.js';
import { SEVERITIES } from '../rules/types.js';

const MAX_LISTED_SKIPS = 20;
/** Width quoted lines fit in when the output is no terminal (a file, a pipe, a CI log). */
export const DEFAULT_WIDTH = 120;

type Paint = (code: string, text: string) => string;

const SEVERITY_COLOR: Record<string, string> = { critical: '1;31', high: '31', medium: '33', low: '36' };

/** Tabs become one space so that the caret line stays aligned under the secret. */
const untab = (text: string): string => text.replace(/\t/g, ' ');

function renderFinding(
  finding: MaskedFinding,
  report: Report<MaskedFinding>,
  paint: Paint,
  width: number,
): string[] {
  const rule = report.rules[finding.ruleId];
  const severity = paint(SEVERITY_COLOR[finding.severity] ?? '0', finding.severity);
  const encoded = finding.encoding ? ` (${finding.encoding}-encoded)` : '';
  const title = ruleTitle(rule);
  const status = finding.verification ? ` ${verificationLabel(finding.verification.status, paint)}` : '';
  const lines = [
    `${paint('1', finding.ruleId)}${title === undefined ? '' : ` ${printable(title)}`}${encoded} [${severity}]${status}`,
  ];
  lines.push(`  ${paint('2', '-->')} ${printable(finding.path)}:${finding.line}:${finding.column}`);
  if (finding.commit) {
    const { sha, author, email, date, message } = finding.commit;
    const shown = printable(`${sha.slice(0, 12)} ${author} <${email}> ${date} ${message}`);
    lines.push(`  ${paint('2', 'commit')} ${shown}`);
  }
  if (finding.occurrences && finding.occurrences.commits > 1) {
    const { commits, paths } = finding.occurrences;
    lines.push(
      `  ${paint('2', 'seen in')} ${plural(commits, 'commit')} and ${plural(paths, 'path')} (first introduced here; --all-occurrences lists each)`,
    );
  }
  const gutter = String(finding.line);
  const pad = ' '.repeat(gutter.length);
  const parts = lineParts(finding);
  // Escapes widen the text: the window is cut from the escaped parts, and the caret goes under
  // the escaped secret, wherever it lands.
  const [shownBefore = '', shownSecret = '', shownAfter = ''] = printableParts(
    [parts.before, parts.secret, parts.after].map(untab),
  );
  const secret = printable(finding.secret);
  const {
    before,
    secret: marked,
    after,
  } = fitLine(
    { before: shownBefore, secret: shownSecret, after: shownAfter },
    {
      width: width - `  ${gutter} | `.length,
      clippedLeft: finding.lineTextColumn > 1,
      clippedRight: finding.lineContinues === true,
      reserve: 1 + secret.length,
    },
  );
  const caretLength = Math.max(1, marked.length);
  lines.push(`  ${pad} ${paint('2', '|')}`);
  lines.push(`  ${paint('2', gutter)} ${paint('2', '|')} ${before}${marked}${after}`);
  lines.push(
    `  ${pad} ${paint('2', '|')} ${' '.repeat(before.length)}${paint('31', '^'.repeat(caretLength))} ${secret}`,
  );
  if (finding.pairedWith) {
    const { ruleId, line, column, secret } = finding.pairedWith;
    lines.push(
      `  ${pad} ${paint('2', '=')} ${paint('1', 'paired with:')} ${ruleId} ${printable(secret)} at ${printable(finding.path)}:${line}:${column} (both parts of one credential)`,
    );
  }
  if (finding.verification)
    lines.push(
      `  ${pad} ${paint('2', '=')} ${paint('1', 'verification:')} ${finding.verification.status}: ${printable(finding.verification.reason)}`,
    );
  if (rule) lines.push(`  ${pad} ${paint('2', '=')} ${paint('1', 'help:')} ${printable(rule.remediation)}`);
  const advice = fileAdvice(finding.path);
  if (advice !== undefined)
    lines.push(`  ${pad} ${paint('2', '=')} ${paint('1', 'file:')} ${printable(advice)}`);
  lines.push(`  ${pad} ${paint('2', '=')} ${paint('1', 'ignore:')} ${finding.fingerprint}`);
  return lines;
}

/** LIVE (an incident), revoked, or unverified (no answer that tells). */
function verificationLabel(status: VerificationStatus, paint: Paint): string {
  if (status === 'live') return paint('1;31', 'LIVE');
  return status === 'revoked' ? paint('2', 'revoked') : paint('33', 'unverified');
}

/** `verification: 1 LIVE, 2 revoked, 3 unverified`. */
function verificationLine(counts: Record<VerificationStatus, number>, paint: Paint): string {
  const live = `${counts.live} ${verificationLabel('live', paint)}`;
  return `verification: ${live}, ${counts.revoked} revoked, ${counts.unknown} unverified`;
}

function severityCounts(findings: readonly MaskedFinding[]): string {
  const parts = SEVERITIES.map((severity) => {
    const count = findings.filter((finding) => finding.severity === severity).length;
    return count > 0 ? `${count} ${severity}` : '';
  }).filter((part) => part !== '');
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function renderSkips(report: Report<MaskedFinding>, paint: Paint): string[] {
  const { skipped } = report.summary;
  if (skipped.length === 0) return [];
  const lines = [paint('2', `skipped ${plural(skipped.length, 'file')}:`)];
  for (const skip of skipped.slice(0, MAX_LISTED_SKIPS))
    lines.push(paint('2', `  ${printableLineStart(skip.path)}: ${printable(skip.reason)}`));
  if (skipped.length > MAX_LISTED_SKIPS) {
    lines.push(paint('2', `  … and ${skipped.length - MAX_LISTED_SKIPS} more (--format json lists all)`));
  }
  return lines;
}

const SUPPRESSION_NAMES: Record<SuppressionKind, string> = {
  inline: 'inline allow',
  allowlist: 'allowlist',
  ignore: 'ignore file',
  baseline: 'baseline',
};

/** `, 5 suppressed (2 inline allow, 3 baseline)`, or nothing. */
function suppressedPhrase(summary: ScanSummary): string {
  if (summary.suppressed === 0) return '';
  const parts = (Object.keys(SUPPRESSION_NAMES) as SuppressionKind[])
    .filter((kind) => summary.suppressedBy[kind] > 0)
    .map((kind) => `${summary.suppressedBy[kind]} ${SUPPRESSION_NAMES[kind]}`);
  return `, ${summary.suppressed} suppressed (${parts.join(', ')})`;
}

/**
 * What to do now about the staged files: code reads the value from the environment instead; a
 * file that holds secrets by purpose (.env) leaves the commit; an example file gets a placeholder.
 */
function nowLines(files: readonly string[], paint: Paint): string[] {
  const shown = (list: readonly string[]) => printable(list.join(', '));
  const code = files.filter((file) => fileKind(file) === undefined);
  const examples = files.filter((file) => fileKind(file) === 'example');
  const secretFiles = files.filter((file) => !code.includes(file) && !examples.includes(file));
  const lines: string[] = [];
  const now = () => (lines.length === 0 ? paint('1', 'Now:') : '    ');
  if (code.length > 0)
    lines.push(
      `${now()} take the value out of ${shown(code)}: read it from an environment variable or a secret`,
      '     manager in the code instead, then stage the file again (git add). To unstage a file: git restore --staged FILE.',
    );
  if (secretFiles.length > 0)
    lines.push(
      `${now()} keep ${shown(secretFiles)} out of git: git restore --staged FILE (git rm --cached FILE if it was`,
      '     committed before) and add it to .gitignore; commit a copy with placeholder values instead (.env.example),',
      "     and keep the real values in the platform's secret store (GitHub Actions secrets, your host's settings).",
    );
  if (examples.length > 0)
    lines.push(
      `${now()} ${shown(examples)} ${examples.length === 1 ? 'is an example' : 'are examples'} for others to copy: replace the value with a`,
      '     placeholder, then stage the file again (git add).',
    );
  return lines;
}

/** What to do when a pre-commit scan blocks a commit. */
function commitBlocked(report: Report<MaskedFinding>, paint: Paint): string {
  const files = [...new Set(report.findings.map((finding) => finding.path))];
  return [
    '',
    paint(
      '1;31',
      `keyfence blocked this commit: the staged changes add ${plural(report.findings.length, 'secret')}.`,
    ),
    ...nowLines(files, paint),
    `${paint('1', 'If it was ever pushed')} or shared: revoke and rotate it at the provider first (see help: above),`,
    '     because removing it from the code does not make a leaked secret safe again.',
    `${paint('1', 'False positive?')} Put keyfence:allow (or keyfence:allow RULE-ID) in a comment on that line or on`,
    '     the line before it, or add the fingerprint shown as ignore: above to .keyfenceignore with a reason:',
    '     - fingerprint: RULE-ID:HASH',
    '       reason: why this is not a secret',
  ].join('\n');
}

/** Why a scan scanned nothing: no file matched, or every file it found was skipped (and why). */
function nothingScanned(summary: ScanSummary): string {
  const { skipped } = summary;
  if (skipped.length === 0) return ' (no files matched)';
  const which = skipped.length === 1 ? 'the one file found was' : `all ${skipped.length} files found were`;
  return `: ${which} skipped (${printable(skipReasons(skipped))})`;
}

/** Human-readable report for a terminal: one block per finding, then skips and a summary line. */
export function formatConsole(report: Report<MaskedFinding>, options: ReporterOptions): string {
  const paint: Paint = options.color
    ? (code, text) => `\u001b[${code}m${text}\u001b[0m`
    : (_code, text) => text;
  const width = options.width ?? DEFAULT_WIDTH;
  const blocks = report.findings.map((finding) => renderFinding(finding, report, paint, width).join('\n'));
  const { summary } = report;
  const count = report.findings.length;
  const scanned = `${scannedPhrase(summary)} scanned in ${formatDuration(summary.durationMs)}`;
  const suppressed = suppressedPhrase(summary);
  // A scan that stopped early never reads as a pass.
  const verdict =
    summary.incomplete !== undefined
      ? paint(
          '1;31',
          `scan incomplete (${printable(summary.incomplete)}): ${plural(count, 'secret')} found`,
        ) + ` in ${scanned}${suppressed}`
      : count === 0
        ? paint('32', `no secrets found`) + ` in ${scanned}${suppressed}`
        : paint('1;31', `${plural(count, 'secret')} found${severityCounts(report.findings)}`) +
          ` in ${scanned}${suppressed}`;
  // A note that is a warning says so itself, and gets no second prefix.
  const notes = report.notes.map((note) =>
    paint('33', note.startsWith('warning: ') ? printable(note) : `note: ${printable(note)}`),
  );
  const nothing =
    notes.length === 0 && summary.files === 0 && summary.chunks === 0
      ? [paint('33', `warning: nothing was scanned${nothingScanned(summary)}`)]
      : [];
  const blocked = report.findings.some((finding) => finding.origin === 'staged')
    ? [commitBlocked(report, paint)]
    : [];
  const parts = [
    ...blocks.map((block) => `${block}\n`),
    ...renderSkips(report, paint),
    ...notes,
    ...nothing,
    verdict,
    ...(summary.verification ? [verificationLine(summary.verification, paint)] : []),
    ...blocked,
  ];
  if (!options.redacted && count > 0)
    parts.push(paint('33', 'warning: secrets are shown unredacted (--no-redact)'));
  return `${parts.join('\n')}\n`;
}
