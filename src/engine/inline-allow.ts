/**
 * Inline suppression comments: `keyfence:allow` (optionally `keyfence:allow rule-id[,rule-id]`,
 * anything else after it is a reason), and, for teams coming from other scanners, `gitleaks:allow`
 * and detect-secrets' `pragma: allowlist secret`. A marker counts on the finding's own line, or on
 * a comment-only line right before it (for languages where a trailing comment is awkward).
 */

const MARKER =
  /keyfence:allow\b([ \t]+[a-z0-9]+(?:-[a-z0-9]+)*(?:[ \t]*,[ \t]*[a-z0-9]+(?:-[a-z0-9]+)*)*)?|gitleaks:allow\b|pragma:[ \t]*allowlist[ \t]+secret\b/i;
const COMMENT_ONLY = /^\s*(?:#|\/\/|\/\*|\*|--|;|<!--|%|'|rem\b)/i;

/** True when `line` carries a marker that covers `ruleId` (known rule ids tell scoped markers from reasons). */
function allows(line: string, ruleId: string, knownRules: ReadonlySet<string>): boolean {
  const match = MARKER.exec(line);
  if (!match) return false;
  const ids = match[1]?.split(',').map((id) => id.trim());
  if (ids === undefined || !ids.every((id) => knownRules.has(id))) return true;
  return ids.includes(ruleId);
}

/** Whether a finding on line `lineIndex` (0-based within the chunk) is allowed by an inline comment. */
export function allowedInline(
  lines: { text(index: number): string | undefined },
  lineIndex: number,
  ruleId: string,
  knownRules: ReadonlySet<string>,
): boolean {
  const own = lines.text(lineIndex);
  if (own !== undefined && allows(own, ruleId, knownRules)) return true;
  const before = lineIndex > 0 ? lines.text(lineIndex - 1) : undefined;
  return before !== undefined && COMMENT_ONLY.test(before) && allows(before, ruleId, knownRules);
}
