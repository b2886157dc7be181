import type { Report } from '../engine/types.js';
import { parseVerifyHosts } from '../verify/hosts.js';
import { countStatuses, verifyFindings } from '../verify/verify.js';
import type { Io } from './io.js';
import { packageVersion } from './version.js';

/** The User-Agent of every verification request. */
export const userAgent = (): string => `keyfence/${packageVersion()}`;

/**
 * Checks KEYFENCE_VERIFY_HOSTS before anything is scanned, so that a bad entry is a one-line error
 * (exit 2) rather than a late surprise; returns the routes.
 */
export function verifyRoutes(io: Io): ReturnType<typeof parseVerifyHosts> {
  return parseVerifyHosts(io.env.KEYFENCE_VERIFY_HOSTS ?? '');
}

/**
 * Verifies a report's findings (loaded only when verification is on: nothing of it is imported on
 * the pre-commit path), counts the statuses into the summary, and with `onlyVerified` keeps the live
 * findings only, saying how many others there were. Rules from configs are never verified.
 */
export async function verifyReport(
  report: Report,
  io: Io,
  { onlyVerified, customRules }: { onlyVerified: boolean; customRules: ReadonlySet<string> },
): Promise<Report> {
  const routes = verifyRoutes(io);
  const verified = await verifyFindings(report.findings, { userAgent: userAgent(), routes, customRules });
  const counts = countStatuses(verified);
  const notes = [...report.notes];
  let findings = verified;
  if (onlyVerified) {
    findings = verified.filter((finding) => finding.verification?.status === 'live');
    const hidden = verified.length - findings.length;
    if (hidden > 0)
      notes.push(
        `--only-verified: ${hidden} finding(s) not shown (${counts.revoked} revoked, ${counts.unknown} unverified)`,
      );
  }
  return { ...report, findings, notes, summary: { ...report.summary, verification: counts } };
}
