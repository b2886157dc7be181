import type { Report } from '../engine/types.js';
import { printable } from './escape.js';
import { ruleTitle } from './format.js';
import { reportedLineText } from './line-window.js';
import type { MaskedFinding } from './redact.js';

/** The columns, in order, and what each finding puts in them. */
const COLUMNS: readonly [
  string,
  (finding: MaskedFinding, report: Report<MaskedFinding>) => string | number,
][] = [
  ['rule_id', (finding) => finding.ruleId],
  ['title', (finding, report) => ruleTitle(report.rules[finding.ruleId]) ?? ''],
  ['severity', (finding) => finding.severity],
  ['path', (finding) => finding.path],
  ['line', (finding) => finding.line],
  ['column', (finding) => finding.column],
  ['end_line', (finding) => finding.endLine],
  ['end_column', (finding) => finding.endColumn],
  ['secret', (finding) => finding.secret],
  ['line_text', (finding) => reportedLineText(finding).replace(/\r?\n$/, '')],
  ['encoding', (finding) => finding.encoding ?? ''],
  ['fingerprint', (finding) => finding.fingerprint],
  ['origin', (finding) => finding.origin],
  ['commit', (finding) => finding.commit?.sha ?? ''],
  ['author', (finding) => finding.commit?.author ?? ''],
  ['email', (finding) => finding.commit?.email ?? ''],
  ['date', (finding) => finding.commit?.date ?? ''],
  ['message', (finding) => finding.commit?.message ?? ''],
  ['verification', (finding) => finding.verification?.status ?? ''],
  ['verification_reason', (finding) => finding.verification?.reason ?? ''],
];

/**
 * A spreadsheet takes a cell that starts with one of these as a formula (`=HYPERLINK(…)`,
 * `@SUM(…)`, `+cmd|…`), and a scanned repository is untrusted: such a cell gets a leading `'`
 * (OWASP's advice), which spreadsheets show as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A spreadsheet whose list separator is `;` (Excel's default wherever the decimal mark is a comma:
 * most of Europe) splits each line at every `;`, inside quotes too, so a cell starts after each
 * one: a formula there (`x;=HYPERLINK(…)`, after any quotes) gets the same `'`.
 */
const FORMULA_AFTER_SEMICOLON = /;(?="*[=+\-@\t\r])/g;

/**
 * One CSV field (RFC 4180): text shown as `printable` (control characters, line breaks included,
 * as visible escapes, so that a record is one line even for tools that read line by line, and
 * nothing steers a terminal or CI log that prints it), guarded against formulas (at its start and
 * after each `;`), and quoted when it holds a comma, a quote or a line break.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const guarded = (FORMULA_START.test(value) ? `'${value}` : value).replace(FORMULA_AFTER_SEMICOLON, ";'");
  const shown = printable(guarded);
  return /[",\r\n]/.test(shown) ? `"${shown.replace(/"/g, '""')}"` : shown;
}

/** CSV with a header row and one row per finding, records ending in CRLF as RFC 4180 has them. */
export function formatCsv(report: Report<MaskedFinding>): string {
  const rows = [
    COLUMNS.map(([name]) => name),
    ...report.findings.map((finding) => COLUMNS.map(([, cell]) => cell(finding, report))),
  ];
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
