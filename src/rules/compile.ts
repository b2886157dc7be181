import { memoized } from '../memo.js';
import { micromatch } from './micromatch-loader.js';
import { impliedWindow, leadingChars, leadingExclusion, startsAfterTable, startsAtNameRun } from './window.js';
import { fromSpec, runEnd, type RunEnd } from './run-end.js';
import { tableOf } from './regex-parts.js';
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

/**
 * A keyword that starts with a name character, and so lies in an assignment's name (`hasło` too); one
 * that starts otherwise (`"yc`, `= yc`) is read at the start of the value.
 */
const NAME_KEYWORD = /^[\w.-]/;

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
  if (name !== undefined) {
    const below = `/${name}`;
    return (path) => path === name || path.endsWith(below);
  }
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

/**
 * Allowlists compiled from the catalogue, by their spec: the generic rules share one (the
 * lockfiles), so that its paths are tested, and remembered, once per path rather than once per rule.
 */
const catalogueAllowlists = new Map<string, CompiledAllowlist>();

/** Compiles allowlist globs and regexes once (RE2 regexes for allowlists from configs). */
export function compileAllowlist(spec: AllowlistSpec | undefined, syntax: RegexSyntax = 'js'): CompiledAllowlist {
  if (spec === undefined) return NO_ALLOWLIST;
  if (syntax !== 'js') return compileAllowlistNow(spec, syntax);
  const key = JSON.stringify(spec);
  let compiled = catalogueAllowlists.get(key);
  if (!compiled) {
    compiled = compileAllowlistNow(spec, syntax);
    catalogueAllowlists.set(key, compiled);
  }
  return compiled;
}

function compileAllowlistNow(spec: AllowlistSpec, syntax: RegexSyntax): CompiledAllowlist {
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
 * A compiled catalogue rule. The regexes and what the engine derives from them (the implied
 * window, the run end, ...) are made on first use: a pre-commit scan runs a few dozen of the
 * catalogue's rules. Lazy parts are getters on the prototype, not on each object: an object
 * literal with seven getters and their closures cost 4 ms for 644 rules at every start-up.
 * Copies with changes go through `ruleWith`, which keeps the prototype.
 */
class CatalogueCompiledRule implements CompiledRule {
  readonly id: string;
  readonly severity: CompiledRule['severity'];
  readonly provider: string;
  readonly generic: boolean;
  readonly keywords: string[];
  readonly statedWindow: number | undefined;
  readonly windowAfter: number;
  readonly entropy: number | undefined;
  readonly validate: CompiledRule['validate'];
  readonly extract: CompiledRule['extract'];
  readonly reportAt: CompiledRule['reportAt'];
  readonly filters: CompiledRule['filters'];
  readonly allowlist: CompiledAllowlist;
  readonly paths: CompiledRule['paths'];
  readonly fingerprint: CompiledRule['fingerprint'];
  readonly pair: CompiledRule['pair'];
  // Made on first use (undefined: not yet; null: made, and there is none).
  private madeRegex: RuleRegex | undefined;
  private madeStickyRegex: RuleRegex | undefined;
  private madeNamedSecret: boolean | undefined;
  private madeWindow: number | null | undefined;
  private madeExcludedBefore: Uint8Array | null | undefined;
  private madeFirstChars: Uint8Array | null | undefined;
  private madeStartsAfter: { classOf: Uint8Array; starts: Uint8Array } | null | undefined;
  private madeStartsAtNameRun: boolean | undefined;
  private madeRunEnd: RunEnd | null | undefined;

  constructor(
    private readonly source: CatalogueRule,
    readonly index: number,
  ) {
    const re2 = source.syntax === 're2';
    this.id = source.id;
    this.severity = source.severity;
    this.provider = source.provider;
    this.generic = source.provider === GENERIC_PROVIDER;
    this.keywords = source.keywords.map((keyword) => keyword.toLowerCase());
    this.statedWindow = re2 ? undefined : source.window;
    this.windowAfter = source.windowAfter ?? 0;
    this.entropy = source.entropy;
    this.validate = source.validate === undefined ? undefined : VALIDATORS[source.validate];
    this.extract = source.extract === undefined ? undefined : EXTRACTORS[source.extract];
    this.reportAt = source.reportAt ?? 'secret';
    this.filters = (source.filters ?? []).flatMap((name) => FILTERS[name] ?? []);
    this.allowlist = compileAllowlist(source.allowlist, source.syntax ?? 'js');
    this.paths = pathMatcher(source.paths, source.pathRegexes, source.syntax ?? 'js');
    this.fingerprint = source.fingerprint ?? 'content';
    this.pair = source.pair;
  }

  // Descriptions are read from the catalogue when a report asks (catalogue.ts: describeLazily).
  get title(): string {
    return this.source.title;
  }

  get remediation(): string {
    return this.source.remediation;
  }

  get references(): string[] {
    return this.source.references;
  }

  private get re2(): boolean {
    return this.source.syntax === 're2';
  }

  get regex(): RuleRegex {
    const { regex, flags } = this.source;
    this.madeRegex ??= this.re2 ? new LinearRegex(regex, flags) : new RegExp(regex, `${flags ?? ''}gd`);
    return this.madeRegex;
  }

  get stickyRegex(): RuleRegex {
    // RE2 rules have no window, so the engine never asks them for a sticky regex.
    this.madeStickyRegex ??= this.re2
      ? this.regex
      : new RegExp(this.source.regex, `${this.source.flags ?? ''}yd`);
    return this.madeStickyRegex;
  }

  get namedSecret(): boolean {
    this.madeNamedSecret ??= /\(\?P?<secret>/.test(this.source.regex);
    return this.madeNamedSecret;
  }

  get window(): number | undefined {
    // RE2 rules run over the whole chunk: the linear-time engine has no sticky mode, and a search
    // from each offset near a keyword would scan on past it.
    // `??=` would not do: it works the answer out again where it is none (null).
    if (this.madeWindow === undefined)
      this.madeWindow = this.re2 ? null : (this.source.window ?? impliedWindow(this.source.regex, this.keywords) ?? null);
    return this.madeWindow ?? undefined;
  }

  get excludedBefore(): Uint8Array | undefined {
    if (this.madeExcludedBefore === undefined)
      this.madeExcludedBefore = this.re2 ? null : (leadingExclusion(this.source.regex, this.source.flags) ?? null);
    return this.madeExcludedBefore ?? undefined;
  }

  get firstChars(): Uint8Array | undefined {
    if (this.madeFirstChars === undefined) {
      const { firstChars: spec, regex, flags } = this.source;
      this.madeFirstChars =
        this.re2 || spec === null
          ? null
          : spec
            ? tableOf(Uint32Array.from(spec))
            : (leadingChars(regex, flags) ?? null);
    }
    return this.madeFirstChars ?? undefined;
  }

  get startsAfter(): { classOf: Uint8Array; starts: Uint8Array } | undefined {
    if (this.madeStartsAfter === undefined) {
      const spec = this.source.startsAfter;
      this.madeStartsAfter = spec
        ? startsAfterTable({ sets: spec.sets.map((set) => Uint32Array.from(set)), first: spec.first.map((set) => Uint32Array.from(set)) })
        : null;
    }
    return this.madeStartsAfter ?? undefined;
  }

  get startsAtNameRun(): boolean {
    // A keyword read at the start of the value (`"yc`, `= yc`): the run of name characters before it
    // is not where the match starts.
    this.madeStartsAtNameRun ??=
      (this.source.syntax ?? 'js') === 'js' &&
      this.keywords.every((keyword) => NAME_KEYWORD.test(keyword)) &&
      startsAtNameRun(this.source.regex);
    return this.madeStartsAtNameRun;
  }

  get runEnd(): RunEnd | undefined {
    const { syntax = 'js', runEnd: spec, regex, flags } = this.source;
    if (this.madeRunEnd === undefined)
      this.madeRunEnd =
        syntax !== 'js' || spec === null ? null : ((spec ? fromSpec(spec, regex, flags) : runEnd(regex, flags)) ?? null);
    return this.madeRunEnd ?? undefined;
  }
}

/** Compiles one catalogue rule; assumes it passed the schema check (so its regex compiles). */
export function compileRule(rule: CatalogueRule, index: number): CompiledRule {
  return new CatalogueCompiledRule(rule, index);
}

/**
 * A compiled rule with some settings changed (a config's paths, severity, allowlist), its lazy
 * parts kept: a spread (`{ ...rule }`) would run every getter, and lose them on a class.
 */
export function ruleWith(rule: CompiledRule, changes: Partial<CompiledRule>): CompiledRule {
  const copy = Object.create(Object.getPrototypeOf(rule) as object) as CompiledRule;
  return Object.assign(copy, rule, changes);
}

/** Compiles a catalogue and a global allowlist into the set the engine runs. */
export function compileRuleSet(rules: readonly CatalogueRule[], allowlist?: AllowlistSpec): RuleSet {
  return { rules: rules.map(compileRule), allowlist: compileAllowlist(allowlist) };
}
