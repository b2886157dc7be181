/**
 * Inline suppression comments: `keyfence:allow`, optionally followed by rule ids and a reason, and,
 * for teams coming from other scanners, `gitleaks:allow` and detect-secrets' `pragma: allowlist
 * secret`. A marker counts on the finding's own line, or on a comment-only line right before it
 * (for languages where a trailing comment is awkward).
 *
 * After `keyfence:allow`, the words separated by spaces or commas are rule ids for as long as they
 * look like one: a known id, or letters and digits joined by hyphens (`github-tokn`). The first
 * word that does not starts the reason. Without ids, the marker allows every rule; with ids, only
 * the known ones. An unknown id allows nothing (a typo must not hide a finding) and is reported.
 */

const MARKER = /keyfence:allow\b|gitleaks:allow\b|pragma:[ \t]*allowlist[ \t]+secret\b/i;
/** The next word after the marker: separators, then a run of id characters. */
const WORD = /[ \t,]+([a-z0-9_-]+)/iy;
/** What a rule id looks like even when no rule has it: starts with a letter, has a hyphen. */
const ID_SHAPE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;
const COMMENT_ONLY = /^\s*(?:#|\/\/|\/\*|\*|--|;|<!--|%|'|rem\b)/i;

/** What a marker on a line allows: every rule, or the rules it names (and the ids no rule has). */
type Marker = { every: true } | { every: false; ids: string[]; unknown: string[] };

/** The marker on `line`, if any. */
function markerOn(line: string, knownRules: ReadonlySet<string>): Marker | undefined {
  const match = MARKER.exec(line);
  if (!match) return undefined;
  if (!match[0].toLowerCase().startsWith('keyfence')) return { every: true };
  const ids: string[] = [];
  const unknown: string[] = [];
  WORD.lastIndex = match.index + match[0].length;
  let word: RegExpExecArray | null;
  while ((word = WORD.exec(line)) !== null) {
    // A trailing hyphen belongs to a comment's end (`github-pat-->`), not to the id.
    const id = (word[1] ?? '').toLowerCase().replace(/-+$/, '');
    if (knownRules.has(id)) ids.push(id);
    else if (ID_SHAPE.test(id)) unknown.push(id);
    else break;
  }
  return ids.length === 0 && unknown.length === 0 ? { every: true } : { every: false, ids, unknown };
}

/** Takes a warning about an id no rule has, and the marker's line (0-based within the chunk). */
export type UnknownRuleReporter = (lineIndex: number, warning: string) => void;

/** True when the marker on line `lineIndex` covers `ruleId`; unknown ids it names go to `report`. */
function allows(
  marker: Marker,
  lineIndex: number,
  ruleId: string,
  knownRules: ReadonlySet<string>,
  report: UnknownRuleReporter | undefined,
): boolean {
  if (marker.every) return true;
  for (const id of marker.unknown) report?.(lineIndex, unknownRuleWarning(id, ruleId, knownRules));
  return marker.ids.includes(ruleId);
}

/**
 * Whether a finding on line `lineIndex` (0-based within the chunk) is allowed by an inline comment.
 * Rule ids a consulted marker names that no rule has are passed to `report` with a suggestion.
 */
export function allowedInline(
  lines: { text(index: number): string | undefined },
  lineIndex: number,
  ruleId: string,
  knownRules: ReadonlySet<string>,
  report?: UnknownRuleReporter,
): boolean {
  const own = lines.text(lineIndex);
  const ownMarker = own === undefined ? undefined : markerOn(own, knownRules);
  if (ownMarker && allows(ownMarker, lineIndex, ruleId, knownRules, report)) return true;
  const before = lineIndex > 0 ? lines.text(lineIndex - 1) : undefined;
  if (before === undefined || !COMMENT_ONLY.test(before)) return false;
  const beforeMarker = markerOn(before, knownRules);
  return beforeMarker !== undefined && allows(beforeMarker, lineIndex - 1, ruleId, knownRules, report);
}

/** The warning for an unknown id, with the closest known id when one is close enough to be a typo. */
function unknownRuleWarning(id: string, ruleId: string, knownRules: ReadonlySet<string>): string {
  const suggestion = closestId(id, ruleId, knownRules);
  const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
  return `keyfence:allow names an unknown rule "${id}"${hint}, which suppresses nothing`;
}

/**
 * The known id with the fewest edits from `id`, if at most half its length; on a tie, the rule of
 * the finding the marker stands next to, which is most likely what was meant.
 */
function closestId(id: string, ruleId: string, knownRules: ReadonlySet<string>): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const known of [...knownRules].sort()) {
    const distance = editDistance(id, known);
    if (best === undefined || distance < best.distance || (distance === best.distance && known === ruleId))
      best = { id: known, distance };
  }
  return best && best.distance <= Math.ceil(id.length / 2) ? best.id : undefined;
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      current.push(value);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
