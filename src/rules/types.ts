import type { AutomatonSnapshot } from '../engine/aho-corasick.js';
import type { RunEnd, RunEndSpec } from './run-end.js';
/** How bad a leak of this credential is; ordered from worst to least. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank where a larger number is more severe; used for --fail-on and for merging overlaps. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/**
 * The CVSS-like score (0.1–10) of a severity, as SARIF's `security-severity` carries it: inside
 * the band GitHub code scanning reads back as the same severity (see `severityOfScore`).
 */
export const SECURITY_SEVERITY_SCORE: Readonly<Record<Severity, number>> = {
  critical: 9.5,
  high: 8.0,
  medium: 5.5,
  low: 3.0,
};

/** How GitHub code scanning names a `security-severity` score: over 9.0 critical, 7.0 high, 4.0 medium, else low. */
export function severityOfScore(score: number): Severity {
  if (score >= 9.0) return 'critical';
  if (score >= 7.0) return 'high';
  if (score >= 4.0) return 'medium';
  return 'low';
}

/** Secrets, stopwords, paths and commits that suppress a finding; any one of them is enough. */
export interface AllowlistSpec {
  /** Regexes tested against the secret. */
  secrets?: string[];
  /** Regexes tested against the whole regex match (name, operator and value). */
  matches?: string[];
  /** Regexes tested against the line(s) the secret is on. */
  lines?: string[];
  /** Case-insensitive substrings that make a secret a known dummy. */
  stopwords?: string[];
  /** micromatch globs tested against the chunk path. */
  paths?: string[];
  /** Regexes tested against the chunk path (what gitleaks configs use). */
  pathRegexes?: string[];
  /** History scans: commits (full or abbreviated sha) whose findings are allowed. */
  commits?: string[];
}

/**
 * How a finding is identified in ignore files, baselines and reports. `content` hashes the secret.
 * `scoped` hashes the rule and the text around the secret, never the secret: for passwords and
 * other guessable values, whose hash would let anyone confirm a guess.
 */
export type FingerprintKind = 'content' | 'scoped';

/** Pairs a secret with the identifier issued with it (AWS key id + secret access key). */
export interface PairSpec {
  /** Rule id of the identifier. */
  with: string;
  /** Both parts within this many lines of each other. */
  lines: number;
  /** Severity of the pair (the secret alone keeps its own). */
  severity: Severity;
}

/** Where a finding's line and column point: its secret, or the start of the rule's match. */
export type ReportAt = 'secret' | 'match';

/** A positive example: the text to scan and the exact secret the rule must report. */
export interface PositiveExample {
  text: string;
  secret: string;
  /** Optional path the example is scanned as (for rules with path-dependent behaviour). */
  path?: string;
}

/** One rule as written in rules/*.yaml. */
export interface RuleSpec {
  id: string;
  title: string;
  severity: Severity;
  /** Case-insensitive words one of which occurs near every match; empty runs the rule on every chunk. */
  keywords: string[];
  regex: string;
  /** Extra RegExp flags among i, m, s; g and d are always added. */
  flags?: string;
  entropy?: number;
  /** Every match starts at most this many characters before one of the keywords (lets the engine skip the rest). */
  window?: number;
  /**
   * …or at most this many after one (default 0): a rule whose keyword comes before its match, as
   * context a lookbehind reads (`ghost … <key>`), or anywhere in a bounded pair.
   */
  windowAfter?: number;
  validate?: string;
  /**
   * A named extractor (extractors.ts) that finds the secret inside the `secret` group, where a regex
   * would be unreadable or backtrack: a key body inside comment prefixes, string concatenation or
   * log prefixes. The validator then checks what the extractor took out of its container.
   */
  extract?: string;
  /** Where a finding starts: at its secret (default), or at the start of the whole match (a key block's BEGIN line). YAML `report-at`. */
  reportAt?: ReportAt;
  filters?: string[];
  allowlist?: AllowlistSpec;
  /** The rule runs only on paths matching one of these globs (or path regexes). */
  paths?: string[];
  pathRegexes?: string[];
  fingerprint?: FingerprintKind;
  /** The identifier this secret is issued with: found nearby, the two are reported as one finding. */
  pair?: PairSpec;
  /** The `secretType` ids of GitHub secret scanning that this rule finds (YAML `github-types`). */
  githubTypes?: string[];
  remediation: string;
  references: string[];
  examples: { positive: PositiveExample[]; negative: string[] };
}

/**
 * The regex dialect of a rule and its allowlists. Built-in rules are JavaScript regexes, proven
 * linear by their adversarial inputs; regexes from configs (custom rules, allowlists, translated
 * gitleaks rules) are RE2, run by a linear-time engine, so that no pattern can stall a scan.
 */
export type RegexSyntax = 'js' | 're2';

/** A rule spec plus where it came from; what the bundle stores (without examples). */
export interface CatalogueRule extends Omit<RuleSpec, 'examples'> {
  /** Provider name: the basename of the rules file (`generic` for heuristics). */
  provider: string;
  /** Absent for built-in rules (JavaScript); `re2` for rules from configs. */
  syntax?: RegexSyntax;
  /**
   * Set by the bundle for rules with a window: the regex read as a run and a tail (run-end.ts), or
   * null when it does not read as one. Absent elsewhere: the engine works it out on first use.
   */
  runEnd?: RunEndSpec | null;
  /**
   * The characters a match can start with (window.ts, leadingCharSet: a CharSet's words), worked
   * out at build time for the built-in rules with a window; null where no such set is known.
   */
  firstChars?: number[] | null;
  /**
   * For rules with a wide window: what a match can start with by the character before it (window.ts,
   * StartsAfter, its sets as CharSet words); null where that says no more than firstChars.
   */
  startsAfter?: { sets: number[][]; first: number[][] } | null;
}

/** What the engine uses of a regex: a global or sticky RegExp, or a LinearRegex (RE2). */
export interface RuleRegex {
  lastIndex: number;
  exec(text: string): RegExpExecArray | null;
  test(text: string): boolean;
}

/** The pre-built rules bundle written by the build. */
export interface RuleBundle {
  version: 1;
  rules: CatalogueRule[];
  /** The keyword automaton of these rules, saved by the build; its table is in keywords.bin beside. */
  automaton?: AutomatonSnapshot;
}

/** The most of a match's line that filters see before it (minified lines can be megabytes long). */
export const LINE_BEFORE_LIMIT = 2000;

/** What a filter or validator may look at besides the secret. */
export interface MatchContext {
  /** The full regex match (name, operator and value for assignment rules). */
  match: string;
  /** Character immediately before the secret, or '' at the start of the chunk. */
  before: string;
  /** Character immediately after the secret, or '' at the end of the chunk. */
  after: string;
  /** Text of the match's line before the match, at most LINE_BEFORE_LIMIT characters (clipped when longer). */
  lineBefore: string;
  path: string;
}

/** Structural check on a candidate secret; false drops the candidate. */
export type Validator = (secret: string) => boolean;

/** The secret an extractor found in a rule's `secret` group: its span there, and what the validator checks. */
export interface Extracted {
  /** Offsets in the group's text; end exclusive. */
  start: number;
  end: number;
  /** The secret without its container (a key body without comment markers, quotes or log prefixes). */
  value: string;
}

/** Finds the secret in a rule's `secret` group (undefined drops the match); `lineBefore` is the match's line before the match. */
export type Extractor = (text: string, context: { lineBefore: string }) => Extracted | undefined;
/** False-positive heuristic; false drops the candidate. */
export type Filter = (secret: string, context: MatchContext) => boolean;

/** Allowlist ready to apply. */
export interface CompiledAllowlist {
  secrets: RuleRegex[];
  matches: RuleRegex[];
  lines: RuleRegex[];
  stopwords: string[];
  paths: ((path: string) => boolean) | undefined;
  /** Whether a commit sha is allowlisted; undefined when no commits are listed. */
  commits: ((sha: string) => boolean) | undefined;
}

/** A rule ready for the engine. */
export interface CompiledRule {
  id: string;
  title: string;
  severity: Severity;
  provider: string;
  /** Heuristic rules lose overlaps against provider rules. */
  generic: boolean;
  /** Position in the catalogue; earlier wins exact ties. */
  index: number;
  keywords: string[];
  regex: RuleRegex;
  /** The same regex, sticky: tried at chosen offsets when `window` is set (never for RE2 rules). */
  stickyRegex: RuleRegex;
  /**
   * The regex has a `(?<secret>…)` group. Rules translated from gitleaks may not: their secret
   * is the first non-empty capturing group, or the whole match.
   */
  namedSecret: boolean;
  window: number | undefined;
  /** The window the catalogue states, without working one out from the regex (`window` does). */
  statedWindow: number | undefined;
  /** How far after a keyword a match may start, with a window (RuleSpec.windowAfter; 0 by default). */
  windowAfter: number;
  /**
   * ASCII characters (by code) that, just before an offset, rule out a match starting there (the
   * regex's leading `(?<![…])`); the engine skips such offsets without running the regex.
   */
  excludedBefore: Uint8Array | undefined;
  /** The characters a match can start with, by code unit (128: any non-ASCII one); see window.ts, leadingChars. */
  firstChars: Uint8Array | undefined;
  /** What a match can start with by the character before it (window.ts, startsAfterTable), for rules with a wide window. */
  startsAfter: { classOf: Uint8Array; starts: Uint8Array } | undefined;
  /** An assignment's name starts the match: one offset per keyword, the start of its name run (window.ts). */
  startsAtNameRun: boolean;
  /**
   * The regex as a run of characters and a tail that starts where the run ends (run-end.ts), when
   * it reads as one: an offset whose run ends where the tail cannot match is skipped.
   */
  runEnd: RunEnd | undefined;
  entropy: number | undefined;
  validate: Validator | undefined;
  extract: Extractor | undefined;
  reportAt: ReportAt;
  filters: Filter[];
  allowlist: CompiledAllowlist;
  /** Where the rule runs; undefined means every path. */
  paths: ((path: string) => boolean) | undefined;
  fingerprint: FingerprintKind;
  pair: PairSpec | undefined;
  remediation: string;
  references: string[];
}

/** The rules the engine runs, plus the allowlist that applies to all of them. */
export interface RuleSet {
  rules: CompiledRule[];
  allowlist: CompiledAllowlist;
}

/** The rule set for a chunk: one for the whole scan, or one per directory (nested configs). */
export type RuleSetFor = (path: string) => RuleSet | Promise<RuleSet>;
