import type { Finding } from '../engine/types.js';
import type { Baseline } from './baseline.js';
import type { IgnoreEntry } from './ignore-file.js';

/** What applying ignore entries and a baseline did. */
export interface Suppression {
  findings: Finding[];
  ignored: number;
  baselined: number;
  /** Entries that matched no finding (expired ones are listed separately). */
  unused: IgnoreEntry[];
  /** Entries past their `until` date; they no longer suppress. */
  expired: IgnoreEntry[];
}

const covers = (entry: IgnoreEntry, finding: Finding): boolean =>
  (entry.fingerprint === undefined || entry.fingerprint === finding.fingerprint) &&
  (entry.rules === undefined || entry.rules.includes(finding.ruleId)) &&
  entry.inScope(finding.path);

/**
 * Drops findings covered by a live ignore entry or by the baseline. `today` is YYYY-MM-DD (UTC);
 * an entry suppresses through its `until` day.
 */
export function applySuppression(
  findings: readonly Finding[],
  entries: readonly IgnoreEntry[],
  baseline: Baseline | undefined,
  today: string,
): Suppression {
  const expired = entries.filter((entry) => entry.until !== undefined && entry.until < today);
  const live = entries.filter((entry) => !expired.includes(entry));
  const used = new Set<IgnoreEntry>();
  const kept: Finding[] = [];
  let ignored = 0;
  let baselined = 0;
  for (const finding of findings) {
    const entry = live.find((candidate) => covers(candidate, finding));
    if (entry) {
      used.add(entry);
      ignored++;
    } else if (baseline?.accepts(finding)) baselined++;
    else kept.push(finding);
  }
  return { findings: kept, ignored, baselined, unused: live.filter((entry) => !used.has(entry)), expired };
}
