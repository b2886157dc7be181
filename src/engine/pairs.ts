import type { PairSpec } from '../rules/types.js';
import type { Finding } from './types.js';

/**
 * Merges each secret with the identifier issued with it when both are near each other in the same
 * chunk (an AWS secret access key and its access key id): one finding, at the secret, with the
 * pair's severity and the identifier named in `pairedWith`. A lone half keeps its own finding.
 */
export function pairFindings(findings: readonly Finding[], pairs: ReadonlyMap<string, PairSpec>): Finding[] {
  if (findings.length < 2 || pairs.size === 0) return [...findings];
  const absorbed = new Set<Finding>();
  const merged = new Map<Finding, Finding>();
  for (const finding of findings) {
    const pair = pairs.get(finding.ruleId);
    if (!pair) continue;
    let partner: Finding | undefined;
    for (const other of findings) {
      if (other.ruleId !== pair.with || absorbed.has(other)) continue;
      const distance = Math.abs(other.line - finding.line);
      if (distance > pair.lines) continue;
      if (!partner || distance < Math.abs(partner.line - finding.line)) partner = other;
    }
    if (!partner) continue;
    absorbed.add(partner);
    const { ruleId, line, column, endLine, endColumn, secret, fingerprint } = partner;
    merged.set(finding, {
      ...finding,
      severity: pair.severity,
      pairedWith: { ruleId, line, column, endLine, endColumn, secret, fingerprint },
    });
  }
  return findings
    .filter((finding) => !absorbed.has(finding))
    .map((finding) => merged.get(finding) ?? finding);
}
