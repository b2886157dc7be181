import type { Report } from '../engine/types.js';
import { inertJson } from './escape.js';
import type { ReporterOptions } from './format.js';
import { reportedLineText } from './line-window.js';
import type { MaskedFinding } from './redact.js';

/** Version of the JSON report layout; bumped on any incompatible change. */
export const JSON_REPORT_VERSION = 1;

/** Machine-readable report with a fixed key order (stable diffs, easy jq). */
export function formatJson(report: Report<MaskedFinding>, options: ReporterOptions): string {
  const findings = report.findings.map((finding) => {
    const rule = report.rules[finding.ruleId];
    return {
      ruleId: finding.ruleId,
      title: rule?.title ?? '',
      severity: finding.severity,
      provider: rule?.provider ?? '',
      path: finding.path,
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      secret: finding.secret,
      lineText: reportedLineText(finding),
      entropy: finding.entropy,
      fingerprint: finding.fingerprint,
      origin: finding.origin,
      ...(finding.encoding && { encoding: finding.encoding }),
      ...(finding.pairedWith && { pairedWith: { ...finding.pairedWith } }),
      ...(finding.removedFromTip && { removedFromTip: true }),
      ...(finding.commit && {
        commit: {
          sha: finding.commit.sha,
          author: finding.commit.author,
          email: finding.commit.email,
          date: finding.commit.date,
          message: finding.commit.message,
        },
      }),
      ...(finding.occurrences && {
        occurrences: { commits: finding.occurrences.commits, paths: finding.occurrences.paths },
      }),
      ...(finding.verification && {
        verification: {
          status: finding.verification.status,
          reason: finding.verification.reason,
          checkedAt: finding.verification.checkedAt,
        },
      }),
      remediation: rule?.remediation ?? '',
    };
  });
  const { summary } = report;
  const document = {
    version: JSON_REPORT_VERSION,
    tool: { name: 'keyfence', version: options.toolVersion },
    target: report.target,
    redacted: options.redacted,
    notes: report.notes,
    summary: {
      findings: findings.length,
      files: summary.files,
      commits: summary.commits,
      bytes: summary.bytes,
      suppressed: summary.suppressed,
      suppressedBy: summary.suppressedBy,
      durationMs: summary.durationMs,
      workers: summary.workers,
      ...(summary.incomplete !== undefined && { incomplete: summary.incomplete }),
      ...(summary.verification && { verification: { ...summary.verification } }),
      skipped: summary.skipped.map((skip) => ({ path: skip.path, reason: skip.reason })),
    },
    findings,
  };
  return `${inertJson(JSON.stringify(document, null, 2))}\n`;
}
