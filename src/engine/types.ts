import type { Severity } from '../rules/types.js';
import type { CommitInfo, Origin, Skip } from '../sources/types.js';

/** A secret found in a chunk. Lines and columns are 1-based; columns count UTF-16 code units. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  path: string;
  line: number;
  column: number;
  endLine: number;
  /** Exclusive: the column just after the secret's last character (the SARIF convention). */
  endColumn: number;
  secret: string;
  /**
   * Where the secret starts, when the finding starts before it: a key block is reported at its BEGIN
   * marker (line, column) while its secret is the body on the lines after.
   */
  secretStart?: { line: number; column: number };
  /** The finding's first line, clipped around it when the line is very long. */
  lineText: string;
  /** Column of lineText[0] in the real line (1 unless the line was clipped). */
  lineTextColumn: number;
  /** The real line goes on after lineText (it was clipped on the right). */
  lineContinues?: boolean;
  /**
   * Every secret a rule matched on this finding's line, this one included, whether it is reported
   * or suppressed (allowlist, inline allow, ignore file, baseline): redaction masks them all.
   */
  lineSecrets: SecretSpan[];
  entropy: number;
  fingerprint: string;
  origin: Origin;
  /** The identifier issued with this secret, found nearby: the two are one finding (see rule `pair`). */
  pairedWith?: PairedPart;
  /** The secret was found by decoding the text at this position (which is then base64, not the secret). */
  encoding?: 'base64' | 'hex';
  commit?: CommitInfo;
  /** History scans: the secret is no longer in the file at the tip, but stays in the history. */
  removedFromTip?: boolean;
  /** History scans: how many commits and paths the same secret appears in (set when occurrences are collapsed). */
  occurrences?: { commits: number; paths: number };
  /** What the provider said of the secret, when verification was asked for (--verify). */
  verification?: Verification;
}

/** live: the provider accepts the secret; revoked: it rejects it; unknown: no answer that tells. */
export type VerificationStatus = 'live' | 'revoked' | 'unknown';

/** The outcome of asking a secret's provider whether it accepts it. The reason never holds the secret. */
export interface Verification {
  status: VerificationStatus;
  reason: string;
  /** ISO 8601 time of the answer (or of giving up). */
  checkedAt: string;
}

/** Where a matched secret lies (1-based, end column exclusive, as in Finding). */
export interface SecretSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Length of the secret, which bounds the prefix redaction may show (a decoded secret's, for encoded text). */
  length: number;
}

/** The other half of a paired credential. */
export interface PairedPart {
  ruleId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  secret: string;
  fingerprint: string;
}

/** Rule metadata reporters need beside findings. */
export interface RuleInfo {
  id: string;
  title: string;
  severity: Severity;
  provider: string;
  remediation: string;
  references: string[];
}

/** Why a finding was not reported. */
export type SuppressionKind = 'inline' | 'allowlist' | 'ignore' | 'baseline';

/** What was scanned; always reported so that a scan of nothing never looks like a pass. */
export interface ScanSummary {
  files: number;
  commits: number;
  chunks: number;
  bytes: number;
  /** Findings suppressed in all, and by what. */
  suppressed: number;
  suppressedBy: Record<SuppressionKind, number>;
  skipped: Skip[];
  durationMs: number;
  /** Worker threads that scanned part of the input (0: all of it on the main thread). */
  workers: number;
  /** Findings by verification status, when verification was asked for. */
  verification?: Record<VerificationStatus, number>;
  /** Why the scan stopped before it saw everything (a deadline); absent when it finished. */
  incomplete?: string;
}

/** Everything a reporter needs. */
export interface Report<F = Finding> {
  findings: F[];
  rules: Record<string, RuleInfo>;
  summary: ScanSummary;
  /** What was scanned, e.g. `directory .` or `stdin`. */
  target: string;
  /** Facts the user must see with the summary: nothing staged, shallow history. */
  notes: string[];
}
