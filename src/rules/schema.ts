import { SEVERITIES, type RuleSpec } from './types.js';
import { VALIDATORS } from './validators.js';
import { FILTERS } from './filters.js';
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
  'validate',
  'filters',
  'allowlist',
  'remediation',
  'references',
  'examples',
]);
const ALLOWLIST_KEYS = new Set(['secrets', 'stopwords', 'paths']);
const EXAMPLE_KEYS = new Set(['positive', 'negative']);
const POSITIVE_KEYS = new Set(['text', 'secret', 'path']);
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function checkAllowlist(checker: Checker, value: unknown, path: Path): RuleSpec['allowlist'] {
  if (value === undefined) return undefined;
  const record = checker.object(value, path, ALLOWLIST_KEYS);
  if (!record) return undefined;
  const secrets = checker.strings(record.secrets, [...path, 'secrets'], false);
  secrets?.forEach((pattern, index) => checker.regex(pattern, [...path, 'secrets', index]));
  const stopwords = checker.strings(record.stopwords, [...path, 'stopwords'], false);
  const paths = checker.strings(record.paths, [...path, 'paths'], false);
  return {
    ...(secrets && { secrets }),
    ...(stopwords && { stopwords }),
    ...(paths && { paths }),
  };
}

function checkExamples(checker: Checker, value: unknown, path: Path): RuleSpec['examples'] {
  const examples: RuleSpec['examples'] = { positive: [], negative: [] };
  const record = value === undefined ? undefined : checker.object(value, path, EXAMPLE_KEYS);
  if (!record) {
    if (value === undefined) checker.report(path, 'is required');
    return examples;
  }
  if (!Array.isArray(record.positive)) checker.report([...path, 'positive'], 'expected a list of {text, secret}');
  else {
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
  examples.negative = checker.strings(record.negative, [...path, 'negative'], true) ?? [];
  return examples;
}

/** Checks one rule mapping against the schema; returns the typed rule when it is well-formed. */
function checkRuleShape(checker: Checker, value: unknown, path: Path): RuleSpec | undefined {
  const before = checker.problems.length;
  const record = checker.object(value, path, RULE_KEYS);
  if (!record) return undefined;
  const id = checker.string(record.id, [...path, 'id'], true);
  if (id !== undefined && !ID.test(id)) checker.report([...path, 'id'], `"${id}" is not kebab-case`);
  const title = checker.string(record.title, [...path, 'title'], true);
  const severity = checker.string(record.severity, [...path, 'severity'], true);
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
    checker.report([...path, 'severity'], `expected one of ${SEVERITIES.join(', ')}`);
  }
  const keywords = checker.strings(record.keywords, [...path, 'keywords'], true);
  if (keywords?.length === 0) checker.report([...path, 'keywords'], 'needs at least one keyword');
  const flags = checker.string(record.flags, [...path, 'flags'], false);
  if (flags !== undefined && !/^[ims]+$/.test(flags)) checker.report([...path, 'flags'], 'only i, m and s are allowed');
  const regexText = checker.string(record.regex, [...path, 'regex'], true);
  const regex = checker.regex(regexText, [...path, 'regex'], flags ?? '');
  if (regex && !/\(\?<secret>/.test(regex.source)) checker.report([...path, 'regex'], 'needs a named group (?<secret>…)');
  if (record.entropy !== undefined && (typeof record.entropy !== 'number' || record.entropy < 0 || record.entropy > 8)) {
    checker.report([...path, 'entropy'], 'expected a number between 0 and 8 (bits per character)');
  }
  if (
    record.window !== undefined &&
    (typeof record.window !== 'number' || !Number.isInteger(record.window) || record.window < 0 || record.window > 1000)
  ) {
    checker.report([...path, 'window'], 'expected a whole number of characters between 0 and 1000');
  }
  const validate = checker.string(record.validate, [...path, 'validate'], false);
  if (validate !== undefined && !(validate in VALIDATORS)) {
    checker.report([...path, 'validate'], `unknown validator (known: ${Object.keys(VALIDATORS).join(', ')})`);
  }
  const filters = checker.strings(record.filters, [...path, 'filters'], false);
  filters?.forEach((name, index) => {
    if (!(name in FILTERS)) {
      checker.report([...path, 'filters', index], `unknown filter (known: ${Object.keys(FILTERS).join(', ')})`);
    }
  });
  const allowlist = checkAllowlist(checker, record.allowlist, [...path, 'allowlist']);
  const remediation = checker.string(record.remediation, [...path, 'remediation'], true);
  const references = checker.strings(record.references, [...path, 'references'], true);
  if (references?.length === 0) checker.report([...path, 'references'], 'needs at least one URL');
  const examples = checkExamples(checker, record.examples, [...path, 'examples']);
  if (checker.problems.length > before) return undefined;
  return {
    id: id ?? '',
    title: title ?? '',
    severity: severity as RuleSpec['severity'],
    keywords: keywords ?? [],
    regex: regexText ?? '',
    ...(flags !== undefined && { flags }),
    ...(typeof record.entropy === 'number' && { entropy: record.entropy }),
    ...(typeof record.window === 'number' && { window: record.window }),
    ...(validate !== undefined && { validate }),
    ...(filters && { filters }),
    ...(allowlist && { allowlist }),
    remediation: remediation ?? '',
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
