import type { RuleSet } from '../rules/types.js';

/** Finds, in one pass over a text, which of a rule set's keywords occur in it. */
type KeywordFinder = (content: string) => Set<string>;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One case-insensitive alternation, longest keywords first. After each hit the search resumes one
 * character later, so overlapping keywords are found too; keywords contained in a found keyword
 * (`secret` in `client_secret`) are added without another search.
 */
function buildFinder(keywords: readonly string[]): KeywordFinder {
  const unique = [...new Set(keywords)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  if (unique.length === 0) return () => new Set();
  const contained = new Map(
    unique.map((keyword) => [keyword, unique.filter((other) => keyword.includes(other))]),
  );
  const pattern = new RegExp(unique.map(escape).join('|'), 'gi');
  return (content) => {
    const found = new Set<string>();
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(content)) !== null) {
      const keyword = match[0].toLowerCase();
      if (!found.has(keyword)) for (const inner of contained.get(keyword) ?? [keyword]) found.add(inner);
      pattern.lastIndex = match.index + 1;
    }
    return found;
  };
}

const finders = new WeakMap<RuleSet, KeywordFinder>();

/** The keywords of `ruleSet` that occur in `content` (lower-case). The finder is built once per rule set. */
export function keywordsIn(ruleSet: RuleSet, content: string): Set<string> {
  let finder = finders.get(ruleSet);
  if (!finder) {
    finder = buildFinder(ruleSet.rules.flatMap((rule) => rule.keywords));
    finders.set(ruleSet, finder);
  }
  return finder(content);
}
