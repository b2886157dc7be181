import type { Finding, Report, SecretSpan } from '../engine/types.js';
import { clip, MAX_REPORTED_LINE } from './line-window.js';

declare const masked: unique symbol;
/** Text that has passed through redaction (or was explicitly released with --no-redact). */
export type Masked = string & { readonly [masked]: true };

/** A finding as reporters see it: secret and line text are Masked (and the spans they were masked by are gone). */
export interface MaskedFinding extends Omit<
  Finding,
  'secret' | 'lineText' | 'pairedWith' | 'lineSecrets' | 'commit'
> {
  secret: Masked;
  lineText: Masked;
  pairedWith?: Omit<NonNullable<Finding['pairedWith']>, 'secret'> & { secret: Masked };
  commit?: Omit<NonNullable<Finding['commit']>, 'message' | 'messageSecrets'> & { message: Masked };
}

/**
 * Most characters of a commit's author name or e-mail a report shows. A commit's fields are
 * printed beside each of its findings: a commit of a megabyte-long subject and a thousand secrets
 * made a gigabyte report, past the longest string Node can make.
 */
const MAX_COMMIT_NAME = 200;

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

/** Where a finding's secret lies: from its own start when the finding starts before it (a key block's BEGIN line). */
const spanOf = ({ line, column, secretStart, endLine, endColumn, secret }: Finding): SecretSpan => ({
  line: secretStart?.line ?? line,
  column: secretStart?.column ?? column,
  endLine,
  endColumn,
  length: secret.length,
});

/**
 * Masks, in a line of text (line `line`, its first character at column `textStart`), every secret
 * the engine listed there, suppressed ones too. A secret shows at most its own short prefix, and
 * only where no other secret's masked part covers it.
 */
function maskLine(text: string, line: number, textStart: number, secrets: readonly SecretSpan[]): Masked {
  // Columns count UTF-16 units; rebuild by code unit so offsets stay exact.
  const units = text.split('');
  for (const secret of secrets) {
    if (secret.line > line || secret.endLine < line) continue;
    const startsHere = secret.line === line;
    const from = startsHere ? secret.column + visiblePrefixLength(secret.length) : 1;
    const to = secret.endLine === line ? secret.endColumn : Number.POSITIVE_INFINITY;
    for (let column = Math.max(from, textStart); column < to; column++) {
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
  return { ...finding, ...partner, secretStart: undefined, pairedWith: undefined };
}

/** Applies redaction to every finding of a report (or releases them all when `redactSecrets` is false). */
export function maskReport(report: Report, redactSecrets: boolean): Report<MaskedFinding> {
  const findings = report.findings.map((finding): MaskedFinding => {
    const show = redactSecrets ? redact : release;
    const pairedWith = finding.pairedWith && {
      ...finding.pairedWith,
      secret: show(finding.pairedWith.secret),
    };
    const { pairedWith: _raw, lineSecrets: _spans, commit: rawCommit, ...rest } = finding;
    // Cut after masking, as quoted lines are: a cut never shows more of a secret.
    const commit =
      rawCommit &&
      (({ messageSecrets, ...info }) => ({
        ...info,
        author: clip(info.author, MAX_COMMIT_NAME),
        email: clip(info.email, MAX_COMMIT_NAME),
        message: clip(
          redactSecrets ? maskLine(info.message, 1, 1, messageSecrets ?? []) : info.message,
          MAX_REPORTED_LINE,
        ) as Masked,
      }))(rawCommit);
    const base = { ...rest, ...(pairedWith && { pairedWith }), ...(commit && { commit }) };
    if (!redactSecrets)
      return { ...base, secret: release(finding.secret), lineText: release(finding.lineText) };
    // The engine lists every secret on the line; the finding's own and its pair's are added for
    // findings made by other means.
    const secrets = [
      ...finding.lineSecrets,
      spanOf(finding),
      ...(finding.pairedWith ? [spanOf(partnerAsFinding(finding))] : []),
    ];
    return {
      ...base,
      secret: redact(finding.secret),
      lineText: maskLine(finding.lineText, finding.line, finding.lineTextColumn, secrets),
    };
  });
  return { ...report, findings };
}
