import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ConfigLayer } from '../config/layer.js';
import { ExitCode, KeyfenceError } from '../errors.js';
import type { AllowlistSpec, CatalogueRule } from '../rules/types.js';
import type { Io } from './io.js';
import { writeReportFile } from './output.js';
import { inertJson, printable } from '../reporters/escape.js';

/** Allowlist fields in config spelling (kebab-case keys, empty lists left out). */
function allowlistYaml(allowlist: AllowlistSpec | undefined): Record<string, string[]> | undefined {
  if (!allowlist) return undefined;
  const out: Record<string, string[]> = {};
  const keys = {
    secrets: 'secrets',
    matches: 'matches',
    lines: 'lines',
    stopwords: 'stopwords',
    paths: 'paths',
    pathRegexes: 'path-regexes',
    commits: 'commits',
  } as const;
  for (const [key, name] of Object.entries(keys)) {
    const values = allowlist[key as keyof AllowlistSpec];
    if (values && values.length > 0) out[name] = values;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function ruleYaml(rule: CatalogueRule): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      keywords: rule.keywords.length > 0 ? rule.keywords : undefined,
      regex: rule.regex,
      flags: rule.flags,
      entropy: rule.entropy,
      'path-regexes': rule.pathRegexes,
      allowlist: allowlistYaml(rule.allowlist),
      remediation: rule.remediation,
    }).filter(([, value]) => value !== undefined),
  );
}

/** The .keyfence.yaml equivalent of a translated gitleaks layer. */
export function layerYaml(layer: ConfigLayer): Record<string, unknown> {
  const overrides = Object.fromEntries(
    Object.entries(layer.overrides).map(([id, override]) => [
      id,
      { allowlist: allowlistYaml(override.allowlist) },
    ]),
  );
  const rules = Object.fromEntries(
    Object.entries({
      disable: layer.disable.length > 0 ? layer.disable.map((entry) => entry.id) : undefined,
      overrides: Object.keys(overrides).length > 0 ? overrides : undefined,
      custom: layer.custom.length > 0 ? layer.custom.map(ruleYaml) : undefined,
    }).filter(([, value]) => value !== undefined),
  );
  return Object.fromEntries(
    Object.entries({
      extends: layer.extends ?? 'default',
      rules: Object.keys(rules).length > 0 ? rules : undefined,
      allowlist: allowlistYaml(layer.allowlist),
    }).filter(([, value]) => value !== undefined),
  );
}

/** `keyfence migrate gitleaks`: writes the translation and lists what could not be translated. */
export async function runMigrateGitleaks(
  options: { config: string; output: string; force: boolean },
  io: Io,
): Promise<ExitCode> {
  const file = resolve(io.cwd, options.config);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new KeyfenceError(`migrate gitleaks: ${options.config}: no such file (use --config FILE)`);
    const { fileProblem } = await import('./file-checks.js');
    throw new KeyfenceError(
      `--config ${options.config}: cannot read (${await fileProblem(error, options.config, io.cwd)})`,
    );
  }
  const { translateGitleaks } = await import('../config/gitleaks.js');
  const { layer } = await translateGitleaks(text, options.config, dirname(file));
  const { Scalar, stringify } = await import('yaml');
  const header = `# Translated from ${printable(options.config)} by keyfence migrate gitleaks.\n`;
  // The YAML is printed (-o -) and committed: a value holding a character that would steer a
  // terminal, reorder what a reviewer sees (the TOML may have written it as a visible escape) or
  // run a CI log command is double-quoted, where inertJson's \u escapes are YAML escapes too.
  const quoted = (_key: unknown, value: unknown): unknown => {
    if (typeof value !== 'string' || inertJson(value) === value) return value;
    const scalar = new Scalar(value);
    scalar.type = Scalar.QUOTE_DOUBLE;
    return scalar;
  };
  const yaml = header + inertJson(stringify(layerYaml(layer), quoted, { lineWidth: 0 }));
  const [summary, ...problems] = layer.notes;
  if (options.output === '-') io.stdout.write(yaml);
  else {
    await (await import('./output-guard.js')).refuseInputs(options.output, [options.config], io.cwd);
    const target = resolve(io.cwd, options.output);
    if (!options.force && (await stat(target).catch(() => undefined))) {
      throw new KeyfenceError(
        `migrate gitleaks: ${options.output} exists (use --force to overwrite, or -o - to print)`,
      );
    }
    await writeReportFile(options.output, yaml, io.cwd);
    io.stderr.write(`keyfence: wrote ${options.output} (${layer.custom.length} rule(s))\n`);
  }
  if (summary === undefined) return ExitCode.Clean;
  for (const problem of problems) io.stderr.write(`keyfence: warning: ${printable(problem)}\n`);
  return ExitCode.Clean;
}
