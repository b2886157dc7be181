import {
  SEVERITIES,
  type AllowlistSpec,
  type FingerprintKind,
  type PairSpec,
  type ReportAt,
  type RuleSpec,
  type Severity,
} from './types.js';
import { VALIDATORS } from './validators.js';
import { MAX_WINDOW } from './window.js';
import { EXTRACTORS } from './extractors.js';
import { FILTERS } from './filter-registry.js';
import { Checker, type Path, type Problem, type YamlSource } from './yaml-source.js';

const RULE_KEYS = new Set([
  'id',
  'title',
  'severity',
  'keywords',
  'regex',
  'flags',
  'entropy',
  'window',
  'window-after',
  'validate',
  'extract',
  'report-at',
  'filters',
  'allowlist',
  'paths',
  'path-regexes',
  'fingerprint',
  'pair',
  'github-types',
  'remediation',
  'references',
  'examples',
]);
const ALLOWLIST_KEYS = new Set(['secrets', 'matches', 'lines', 'stopwords', 'paths', 'path-regexes', 'commits']);
const FINGERPRINT_KINDS = ['content', 'scoped'];
const REPORT_AT = ['secret', 'match'];
const EXAMPLE_KEYS = new Set(['positive', 'negative']);
const POSITIVE_KEYS = new Set(['text', 'secret', 'path']);
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Checks a list of regexes; undefined when absent. */
function checkRegexes(checker: Checker, value: unknown, path: Path): string[] | undefined {
  const list = checker.strings(value, path, false);
  list?.forEach((pattern, index) => {
    // A leading flag group (`(?i)abc`) is RE2 syntax; for JavaScript regexes userRegex turns it into flags.
    const lead = checker.regexSyntax === 'js' ? /^\(\?([ims]+)\)/.exec(pattern) : null;
    checker.regex(lead ? pattern.slice(lead[0].length) : pattern, [...path, index], lead?.[1] ?? '');
  });
  return list;
}

/** Checks an allowlist mapping (rules, configs and overrides share it). */
export function checkAllowlist(checker: Checker, value: unknown, path: Path): AllowlistSpec | undefined {
  if (value === undefined) return undefined;
  const record = checker.object(value, path, ALLOWLIST_KEYS);
  if (!record) return undefined;
  const secrets = checkRegexes(checker, record.secrets, [...path, 'secrets']);
  const matches = checkRegexes(checker, record.matches, [...path, 'matches']);
  const lines = checkRegexes(checker, record.lines, [...path, 'lines']);
  const stopwords = checker.strings(record.stopwords, [...path, 'stopwords'], false);
  const paths = checker.strings(record.paths, [...path, 'paths'], false);
  const pathRegexes = checkRegexes(checker, record['path-regexes'], [...path, 'path-regexes']);
  if (Array.isArray(record.commits)) {
    record.commits.forEach((commit, index) => {
      // An unquoted sha of digits (or like 1e5) is a YAML number, and its leading zeros are lost.
      if (typeof commit === 'number') checker.report([...path, 'commits', index], 'a commit sha must be quoted (YAML reads this one as a number)');
    });
  }
  const commits = checker.strings(
    Array.isArray(record.commits) ? record.commits.filter((commit) => typeof commit !== 'number') : record.commits,
    [...path, 'commits'],
    false,
  );
  commits?.forEach((commit, index) => {
    if (!/^[0-9a-f]{7,64}$/i.test(commit)) checker.report([...path, 'commits', index], 'expected a commit sha (at least 7 hex digits)');
  });
  return {
    ...(secrets && { secrets }),
    ...(matches && { matches }),
    ...(lines && { lines }),
    ...(stopwords && { stopwords }),
    ...(paths && { paths }),
    ...(pathRegexes && { pathRegexes }),
    ...(commits && { commits }),
  };
}

function checkExamples(checker: Checker, value: unknown, path: Path, required: boolean): RuleSpec['examples'] {
  const examples: RuleSpec['examples'] = { positive: [], negative: [] };
  const record = value === undefined ? undefined : checker.object(value, path, EXAMPLE_KEYS);
  if (!record) {
    if (value === undefined && required) checker.report(path, 'is required');
    return examples;
  }
  if (!Array.isArray(record.positive)) {
    if (required || record.positive !== undefined) checker.report([...path, 'positive'], 'expected a list of {text, secret}');
  } else {
    record.positive.forEach((item, index) => {
      const itemPath = [...path, 'positive', index];
      const example = checker.object(item, itemPath, POSITIVE_KEYS);
      if (!example) return;
      const text = checker.string(example.text, [...itemPath, 'text'], true);
      const secret = checker.string(example.secret, [...itemPath, 'secret'], true);
      const examplePath = checker.string(example.path, [...itemPath, 'path'], false);
      if (text !== undefined && secret !== undefined) {
        examples.positive.push({ text, secret, ...(examplePath !== undefined && { path: examplePath }) });
      }
    });
  }
  examples.negative = checker.strings(record.negative, [...path, 'negative'], required) ?? [];
  return examples;
}

const PAIR_KEYS = new Set(['with', 'lines', 'severity']);

function checkPair(checker: Checker, value: unknown, path: Path): PairSpec | undefined {
  if (value === undefined) return undefined;
  const record = checker.object(value, path, PAIR_KEYS);
  if (!record) return undefined;
  const partner = checker.string(record.with, [...path, 'with'], true);
  const lines = record.lines;
  if (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 0 || lines > 100) {
    checker.report([...path, 'lines'], 'expected a whole number of lines between 0 and 100');
  }
  const severity = checker.string(record.severity, [...path, 'severity'], true);
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
    checker.report([...path, 'severity'], `expected one of ${SEVERITIES.join(', ')}`);
  }
  if (partner === undefined || typeof lines !== 'number' || severity === undefined) return undefined;
  return { with: partner, lines, severity: severity as Severity };
}

/**
 * How strict the check is: catalogue rules need keywords, remediation, references and examples;
 * custom rules in a config need only id, severity and regex (what they lack gets a default).
 */
export type RuleStrictness = 'catalogue' | 'custom';

const DEFAULT_REMEDIATION =
  'Revoke and rotate this credential at its issuer, then read it from an environment variable or secret manager.';

/** Checks one rule mapping against the schema; returns the typed rule when it is well-formed. */
export function checkRuleShape(
  checker: Checker,
  value: unknown,
  path: Path,
  strictness: RuleStrictness = 'catalogue',
): RuleSpec | undefined {
  const strict = strictness === 'catalogue';
  const before = checker.problems.length;
  const record = checker.object(value, path, RULE_KEYS);
  if (!record) return undefined;
  const id = checker.string(record.id, [...path, 'id'], true);
  if (id !== undefined && !ID.test(id)) checker.report([...path, 'id'], `"${id}" is not kebab-case`);
  const title = checker.string(record.title, [...path, 'title'], strict);
  const severity = checker.string(record.severity, [...path, 'severity'], true);
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
    checker.report([...path, 'severity'], `expected one of ${SEVERITIES.join(', ')}`);
  }
  const keywords = checker.strings(record.keywords, [...path, 'keywords'], strict);
  // A keyword-less rule runs on every chunk: in the catalogue only when `paths` limits where.
  if (strict && keywords?.length === 0 && record.paths === undefined) {
    checker.report([...path, 'keywords'], 'needs at least one keyword (or paths that limit where the rule runs)');
  }
  // Every keyword is sought in every file, whatever its rule's paths: `"` as a path-limited rule's
  // keyword took three quarters of the keyword search's hits over source code (BENCHMARKS.md).
  if (strict && keywords?.some((keyword) => keyword.length < 2)) {
    checker.report(
      [...path, 'keywords'],
      'a one-character keyword occurs in nearly every file and costs every scan: use a longer literal, or no keywords and paths',
    );
  }
  const flags = checker.string(record.flags, [...path, 'flags'], false);
  if (flags !== undefined && !/^[ims]+$/.test(flags)) checker.report([...path, 'flags'], 'only i, m and s are allowed');
  const regexText = checker.string(record.regex, [...path, 'regex'], true);
  const compiles = checker.regex(regexText, [...path, 'regex'], flags ?? '', id);
  if (strict && compiles && !/\(\?<secret>/.test(regexText ?? '')) checker.report([...path, 'regex'], 'needs a named group (?<secret>…)');
  if (record.entropy !== undefined && (typeof record.entropy !== 'number' || record.entropy < 0 || record.entropy > 8)) {
    checker.report([...path, 'entropy'], 'expected a number between 0 and 8 (bits per character)');
  }
  const distance = (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_WINDOW;
  if (record.window !== undefined && !distance(record.window)) {
    checker.report([...path, 'window'], `expected a whole number of characters between 0 and ${MAX_WINDOW}`);
  } else if (record.window !== undefined && (keywords ?? []).length === 0) {
    checker.report([...path, 'window'], 'needs keywords: the window is measured from a keyword');
  }
  const after = record['window-after'];
  if (after !== undefined && !distance(after)) {
    checker.report([...path, 'window-after'], `expected a whole number of characters between 0 and ${MAX_WINDOW}`);
  } else if (after !== undefined && record.window === undefined) {
    checker.report([...path, 'window-after'], 'needs window: how far before a keyword a match may start');
  }
  const validate = checker.string(record.validate, [...path, 'validate'], false);
  if (validate !== undefined && !(validate in VALIDATORS)) {
    checker.report([...path, 'validate'], `unknown validator (known: ${Object.keys(VALIDATORS).join(', ')})`);
  }
  const extract = checker.string(record.extract, [...path, 'extract'], false);
  if (extract !== undefined && !(extract in EXTRACTORS)) {
    checker.report([...path, 'extract'], `unknown extractor (known: ${Object.keys(EXTRACTORS).join(', ')})`);
  }
  const reportAt = checker.string(record['report-at'], [...path, 'report-at'], false);
  if (reportAt !== undefined && !REPORT_AT.includes(reportAt)) {
    checker.report([...path, 'report-at'], `expected one of ${REPORT_AT.join(', ')}`);
  }
  const filters = checker.strings(record.filters, [...path, 'filters'], false);
  filters?.forEach((name, index) => {
    if (!(name in FILTERS)) {
      checker.report([...path, 'filters', index], `unknown filter (known: ${Object.keys(FILTERS).join(', ')})`);
    }
  });
  const allowlist = checkAllowlist(checker, record.allowlist, [...path, 'allowlist']);
  const paths = checker.strings(record.paths, [...path, 'paths'], false);
  const pathRegexes = checkRegexes(checker, record['path-regexes'], [...path, 'path-regexes']);
  const fingerprint = checker.string(record.fingerprint, [...path, 'fingerprint'], false);
  if (fingerprint !== undefined && !FINGERPRINT_KINDS.includes(fingerprint)) {
    checker.report([...path, 'fingerprint'], `expected one of ${FINGERPRINT_KINDS.join(', ')}`);
  }
  const pair = checkPair(checker, record.pair, [...path, 'pair']);
  const githubTypes = checker.strings(record['github-types'], [...path, 'github-types'], false);
  githubTypes?.forEach((type, index) => {
    if (!/^[a-z0-9_]+$/.test(type)) {
      checker.report([...path, 'github-types', index], 'expected a secretType id of GitHub secret scanning (lower case, digits, _)');
    }
  });
  const remediation = checker.string(record.remediation, [...path, 'remediation'], strict);
  const references = checker.strings(record.references, [...path, 'references'], strict);
  if (strict && references?.length === 0) checker.report([...path, 'references'], 'needs at least one URL');
  const examples = checkExamples(checker, record.examples, [...path, 'examples'], strict);
  if (checker.problems.length > before) return undefined;
  return {
    id: id ?? '',
    title: title ?? id ?? '',
    severity: severity as RuleSpec['severity'],
    keywords: keywords ?? [],
    regex: regexText ?? '',
    ...(flags !== undefined && { flags }),
    ...(typeof record.entropy === 'number' && { entropy: record.entropy }),
    ...(typeof record.window === 'number' && { window: record.window }),
    ...(typeof record['window-after'] === 'number' && { windowAfter: record['window-after'] }),
    ...(validate !== undefined && { validate }),
    ...(extract !== undefined && { extract }),
    ...(reportAt !== undefined && { reportAt: reportAt as ReportAt }),
    ...(filters && { filters }),
    ...(allowlist && { allowlist }),
    ...(paths && { paths }),
    ...(pathRegexes && { pathRegexes }),
    ...(fingerprint !== undefined && { fingerprint: fingerprint as FingerprintKind }),
    ...(pair && { pair }),
    ...(githubTypes && githubTypes.length > 0 && { githubTypes }),
    remediation: remediation ?? DEFAULT_REMEDIATION,
    references: references ?? [],
    examples,
  };
}

/** A rules file checked against the schema: the well-formed rules and every problem found. */
export interface CheckedRuleFile {
  rules: { spec: RuleSpec; line: number }[];
  problems: Problem[];
}

/** Checks the `rules:` list of a parsed rules file. */
export function checkRuleFileShape(source: YamlSource): CheckedRuleFile {
  if (source.syntaxProblems.length > 0) return { rules: [], problems: source.syntaxProblems };
  const checker = new Checker(source);
  const root = checker.object(source.value ?? null, [], new Set(['rules']));
  const rules: CheckedRuleFile['rules'] = [];
  if (root) {
    if (!Array.isArray(root.rules) || root.rules.length === 0) checker.report(['rules'], 'expected a non-empty list of rules');
    else {
      root.rules.forEach((value, index) => {
        const spec = checkRuleShape(checker, value, ['rules', index]);
        if (spec) rules.push({ spec, line: source.lineOf(['rules', index]) });
      });
    }
  }
  return { rules, problems: checker.problems };
}
