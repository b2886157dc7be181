import { createHash } from 'node:crypto';

/**
 * Content-addressed identity of a finding: the rule id and a short hash of (rule id, secret).
 * It does not depend on path, line or commit, so it survives moves, re-indentation and rebases.
 */
export function fingerprint(ruleId: string, secret: string): string {
  const digest = createHash('sha256').update(ruleId).update('\0').update(secret).digest('hex');
  return `${ruleId}:${digest.slice(0, 16)}`;
}
