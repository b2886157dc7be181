import type { RuleSet } from '../rules/types.js';
import { KeywordAutomaton, type KeywordHits } from './aho-corasick.js';

const automata = new WeakMap<RuleSet, KeywordAutomaton>();
let prebuilt: { automaton: KeywordAutomaton; keywords: ReadonlySet<string> } | undefined;

/**
 * Uses `automaton` (the built-in catalogue's, saved at build time) for every rule set whose
 * keywords it holds, as long as they are most of its keywords: the occurrences of keywords of rules
 * a set does not have are simply unused.
 */
export function usePrebuiltAutomaton(automaton: KeywordAutomaton): void {
  prebuilt = { automaton, keywords: new Set(automaton.keywords) };
}

/**
 * Where the keywords of `ruleSet` occur in `content` (lower-case keys). One pass of an
 * Aho–Corasick automaton, built once per rule set (or the catalogue's, saved at build time).
 */
export function keywordsIn(ruleSet: RuleSet, content: string): KeywordHits {
  let automaton = automata.get(ruleSet);
  if (!automaton) {
    const keywords = new Set(ruleSet.rules.flatMap((rule) => rule.keywords));
    const known = prebuilt?.keywords;
    // A set with a few of the catalogue's keywords (one rule being checked) gets its own small
    // automaton: the catalogue's would also track every other keyword's occurrences.
    const shared =
      known !== undefined &&
      keywords.size * 2 >= known.size &&
      [...keywords].every((keyword) => known.has(keyword));
    automaton = shared && prebuilt ? prebuilt.automaton : new KeywordAutomaton([...keywords]);
    automata.set(ruleSet, automaton);
  }
  return automaton.search(content);
}
