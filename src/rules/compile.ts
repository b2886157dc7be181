import micromatch from 'micromatch';
import { FILTERS } from './filters.js';
import { VALIDATORS } from './validators.js';
import type { AllowlistSpec, CatalogueRule, CompiledAllowlist, CompiledRule, RuleSet } from './types.js';

/** The provider name of heuristic rules that lose overlaps to provider rules. */
export const GENERIC_PROVIDER = 'generic';

/** One predicate for a list of globs (dotfiles included); undefined when the list is empty. */
export function globMatcher(patterns: readonly string[]): ((path: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const matchers = patterns.map((pattern) => micromatch.matcher(pattern, { dot: true }));
  return (path) => matchers.some((matches) => matches(path));
}

/** Compiles allowlist globs and regexes once. */
export function compileAllowlist(spec: AllowlistSpec | undefined): CompiledAllowlist {
  return {
    secrets: (spec?.secrets ?? []).map((pattern) => new RegExp(pattern)),
    stopwords: (spec?.stopwords ?? []).map((word) => word.toLowerCase()),
    paths: globMatcher(spec?.paths ?? []),
  };
}

/** Compiles one catalogue rule; assumes it passed the schema check. */
export function compileRule(rule: CatalogueRule, index: number): CompiledRule {
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    provider: rule.provider,
    generic: rule.provider === GENERIC_PROVIDER,
    index,
    keywords: rule.keywords.map((keyword) => keyword.toLowerCase()),
    regex: new RegExp(rule.regex, `${rule.flags ?? ''}gd`),
    stickyRegex: new RegExp(rule.regex, `${rule.flags ?? ''}yd`),
    window: rule.window,
    entropy: rule.entropy,
    validate: rule.validate === undefined ? undefined : VALIDATORS[rule.validate],
    filters: (rule.filters ?? []).flatMap((name) => FILTERS[name] ?? []),
    allowlist: compileAllowlist(rule.allowlist),
    remediation: rule.remediation,
    references: rule.references,
  };
}

/** Compiles a catalogue and a global allowlist into the set the engine runs. */
export function compileRuleSet(rules: readonly CatalogueRule[], allowlist?: AllowlistSpec): RuleSet {
  return { rules: rules.map(compileRule), allowlist: compileAllowlist(allowlist) };
}
