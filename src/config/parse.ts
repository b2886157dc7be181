import { KeyfenceError } from '../errors.js';
import { checkAllowlist, checkRuleShape } from '../rules/schema.js';
import { SEVERITIES, type AllowlistSpec, type CatalogueRule, type Severity } from '../rules/types.js';
import type { SourcedRule } from '../rules/catalogue.js';
import { Checker, formatProblem, parseYaml, type Path } from '../rules/yaml-source.js';
import { emptyLayer, type ConfigLayer, type Origin, type RuleOverride } from './layer.js';
import { checkVerifyHosts } from './verify-hosts.js';

const TOP_KEYS = new Set([
  'extends',
  'allowlist',
  'rules',
  'max-file-size',
  'fail-on',
  'verify',
  'verify-hosts',
]);
const RULES_KEYS = new Set(['disable', 'enable', 'overrides', 'custom']);
const OVERRIDE_KEYS = new Set(['severity', 'entropy', 'paths', 'allowlist']);

/** The provider name custom rules are reported under. */
export const CUSTOM_PROVIDER = 'custom';

/** A parsed config layer and its custom rules with their examples (checked by the loader). */
export interface ParsedConfig {
  layer: ConfigLayer;
  customSources: SourcedRule[];
}

function fieldOf(path: Path): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}

function checkOverride(
  checker: Checker,
  value: unknown,
  path: Path,
  origin: Origin,
): RuleOverride | undefined {
  const record = checker.object(value, path, OVERRIDE_KEYS);
  if (!record) return undefined;
  const override: RuleOverride = { origin };
  if (record.severity !== undefined) {
    if (!(SEVERITIES as readonly unknown[]).includes(record.severity))
      checker.report([...path, 'severity'], `expected one of ${SEVERITIES.join(', ')}`);
    else override.severity = record.severity as Severity;
  }
  if (record.entropy !== undefined) {
    if (typeof record.entropy !== 'number' || record.entropy < 0 || record.entropy > 8)
      checker.report([...path, 'entropy'], 'expected a number between 0 and 8 (bits per character)');
    else override.entropy = record.entropy;
  }
  const paths = checker.strings(record.paths, [...path, 'paths'], false);
  if (paths) override.paths = paths;
  const allowlist = checkAllowlist(checker, record.allowlist, [...path, 'allowlist']);
  if (allowlist) override.allowlist = allowlist;
  return override;
}

/**
 * Parses and checks a `.keyfence.yaml`. Throws a one-line KeyfenceError naming file, line and
 * field for the first problem. `file` is the name shown in messages, `dir` the directory globs
 * are relative to.
 */
export function parseConfig(text: string, file: string, dir: string): ParsedConfig {
  const source = parseYaml(text, file);
  if (source.syntaxProblems[0]) throw new KeyfenceError(formatProblem(source.syntaxProblems[0]));
  const layer = emptyLayer(file, dir);
  const customSources: SourcedRule[] = [];
  if (source.value === null || source.value === undefined) return { layer, customSources };
  const checker = new Checker(source, 're2');
  const origin = (path: Path): Origin => ({ file, line: source.lineOf(path), field: fieldOf(path) });
  const root = checker.object(source.value, [], TOP_KEYS) ?? {};
  if (root.extends !== undefined) {
    if (root.extends === 'default' || root.extends === 'none') layer.extends = root.extends;
    else checker.report(['extends'], 'expected "default" (the built-in rules) or "none"');
  }
  layer.allowlist = checkAllowlist(checker, root.allowlist, ['allowlist']) ?? ({} satisfies AllowlistSpec);
  if (root.rules !== undefined) {
    const rules = checker.object(root.rules, ['rules'], RULES_KEYS) ?? {};
    for (const key of ['disable', 'enable'] as const) {
      const ids = checker.strings(rules[key], ['rules', key], false) ?? [];
      layer[key] = ids.map((id, index) => ({ id, origin: origin(['rules', key, index]) }));
    }
    if (rules.overrides !== undefined) {
      const given = rules.overrides;
      const ids = typeof given === 'object' && given !== null ? Object.keys(given) : [];
      const overrides = checker.object(given, ['rules', 'overrides'], new Set(ids)) ?? {};
      for (const [id, value] of Object.entries(overrides)) {
        const path = ['rules', 'overrides', id];
        const override = checkOverride(checker, value, path, origin(path));
        if (override) layer.overrides[id] = override;
      }
    }
    if (rules.custom !== undefined) {
      if (!Array.isArray(rules.custom)) checker.report(['rules', 'custom'], 'expected a list of rules');
      else {
        rules.custom.forEach((value, index) => {
          const path = ['rules', 'custom', index];
          const spec = checkRuleShape(checker, value, path, 'custom');
          if (!spec) return;
          const { examples, ...rule } = spec;
          layer.custom.push({ ...rule, provider: CUSTOM_PROVIDER, syntax: 're2' } satisfies CatalogueRule);
          customSources.push({
            spec: { ...spec, examples },
            provider: CUSTOM_PROVIDER,
            file,
            line: source.lineOf(path),
            syntax: 're2',
          });
        });
      }
    }
  }
  const maxFileSize = root['max-file-size'];
  if (maxFileSize !== undefined) {
    if (typeof maxFileSize !== 'number' || !Number.isInteger(maxFileSize) || maxFileSize <= 0)
      checker.report(['max-file-size'], 'expected a positive whole number of bytes');
    else layer.maxFileSize = maxFileSize;
  }
  const failOn = root['fail-on'];
  if (failOn !== undefined) {
    if (!(SEVERITIES as readonly unknown[]).includes(failOn))
      checker.report(['fail-on'], `expected one of ${SEVERITIES.join(', ')}`);
    else layer.failOn = failOn as Severity;
  }
  if (root.verify !== undefined) {
    if (typeof root.verify !== 'boolean') checker.report(['verify'], 'expected true or false');
    else layer.verify = root.verify;
  }
  if (root['verify-hosts'] !== undefined) {
    const hosts = checkVerifyHosts(checker, root['verify-hosts'], ['verify-hosts']);
    if (hosts) layer.verifyHosts = hosts;
  }
  if (checker.problems[0]) throw new KeyfenceError(formatProblem(checker.problems[0]));
  return { layer, customSources };
}
