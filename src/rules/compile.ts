import { memoized } from '../memo.js';
import { micromatch } from './micromatch-loader.js';
import { impliedWindow, leadingExclusion, startsAtNameRun } from './window.js';
import { fromSpec, runEnd, type RunEnd } from './run-end.js';
import { FILTERS } from './filter-registry.js';
import { VALIDATORS } from './validators.js';
import { EXTRACTORS } from './extractors.js';
import { LinearRegex } from './linear-regex.js';
import type {
  AllowlistSpec,
  CatalogueRule,
  CompiledAllowlist,
  CompiledRule,
  RegexSyntax,
  RuleRegex,
  RuleSet,
} from './types.js';

/** The provider name of heuristic rules that lose overlaps to provider rules. */
export const GENERIC_PROVIDER = 'generic';

/** One predicate for a list of globs (dotfiles included); undefined when the list is empty. */
export function globMatcher(patterns: readonly string[]): ((path: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const matchers = patterns.map(globPredicate);
  return (path) => matchers.some((matches) => matches(path));
}

/** A file name in any directory: two stars, a slash, then a name without glob characters. */
const ANY_DIRECTORY_NAME = /^\*\*\/([^*?[\]{}()!+@/\\]+)$/;
/** A file extension in any directory: two stars, a slash, a star, then `.ext` without glob characters. */
const ANY_DIRECTORY_EXTENSION = /^\*\*\/\*(\.[^*?[\]{}()!+@/\\]+)$/;

/**
 * One glob as a predicate. A file name or extension in any directory (the built-in rules' kinds)
 * is a suffix test; anything else loads micromatch, on first use only: the pre-commit path should not pay 10 ms
 * to load it for nothing.
 */
function globPredicate(pattern: string): (path: string) => boolean {
  const name = ANY_DIRECTORY_NAME.exec(pattern)?.[1];
  if (name !== undefined) return (path) => path === name || path.endsWith(`/${name}`);
  // As micromatch with dot: true, the star may be empty (`.lock` matches `*.lock`).
  const extension = ANY_DIRECTORY_EXTENSION.exec(pattern)?.[1];
  if (extension !== undefined) return (path) => path.endsWith(extension);
  let compiled: ((path: string) => boolean) | undefined;
  return (path) => {
    compiled ??= micromatch().matcher(pattern, { dot: true });
    return compiled(path);
  };
}

/**
 * A regex from a rules file or a config. JavaScript ones may start with a flag group as in RE2 and
 * PCRE: `(?i)abc` compiles to /abc/i (allowlist entries have no other place for flags). RE2 ones
 * (from configs) run on the linear-time engine, which reads such groups itself.
 */
export function userRegex(text: string, syntax: RegexSyntax = 'js'): RuleRegex {
  if (syntax === 're2') return new LinearRegex(text);
  const lead = /^\(\?([ims]+)\)/.exec(text);
  return lead ? new RegExp(text.slice(lead[0].length), lead[1]) : new RegExp(text);
}

/** One predicate for path globs and path regexes together; undefined when both are empty. */
export function pathMatcher(
  globs: readonly string[] = [],
  regexes: readonly string[] = [],
  syntax: RegexSyntax = 'js',
): ((path: string) => boolean) | undefined {
  const byGlob = globMatcher(globs);
  const patterns = regexes.map((regex) => userRegex(regex, syntax));
  if (patterns.length === 0) return byGlob && memoized(byGlob);
  return memoized((path) => byGlob?.(path) === true || patterns.some((pattern) => pattern.test(path)));
}

/** Matches full shas against listed full or abbreviated ones (at least 7 hex digits). */
function commitMatcher(commits: readonly string[]): ((sha: string) => boolean) | undefined {
  if (commits.length === 0) return undefined;
  const listed = commits.map((commit) => commit.toLowerCase());
  return (sha) => listed.some((commit) => sha.startsWith(commit));
}

/** The allowlist of a rule without one (most of the catalogue's): one object, not one per rule. */
const NO_ALLOWLIST: CompiledAllowlist = Object.freeze({
  secrets: [],
  matches: [],
  lines: [],
  stopwords: [],
  paths: undefined,
  commits: undefined,
});

/** Compiles allowlist globs and regexes once (RE2 regexes for allowlists from configs). */
export function compileAllowlist(spec: AllowlistSpec | undefined, syntax: RegexSyntax = 'js'): CompiledAllowlist {
  if (spec === undefined) return NO_ALLOWLIST;
  const regexes = (list: string[] | undefined) => (list ?? []).map((regex) => userRegex(regex, syntax));
  return {
    secrets: regexes(spec.secrets),
    matches: regexes(spec.matches),
    lines: regexes(spec.lines),
    stopwords: (spec.stopwords ?? []).map((word) => word.toLowerCase()),
    paths: pathMatcher(spec.paths, spec.pathRegexes, syntax),
    commits: commitMatcher(spec.commits ?? []),
  };
}

/**
 * Compiles one catalogue rule; assumes it passed the schema check (so its regex compiles). The
 * regexes and the implied window are made on first use: a pre-commit scan runs a few dozen of the
 * 254 rules, and making all of them cost about 4 ms of every start-up.
 */
export function compileRule(rule: CatalogueRule, index: number): CompiledRule {
  const syntax = rule.syntax ?? 'js';
  let regex: RuleRegex | undefined;
  let stickyRegex: RuleRegex | undefined;
  let window: { value: number | undefined } | undefined;
  let excluded: { table: Uint8Array | undefined } | undefined;
  let nameRun: boolean | undefined;
  let ends: { value: RunEnd | undefined } | undefined;
  let named: boolean | undefined;
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    provider: rule.provider,
    generic: rule.provider === GENERIC_PROVIDER,
    index,
    keywords: rule.keywords.map((keyword) => keyword.toLowerCase()),
    get regex() {
      regex ??=
        syntax === 're2' ? new LinearRegex(rule.regex, rule.flags) : new RegExp(rule.regex, `${rule.flags ?? ''}gd`);
      return regex;
    },
    get stickyRegex() {
      // RE2 rules have no window, so the engine never asks them for a sticky regex.
      stickyRegex ??= syntax === 're2' ? this.regex : new RegExp(rule.regex, `${rule.flags ?? ''}yd`);
      return stickyRegex;
    },
    get namedSecret() {
      named ??= /\(\?P?<secret>/.test(rule.regex);
      return named;
    },
    get window() {
      // RE2 rules run over the whole chunk: the linear-time engine has no sticky mode, and a search
      // from each offset near a keyword would scan on past it.
      window ??= {
        value:
          syntax === 're2'
            ? undefined
            : (rule.window ?? impliedWindow(rule.regex, rule.keywords.map((keyword) => keyword.toLowerCase()))),
      };
      return window.value;
    },
    get excludedBefore() {
      excluded ??= { table: syntax === 're2' ? undefined : leadingExclusion(rule.regex, rule.flags) };
      return excluded.table;
    },
    get startsAtNameRun() {
      nameRun ??= syntax === 'js' && startsAtNameRun(rule.regex);
      return nameRun;
    },
    get runEnd() {
      ends ??= {
        value:
          syntax !== 'js' || rule.runEnd === null
            ? undefined
            : rule.runEnd
              ? fromSpec(rule.runEnd, rule.regex, rule.flags)
              : runEnd(rule.regex, rule.flags),
      };
      return ends.value;
    },
    statedWindow: syntax === 're2' ? undefined : rule.window,
    entropy: rule.entropy,
    validate: rule.validate === undefined ? undefined : VALIDATORS[rule.validate],
    extract: rule.extract === undefined ? undefined : EXTRACTORS[rule.extract],
    reportAt: rule.reportAt ?? 'secret',
    filters: (rule.filters ?? []).flatMap((name) => FILTERS[name] ?? []),
    allowlist: compileAllowlist(rule.allowlist, syntax),
    paths: pathMatcher(rule.paths, rule.pathRegexes, syntax),
    fingerprint: rule.fingerprint ?? 'content',
    pair: rule.pair,
    remediation: rule.remediation,
    references: rule.references,
  };
}

/** Compiles a catalogue and a global allowlist into the set the engine runs. */
export function compileRuleSet(rules: readonly CatalogueRule[], allowlist?: AllowlistSpec): RuleSet {
  return { rules: rules.map(compileRule), allowlist: compileAllowlist(allowlist) };
}
