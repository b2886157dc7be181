import type { RuleSet } from '../rules/types.js';
import { KeywordAutomaton, type KeywordHits } from './aho-corasick.js';

const automata = new WeakMap<RuleSet, KeywordAutomaton>();

/**
 * Where the keywords of `ruleSet` occur in `content` (lower-case keys). One pass of an
 * Aho–Corasick automaton, built once per rule set.
 */
export function keywordsIn(ruleSet: RuleSet, content: string): KeywordHits {
  let automaton = automata.get(ruleSet);
  if (!automaton) {
    automaton = new KeywordAutomaton(ruleSet.rules.flatMap((rule) => rule.keywords));
    automata.set(ruleSet, automaton);
  }
  return automaton.search(content);
}
