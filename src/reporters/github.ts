import type { Report } from '../engine/types.js';
import { fileAdvice } from './advice.js';
import { escapeControls, printable } from './escape.js';
import { ruleTitle } from './format.js';
import type { MaskedFinding } from './redact.js';
import type { Severity } from '../rules/types.js';

/** GitHub shows at most 10 annotations of each level per step and drops the rest. */
export const MAX_ANNOTATIONS_PER_LEVEL = 10;

type Level = 'error' | 'warning' | 'notice';

const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice' };

/** Escaping of a workflow command's message (GitHub's toolkit: `%`, CR and LF). */
export const escapeData = (text: string): string =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * Escaping of a workflow command's property values: the message escapes plus `:` and `,`. Other
 * control characters, which the runner would not decode, are shown as visible escapes.
 */
export const escapeProperty = (text: string): string =>
  escapeControls(escapeData(text)).replace(/:/g, '%3A').replace(/,/g, '%2C');

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

/** Annotations for the findings, at most 10 per level (the summary lists them all). */
export function annotations(report: Report<MaskedFinding>, pathOf: (path: string) => string): string[] {
  const counts: Record<Level, number> = { error: 0, warning: 0, notice: 0 };
  const lines: string[] = [];
  for (const finding of report.findings) {
    const level = LEVEL[finding.severity];
    if (counts[level] >= MAX_ANNOTATIONS_PER_LEVEL) continue;
    counts[level]++;
    lines.push(annotation(finding, report, pathOf(finding.path)));
  }
  return lines;
}
