import { scanChunk } from '../engine/scan.js';
import type { SourcedRule } from './catalogue.js';
import { toCatalogueRule } from './catalogue.js';
import { compileRuleSet } from './compile.js';
import type { CatalogueRule, RuleSet } from './types.js';
import type { Problem } from './yaml-source.js';

const MIN_EXAMPLES = 3;
const DEFAULT_EXAMPLE_PATH = 'example.txt';

function findingsOf(ruleSet: RuleSet, text: string, path: string, ruleId: string) {
  const chunk = { path, content: text, startLine: 1, origin: 'file' as const };
  return scanChunk(chunk, ruleSet).findings.filter((finding) => finding.ruleId === ruleId);
}

const preview = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

/**
 * Runs a rule's executable examples against the whole catalogue (the rule under test replaces any
 * catalogue rule with its id): every positive yields exactly its secret from this rule, once; no
 * negative yields this rule; every positive contains a keyword; at least three of each.
 */
export function checkRules(
  rules: readonly SourcedRule[],
  catalogue: readonly CatalogueRule[],
  minExamples = MIN_EXAMPLES,
): Problem[] {
  // Examples show what a rule matches; where it runs (paths) is not theirs to test.
  const tested = new Map(
    rules.map((rule) => {
      const { paths: _paths, pathRegexes: _pathRegexes, ...matching } = toCatalogueRule(rule);
      return [rule.spec.id, matching];
    }),
  );
  // Rules under test take their catalogue rule's place, so that tie-breaking by catalogue order is unchanged.
  const merged = catalogue.map((rule) => tested.get(rule.id) ?? rule);
  const added = [...tested.values()].filter((rule) => !catalogue.some((existing) => existing.id === rule.id));
  const ruleSet = compileRuleSet([...merged, ...added]);
  const problems: Problem[] = [];
  for (const { spec, file, line } of rules) {
    const report = (field: string, message: string) =>
      problems.push({ file, line, field: `${spec.id}.${field}`, message });
    const { positive, negative } = spec.examples;
    if (positive.length < minExamples) report('examples.positive', `needs at least ${minExamples} examples`);
    if (negative.length < minExamples) report('examples.negative', `needs at least ${minExamples} examples`);
    positive.forEach((example, index) => {
      const field = `examples.positive[${index}]`;
      const lower = example.text.toLowerCase();
      if (spec.keywords.length > 0 && !spec.keywords.some((keyword) => lower.includes(keyword.toLowerCase()))) {
        report(field, `contains none of the keywords ${spec.keywords.join(', ')}`);
      }
      if (!example.text.includes(example.secret)) report(field, 'text does not contain the secret');
      const found = findingsOf(ruleSet, example.text, example.path ?? DEFAULT_EXAMPLE_PATH, spec.id);
      if (found.length !== 1 || found[0]?.secret !== example.secret) {
        const got = found.map((finding) => preview(finding.secret)).join(', ') || 'nothing';
        report(field, `expected exactly ${preview(example.secret)}, found ${got}`);
      }
    });
    negative.forEach((text, index) => {
      const found = findingsOf(ruleSet, text, DEFAULT_EXAMPLE_PATH, spec.id);
      if (found.length > 0) report(`examples.negative[${index}]`, `must not match, found ${preview(found[0]?.secret ?? '')}`);
    });
  }
  return problems;
}
