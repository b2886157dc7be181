import type { VerifyHosts } from '../config/verify-hosts.js';
import type { Report } from '../engine/types.js';
import { parseVerifyHosts } from '../verify/hosts.js';
import { countStatuses, verifyFindings } from '../verify/verify.js';
import type { Io } from './io.js';
import { packageVersion } from './version.js';

/** The User-Agent of every verification request. */
export const userAgent = (): string => `keyfence/${packageVersion()}`;

/**
 * Checks KEYFENCE_VERIFY_HOSTS before anything is scanned, so that a bad entry is a one-line error
 * (exit 2) rather than a late surprise; returns the routes. It may route the hosts the top config
 * lists, too.
 */
export function verifyRoutes(io: Io, hosts: VerifyHosts): ReturnType<typeof parseVerifyHosts> {
  return parseVerifyHosts(io.env.KEYFENCE_VERIFY_HOSTS ?? '', Object.values(hosts).flat());
}

/**
 * Verifies a report's findings (loaded only when verification is on: nothing of it is imported on
 * the pre-commit path), counts the statuses into the summary, and with `onlyVerified` keeps the live
 * findings only, saying how many others there were. Rules from configs are never verified. Hosts
 * the top config lists are named in a note: where secrets go is never a surprise in a log.
 */
export async function verifyReport(
  report: Report,
  io: Io,
  {
    onlyVerified,
    customRules,
    hosts,
    hostsFile,
  }: {
    onlyVerified: boolean;
    customRules: ReadonlySet<string>;
    hosts: VerifyHosts;
    hostsFile: string | undefined;
  },
): Promise<Report> {
  const routes = verifyRoutes(io, hosts);
  const verified = await verifyFindings(report.findings, {
    userAgent: userAgent(),
    routes,
    customRules,
    hosts,
  });
  const counts = countStatuses(verified);
  const notes = [...report.notes];
  const lists = Object.entries(hosts).map(
    ([list, names]) => `${list}: ${names.length > 0 ? names.join(', ') : 'none'}`,
  );
  if (hostsFile !== undefined && lists.length > 0)
    notes.push(`verification asks the hosts ${hostsFile} lists (verify-hosts): ${lists.join('; ')}`);
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
