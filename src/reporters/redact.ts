import type { Finding, Report } from '../engine/types.js';

declare const masked: unique symbol;
/** Text that has passed through redaction (or was explicitly released with --no-redact). */
export type Masked = string & { readonly [masked]: true };

/** A finding as reporters see it: secret and line text are Masked. */
export interface MaskedFinding extends Omit<Finding, 'secret' | 'lineText' | 'pairedWith'> {
  secret: Masked;
  lineText: Masked;
  pairedWith?: Omit<NonNullable<Finding['pairedWith']>, 'secret'> & { secret: Masked };
}

/** The most characters of a secret that redaction ever shows. */
export const MAX_VISIBLE_PREFIX = 4;
const MASK = '*';
const MAX_MASK_LENGTH = 16;

/** How many leading characters of a secret of this length may be shown: at most 4, and at most a quarter. */
export function visiblePrefixLength(length: number): number {
  return Math.min(MAX_VISIBLE_PREFIX, Math.floor(length / 4));
}

/** Masks a secret: a short prefix, then asterisks (capped, so long keys do not flood the output). */
export function redact(secret: string): Masked {
  const prefix = visiblePrefixLength(secret.length);
  return (secret.slice(0, prefix) + MASK.repeat(Math.min(secret.length - prefix, MAX_MASK_LENGTH))) as Masked;
}

/** Marks text as safe to print unchanged: the one explicit way out, used for --no-redact. */
export function release(text: string): Masked {
  return text as Masked;
}

type Span = { finding: Finding; from: number; to: number };

/** Masks, in one finding's line text, every secret of the report that lies on that line. */
function maskLine(finding: Finding, sameFile: readonly Finding[]): Masked {
  const textStart = finding.lineTextColumn;
  const spans: Span[] = [];
  for (const other of sameFile) {
    if (other.line > finding.line || other.endLine < finding.line) continue;
    const from = other.line === finding.line ? other.column : 1;
    const to = other.endLine === finding.line ? other.endColumn : Number.POSITIVE_INFINITY;
    spans.push({ finding: other, from, to });
  }
  // Columns count UTF-16 units; rebuild by code unit so offsets stay exact.
  const units = finding.lineText.split('');
  for (const span of spans) {
    const startsHere = span.finding.line === finding.line;
    const keep = startsHere ? visiblePrefixLength(span.finding.secret.length) : 0;
    for (let column = Math.max(span.from + keep, textStart); column < span.to; column++) {
      const index = column - textStart;
      if (index >= units.length) break;
      if (units[index] !== '\r' && units[index] !== '\n') units[index] = MASK;
    }
  }
  return units.join('') as Masked;
}

/** The paired identifier as a finding, so that masking covers it where it shares the line. */
function partnerAsFinding(finding: Finding): Finding {
  const partner = finding.pairedWith;
  if (!partner) return finding;
  return { ...finding, ...partner, pairedWith: undefined };
}

const sourceKey = (finding: Finding): string => `${finding.commit?.sha ?? ''}\0${finding.path}`;

/** Applies redaction to every finding of a report (or releases them all when `redactSecrets` is false). */
export function maskReport(report: Report, redactSecrets: boolean): Report<MaskedFinding> {
  const byFile = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = byFile.get(sourceKey(finding));
    if (list) list.push(finding);
    else byFile.set(sourceKey(finding), [finding]);
  }
  const findings = report.findings.map((finding): MaskedFinding => {
    const show = redactSecrets ? redact : release;
    const pairedWith = finding.pairedWith && {
      ...finding.pairedWith,
      secret: show(finding.pairedWith.secret),
    };
    const { pairedWith: _raw, ...rest } = finding;
    const base = { ...rest, ...(pairedWith && { pairedWith }) };
    if (!redactSecrets)
      return { ...base, secret: release(finding.secret), lineText: release(finding.lineText) };
    // The identifier of a pair is masked on the finding's line too (it may share it).
    const sameFile = [
      ...(byFile.get(sourceKey(finding)) ?? []),
      ...(finding.pairedWith ? [partnerAsFinding(finding)] : []),
    ];
    return { ...base, secret: redact(finding.secret), lineText: maskLine(finding, sameFile) };
  });
  return { ...report, findings };
}
