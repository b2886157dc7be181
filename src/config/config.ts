import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { KeyfenceError } from '../errors.js';
import { compileAllowlist, globMatcher } from '../rules/compile.js';
import { SEVERITIES, type CompiledAllowlist, type Severity } from '../rules/types.js';

/** File names looked for when no --config is given. */
export const CONFIG_NAMES = ['.keyfence.yaml', '.keyfence.yml'];

/** Settings read from a config file. */
export interface Config {
  file: string | undefined;
  allowlist: CompiledAllowlist;
  disabledRules: string[];
  maxFileSize: number | undefined;
  failOn: Severity | undefined;
}

const TOP_KEYS = new Set(['extends', 'allowlist', 'rules', 'max-file-size', 'fail-on']);
const ALLOWLIST_KEYS = new Set(['paths', 'secrets', 'stopwords']);
const RULES_KEYS = new Set(['disable']);

/** The configuration used when there is no config file. */
export const EMPTY_CONFIG: Config = {
  file: undefined,
  allowlist: compileAllowlist(undefined),
  disabledRules: [],
  maxFileSize: undefined,
  failOn: undefined,
};

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Finds the closest config file from `start` upwards, stopping at the repository root. */
export async function findConfig(start: string): Promise<string | undefined> {
  let dir = start;
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (await exists(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir || (await exists(join(dir, '.git')))) return undefined;
    dir = parent;
  }
}

/**
 * Reads and validates a config file. Allowlist path globs are relative to the config file's
 * directory; `cwd` is what finding paths are relative to.
 */
export async function loadConfig(file: string, cwd: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeyfenceError(
      `${file}: cannot read config file (${code === 'ENOENT' ? 'no such file' : (code ?? 'error')})`,
    );
  }
  // The YAML parser is loaded only when there is a config file: the pre-commit path often has none.
  const { Checker, formatProblem, parseYaml } = await import('../rules/yaml-source.js');
  const source = parseYaml(text, file);
  if (source.syntaxProblems[0]) throw new KeyfenceError(formatProblem(source.syntaxProblems[0]));
  if (source.value === null || source.value === undefined) return { ...EMPTY_CONFIG, file };
  const checker = new Checker(source);
  const root = checker.object(source.value, [], TOP_KEYS) ?? {};
  if (root.extends !== undefined && root.extends !== 'default')
    checker.report(['extends'], 'only "default" is supported');
  const allowlist =
    root.allowlist === undefined ? {} : (checker.object(root.allowlist, ['allowlist'], ALLOWLIST_KEYS) ?? {});
  const paths = checker.strings(allowlist.paths, ['allowlist', 'paths'], false) ?? [];
  const secrets = checker.strings(allowlist.secrets, ['allowlist', 'secrets'], false) ?? [];
  secrets.forEach((pattern, index) => checker.regex(pattern, ['allowlist', 'secrets', index]));
  const stopwords = checker.strings(allowlist.stopwords, ['allowlist', 'stopwords'], false) ?? [];
  const rules = root.rules === undefined ? {} : (checker.object(root.rules, ['rules'], RULES_KEYS) ?? {});
  const disabledRules = checker.strings(rules.disable, ['rules', 'disable'], false) ?? [];
  const maxFileSize = root['max-file-size'];
  if (
    maxFileSize !== undefined &&
    (typeof maxFileSize !== 'number' || !Number.isInteger(maxFileSize) || maxFileSize <= 0)
  ) {
    checker.report(['max-file-size'], 'expected a positive whole number of bytes');
  }
  const failOn = root['fail-on'];
  if (failOn !== undefined && !(SEVERITIES as readonly unknown[]).includes(failOn)) {
    checker.report(['fail-on'], `expected one of ${SEVERITIES.join(', ')}`);
  }
  if (checker.problems[0]) throw new KeyfenceError(formatProblem(checker.problems[0]));
  const compiled = compileAllowlist({ secrets, stopwords });
  const configDir = dirname(resolve(file));
  const matchesPath = globMatcher(paths);
  return {
    file,
    allowlist: {
      ...compiled,
      paths:
        matchesPath && ((path) => matchesPath(relative(configDir, resolve(cwd, path)).split(sep).join('/'))),
    },
    disabledRules,
    maxFileSize: maxFileSize as number | undefined,
    failOn: failOn as Severity | undefined,
  };
}
