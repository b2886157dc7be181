/**
 * Inline suppression comments: `keyfence:allow`, optionally followed by rule ids and a reason, and,
 * for teams coming from other scanners, `gitleaks:allow` and detect-secrets' `pragma: allowlist
 * secret`. A marker counts on the finding's own line, or on a comment-only line right before it
 * (for languages where a trailing comment is awkward).
 *
 * After `keyfence:allow`, the words separated by spaces or commas are rule ids for as long as they
 * look like one: a known id, or letters and digits joined by hyphens (`github-tokn`), up to
 * MAX_IDS of them. The first word that does not starts the reason. Without ids, the marker allows
 * every rule; with ids, only the known ones. An unknown id allows nothing (a typo must not hide a
 * finding) and is reported.
 */
import { detached } from './detached.js';

const MARKER = /keyfence:allow\b|gitleaks:allow\b|pragma:[ \t]*allowlist[ \t]+secret\b/i;
/** The next word after the marker: separators, then a run of id characters no longer than an id can be. */
const WORD = /[ \t,]+([a-z0-9_-]{1,80})(?![a-z0-9_-])/iy;
/** What a rule id looks like even when no rule has it: starts with a letter, has a hyphen. */
const ID_SHAPE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;
/** Ids read after one marker: bounds the work a hostile line can cause. */
const MAX_IDS = 16;
/** Warnings about unknown ids given in full per chunk; the rest are counted. */
const MAX_WARNINGS = 10;
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
  while (ids.length + unknown.length < MAX_IDS && (word = WORD.exec(line)) !== null) {
    // A trailing hyphen belongs to a comment's end (`github-pat-->`), not to the id.
    const id = (word[1] ?? '').toLowerCase().replace(/-+$/, '');
    if (knownRules.has(id)) ids.push(id);
    else if (ID_SHAPE.test(id)) unknown.push(id);
    else break;
  }
  return ids.length === 0 && unknown.length === 0 ? { every: true } : { every: false, ids, unknown };
}

/**
 * The warnings of one chunk about ids no rule has: each id once per line, the first MAX_WARNINGS
 * in full with a suggestion, then how many more (a hostile file must not make keyfence compare
 * every word in it with every rule id).
 */
export class UnknownRuleWarnings {
  private readonly seen = new Set<string>();
  private readonly texts: string[] = [];

  private secrets: readonly string[] | undefined;

  /**
   * `secretsOf`: the chunk's secrets (as found and as written), lower-cased, asked for only when a
   * warning is written: a word after a marker can be one (`# keyfence:allow xoxb-…`), and a
   * warning is not masked, so it never quotes one.
   */
  constructor(
    private readonly chunk: { path: string; startLine: number },
    private readonly knownRules: ReadonlySet<string>,
    private readonly secretsOf: () => readonly string[] = () => [],
  ) {}

  /** Notes that the marker on line `lineIndex` names `id`, next to a finding of `ruleId`. */
  add(lineIndex: number, id: string, ruleId: string): void {
    const key = `${lineIndex}:${id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.texts.length >= MAX_WARNINGS) return;
    const where = `${this.chunk.path}:${this.chunk.startLine + lineIndex}`;
    this.secrets ??= this.secretsOf();
    const warning = this.secrets.some(
      (secret) => secret !== '' && (secret.includes(id) || id.includes(secret)),
    )
      ? 'keyfence:allow is followed by a secret found in this file, not by rule ids, so it suppresses nothing'
      : unknownRuleWarning(id, ruleId, this.knownRules);
    this.texts.push(detached(`warning: ${where}: ${warning}`));
  }

  /** The warnings, or undefined when there are none. */
  list(): string[] | undefined {
    const more = this.seen.size - this.texts.length;
    if (more === 0) return this.texts.length > 0 ? this.texts : undefined;
    return [
      ...this.texts,
      `warning: ${this.chunk.path}: ${more} more unknown rule ids in keyfence:allow comments`,
    ];
  }
}

/** True when the marker on line `lineIndex` covers `ruleId`; unknown ids it names go to `warnings`. */
function allows(
  marker: Marker,
  lineIndex: number,
  ruleId: string,
  warnings: UnknownRuleWarnings | undefined,
): boolean {
  if (marker.every) return true;
  for (const id of marker.unknown) warnings?.add(lineIndex, id, ruleId);
  return marker.ids.includes(ruleId);
}

/**
 * Whether a finding on line `lineIndex` (0-based within the chunk) is allowed by an inline comment.
 * Rule ids a consulted marker names that no rule has are added to `warnings`.
 */
export function allowedInline(
  lines: { text(index: number): string | undefined },
  lineIndex: number,
  ruleId: string,
  knownRules: ReadonlySet<string>,
  warnings?: UnknownRuleWarnings,
): boolean {
  const own = lines.text(lineIndex);
  const ownMarker = own === undefined ? undefined : markerOn(own, knownRules);
  if (ownMarker && allows(ownMarker, lineIndex, ruleId, warnings)) return true;
  const before = lineIndex > 0 ? lines.text(lineIndex - 1) : undefined;
  if (before === undefined || !COMMENT_ONLY.test(before)) return false;
  const beforeMarker = markerOn(before, knownRules);
  return beforeMarker !== undefined && allows(beforeMarker, lineIndex - 1, ruleId, warnings);
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
  const limit = Math.ceil(id.length / 2);
  let best: { id: string; distance: number } | undefined;
  for (const known of [...knownRules].sort()) {
    // The length difference is a lower bound of the distance: most ids need no comparison.
    if (Math.abs(known.length - id.length) > Math.min(limit, best?.distance ?? limit)) continue;
    const distance = editDistance(id, known);
    if (best === undefined || distance < best.distance || (distance === best.distance && known === ruleId))
      best = { id: known, distance };
  }
  return best && best.distance <= limit ? best.id : undefined;
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
