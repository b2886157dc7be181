import { scanChunk } from '../engine/scan.js';
import type { SourcedRule } from './catalogue.js';
import { toCatalogueRule } from './catalogue.js';
import { compileRuleSet, pathMatcher } from './compile.js';
import type { CatalogueRule, RuleSet, RuleSpec } from './types.js';
import type { Problem } from './yaml-source.js';

const MIN_EXAMPLES = 3;
const DEFAULT_EXAMPLE_PATH = 'example.txt';

/**
 * One file name a glob selects: stars become `example` and any-directory parts go (a `.netrc` in
 * any directory is `.netrc`, a `.tf` file `example.tf`). Undefined for globs with sets or alternatives.
 */
function concretePath(glob: string): string | undefined {
  const path = glob
    .replace(/^(?:\*\*\/)+/, '')
    .replace(/\/\*\*(?=\/)/g, '')
    .replace(/\*+/g, 'example')
    .replace(/\?/g, 'x');
  return /[[\]{}()!+@\\]/.test(path) || path === '' ? undefined : path;
}

/**
 * The paths a rule's examples are scanned at: one file name for each of its globs that the rule
 * itself selects, so that what a scan reads only in such files (setting views by file type, the
 * rule's own `paths`) reads the examples too; `example.txt` for a rule that runs everywhere.
 * Undefined when no glob gives a name (path regexes only, sets, alternatives).
 */
export function examplePaths(spec: Pick<RuleSpec, 'paths' | 'pathRegexes'>, syntax?: SourcedRule['syntax']): string[] | undefined {
  const selects = pathMatcher(spec.paths, spec.pathRegexes, syntax);
  if (!selects) return [DEFAULT_EXAMPLE_PATH];
  const paths = (spec.paths ?? []).map(concretePath).filter((path): path is string => path !== undefined && selects(path));
  return paths.length > 0 ? [...new Set(paths)] : undefined;
}

function findingsOf(ruleSet: RuleSet, text: string, path: string, ruleId: string) {
  const chunk = { path, content: text, startLine: 1, origin: 'file' as const };
  return scanChunk(chunk, ruleSet).findings.filter((finding) => finding.ruleId === ruleId);
}

const preview = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

/**
 * Runs a rule's executable examples against the whole catalogue (the rule under test replaces any
 * catalogue rule with its id), each at a path the rule selects (`examplePaths`, or a positive's own
 * `path`): every positive yields exactly its secret from this rule, once; no negative yields this
 * rule at any of those paths; every positive contains a keyword; at least three of each.
 */
export function checkRules(
  rules: readonly SourcedRule[],
  catalogue: readonly CatalogueRule[],
  minExamples = MIN_EXAMPLES,
): Problem[] {
  const pathsOf = new Map(rules.map((rule) => [rule.spec.id, examplePaths(rule.spec, rule.syntax)]));
  const tested = new Map(
    rules.map((rule) => {
      const compiled = toCatalogueRule(rule);
      if (pathsOf.get(rule.spec.id)) return [rule.spec.id, compiled];
      // No file name to scan its examples as: they are scanned as example.txt, where the rule must run.
      const { paths: _paths, pathRegexes: _pathRegexes, ...everywhere } = compiled;
      return [rule.spec.id, everywhere];
    }),
  );
  // Rules under test take their catalogue rule's place, so that tie-breaking by catalogue order is unchanged.
  const merged = catalogue.map((rule) => tested.get(rule.id) ?? rule);
  const added = [...tested.values()].filter((rule) => !catalogue.some((existing) => existing.id === rule.id));
  const ruleSet = compileRuleSet([...merged, ...added]);
  const problems: Problem[] = [];
  for (const { spec, file, line, syntax } of rules) {
    const report = (field: string, message: string) =>
      problems.push({ file, line, field: `${spec.id}.${field}`, message });
    const paths = pathsOf.get(spec.id) ?? [DEFAULT_EXAMPLE_PATH];
    const selects = pathMatcher(spec.paths, spec.pathRegexes, syntax);
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
      if (example.path !== undefined && selects && !selects(example.path)) {
        report(field, `path ${JSON.stringify(example.path)} is not one the rule's paths select`);
        return;
      }
      const found = findingsOf(ruleSet, example.text, example.path ?? paths[0] ?? DEFAULT_EXAMPLE_PATH, spec.id);
      if (found.length !== 1 || found[0]?.secret !== example.secret) {
        const got = found.map((finding) => preview(finding.secret)).join(', ') || 'nothing';
        report(field, `expected exactly ${preview(example.secret)}, found ${got}`);
      }
    });
    negative.forEach((text, index) => {
      for (const path of paths) {
        const found = findingsOf(ruleSet, text, path, spec.id);
        if (found.length === 0) continue;
        const where = path === DEFAULT_EXAMPLE_PATH ? '' : ` in ${path} (a file the rule's paths select)`;
        report(`examples.negative[${index}]`, `must not match${where}, found ${preview(found[0]?.secret ?? '')}`);
        break;
      }
    });
  }
  return problems;
}
