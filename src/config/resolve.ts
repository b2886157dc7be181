import { readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { KeyfenceError, readFailure } from '../errors.js';
import { memoized, PATH_MEMO_LIMIT } from '../memo.js';
import { compileAllowlist, compileRule, pathMatcher, ruleWith } from '../rules/compile.js';
import type {
  AllowlistSpec,
  CatalogueRule,
  CompiledAllowlist,
  CompiledRule,
  RuleSet,
  Severity,
} from '../rules/types.js';
import type { ConfigLayer, Origin } from './layer.js';
import {
  BASELINE_FILE_NAME,
  CONFIG_NAMES,
  GITLEAKS_CONFIG_NAME,
  GITLEAKS_IGNORE_NAME,
  IGNORE_FILE_NAME,
  relativeTo,
  shownPath,
} from './paths.js';

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

const fail = (origin: Origin, message: string): never => {
  throw new KeyfenceError(`${origin.file}:${origin.line}: ${origin.field}: ${message}`);
};

/** A config is hand-written; anything larger is a mistake or an attack on the parser. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads, parses and checks one config file (YAML, or a gitleaks TOML that is translated). */
export async function loadLayer(
  file: string,
  cwd: string,
  builtin: readonly CatalogueRule[],
): Promise<ConfigLayer> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new KeyfenceError(`${shownPath(file, cwd)}: cannot read config file (${readFailure(error)})`);
  }
  const shown = shownPath(file, cwd);
  if (text.length > MAX_CONFIG_BYTES) {
    throw new KeyfenceError(
      `${shown}: config file too large (${text.length} bytes; at most ${MAX_CONFIG_BYTES})`,
    );
  }
  const dir = dirname(resolve(file));
  const { layer, customSources } = file.endsWith('.toml')
    ? await (await import('./gitleaks.js')).translateGitleaks(text, shown, dir)
    : (await import('./parse.js')).parseConfig(text, shown, dir);
  if (customSources.length > 0) {
    const { checkRules } = await import('../rules/check.js');
    const problem = checkRules(customSources, builtin, 0)[0];
    if (problem) {
      const { formatProblem } = await import('../rules/yaml-source.js');
      throw new KeyfenceError(formatProblem({ ...problem, field: `rules.custom: ${problem.field}` }));
    }
  }
  return layer;
}

/** A glob or path-regex predicate evaluated against paths relative to `dir` (chunk paths are relative to the cwd). */
function rebased(
  predicate: ((path: string) => boolean) | undefined,
  dir: string,
  cwd: string,
): ((path: string) => boolean) | undefined {
  if (!predicate || dir === cwd) return predicate;
  return memoized((path) => predicate(relativeTo(dir, cwd, path)));
}

/** A config's allowlist: its regexes are RE2, its globs and path regexes relative to its directory. */
function rebasedAllowlist(spec: AllowlistSpec | undefined, dir: string, cwd: string): CompiledAllowlist {
  const compiled = compileAllowlist(spec, 're2');
  return { ...compiled, paths: rebased(compiled.paths, dir, cwd) };
}

const anyOf = (
  predicates: (((value: string) => boolean) | undefined)[],
): ((value: string) => boolean) | undefined => {
  const present = predicates.filter((predicate) => predicate !== undefined);
  if (present.length <= 1) return present[0];
  return (value) => present.some((predicate) => predicate(value));
};

/** One allowlist that allows what any of `allowlists` allows. */
export function unionAllowlists(allowlists: readonly CompiledAllowlist[]): CompiledAllowlist {
  return {
    secrets: allowlists.flatMap((allowlist) => allowlist.secrets),
    matches: allowlists.flatMap((allowlist) => allowlist.matches),
    lines: allowlists.flatMap((allowlist) => allowlist.lines),
    stopwords: allowlists.flatMap((allowlist) => allowlist.stopwords),
    paths: anyOf(allowlists.map((allowlist) => allowlist.paths)),
    commits: anyOf(allowlists.map((allowlist) => allowlist.commits)),
  };
}

/**
 * Scanner configuration is not scanned: ignore files and baselines hold fingerprints (which can
 * look like assignments), configs hold allowlisted values and the synthetic secrets of custom
 * rule examples.
 */
const OWN_FILE_NAMES = new Set([
  IGNORE_FILE_NAME,
  GITLEAKS_IGNORE_NAME,
  BASELINE_FILE_NAME,
  ...CONFIG_NAMES,
  GITLEAKS_CONFIG_NAME,
]);
const OWN_FILES = compileAllowlist({ paths: [...OWN_FILE_NAMES].map((name) => `**/${name}`) });
/** What applies to keyfence's own files: nothing (and their directory's configs are not even loaded). */
const NOT_SCANNED: Effective = { ruleSet: { rules: [], allowlist: OWN_FILES }, failOn: undefined };

/** What a chain of layers (top first) makes of the rules: the rule set and the fail-on level. */
export interface Effective {
  ruleSet: RuleSet;
  failOn: Severity | undefined;
}

/**
 * Merges a chain of config layers, top first, the closest last: `extends`, `fail-on` and each
 * override field come from the closest layer that sets them; disabled rules, custom rules and
 * allowlists accumulate (a closer layer can `enable` a rule again or redefine a custom rule).
 */
export function mergeLayers(
  chain: readonly ConfigLayer[],
  builtin: readonly CatalogueRule[],
  compiledBuiltin: readonly CompiledRule[],
  cwd: string,
): Effective {
  const extendsDefault =
    chain.reduce<string>((value, layer) => layer.extends ?? value, 'default') === 'default';
  const rules = new Map<string, CompiledRule>();
  if (extendsDefault) for (const rule of compiledBuiltin) rules.set(rule.id, rule);
  const known = new Set([...builtin.map((rule) => rule.id)]);
  let index = compiledBuiltin.length;
  for (const layer of chain) {
    for (const custom of layer.custom) {
      known.add(custom.id);
      const compiled = compileRule(custom, index++);
      rules.set(
        custom.id,
        ruleWith(compiled, {
          paths: rebased(compiled.paths, layer.dir, cwd),
          allowlist: { ...compiled.allowlist, paths: rebased(compiled.allowlist.paths, layer.dir, cwd) },
        }),
      );
    }
  }
  const disabled = new Set<string>();
  for (const layer of chain) {
    for (const { id, origin } of [...layer.disable, ...layer.enable]) {
      if (!known.has(id)) fail(origin, `unknown rule "${id}" (keyfence rules list shows the ids)`);
    }
    for (const { id } of layer.disable) disabled.add(id);
    for (const { id } of layer.enable) disabled.delete(id);
  }
  for (const layer of chain) {
    for (const [id, override] of Object.entries(layer.overrides)) {
      if (!known.has(id)) fail(override.origin, `unknown rule "${id}" (keyfence rules list shows the ids)`);
      const rule = rules.get(id);
      if (!rule) continue;
      rules.set(
        id,
        ruleWith(rule, {
          ...(override.severity !== undefined && { severity: override.severity }),
          ...(override.entropy !== undefined && { entropy: override.entropy }),
          ...(override.paths !== undefined && {
            paths: rebased(pathMatcher(override.paths), layer.dir, cwd),
          }),
          ...(override.allowlist !== undefined && {
            allowlist: unionAllowlists([
              rule.allowlist,
              rebasedAllowlist(override.allowlist, layer.dir, cwd),
            ]),
          }),
        }),
      );
    }
  }
  const active = [...rules.values()]
    .filter((rule) => !disabled.has(rule.id))
    .sort((a, b) => a.index - b.index);
  return {
    ruleSet: {
      rules: active,
      allowlist: unionAllowlists([
        OWN_FILES,
        ...chain.map((layer) => rebasedAllowlist(layer.allowlist, layer.dir, cwd)),
      ]),
    },
    failOn: chain.reduce<Severity | undefined>((value, layer) => layer.failOn ?? value, undefined),
  };
}

/** How the scan finds its configs: the closest one per directory, one fixed file, or none. */
export type ConfigChoice = { kind: 'discover' } | { kind: 'file'; file: string } | { kind: 'none' };

/**
 * Resolves the effective rules for any path of a scan. With discovery, each directory's chain is
 * the configs from the repository top (the directory holding `.git`, or the filesystem root) down
 * to that directory; chains and compiled rule sets are cached, so each directory costs a few
 * stat calls once.
 */
export class ConfigResolver {
  private readonly chains = new Map<string, Promise<ConfigLayer[]>>();
  private readonly effective = new Map<string, Effective>();
  private readonly compiledBuiltin: CompiledRule[];
  private fixed: Promise<ConfigLayer[]> | undefined;

  constructor(
    private readonly choice: ConfigChoice,
    private readonly builtin: readonly CatalogueRule[],
    private readonly cwd: string,
  ) {
    this.compiledBuiltin = builtin.map(compileRule);
  }

  /** The config layers that apply in `dir` (absolute), top first. */
  chainFor(dir: string): Promise<ConfigLayer[]> {
    if (this.choice.kind === 'none') return Promise.resolve([]);
    if (this.choice.kind === 'file') {
      this.fixed ??= loadLayer(resolve(this.cwd, this.choice.file), this.cwd, this.builtin).then((layer) => [
        layer,
      ]);
      return this.fixed;
    }
    let chain = this.chains.get(dir);
    if (!chain) {
      chain = this.discover(dir);
      this.chains.set(dir, chain);
    }
    return chain;
  }

  private async discover(dir: string): Promise<ConfigLayer[]> {
    const parent = dirname(dir);
    // One directory listing instead of a stat per name; history scans ask about hundreds of
    // directories, many of which no longer exist. Blocking: a thread-pool round trip per directory
    // cost more than listing it.
    let names: Set<string> | undefined;
    try {
      names = new Set(readdirSync(dir));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return parent === dir ? [] : this.chainFor(parent);
      // Unlistable but perhaps traversable: ask for each name.
    }
    const present = async (name: string) => (names ? names.has(name) : exists(join(dir, name)));
    const top = parent === dir || (await present('.git'));
    const above = top ? [] : await this.chainFor(parent);
    const own = await this.ownConfig(dir, present);
    return own ? [...above, await loadLayer(own, this.cwd, this.builtin)] : above;
  }

  private async ownConfig(
    dir: string,
    present: (name: string) => Promise<boolean>,
  ): Promise<string | undefined> {
    for (const name of [...CONFIG_NAMES, GITLEAKS_CONFIG_NAME]) {
      if ((await present(name)) && (await isFile(join(dir, name)))) return join(dir, name);
    }
    return undefined;
  }

  private readonly byPath = new Map<string, Effective>();

  /** The merged settings for a chunk path (relative to the cwd). */
  async effectiveFor(path: string): Promise<Effective> {
    const known = this.byPath.get(path);
    if (known) return known;
    const effective = await this.resolveEffective(path);
    // A history can name millions of paths: start over rather than grow without bound.
    if (this.byPath.size >= PATH_MEMO_LIMIT) this.byPath.clear();
    this.byPath.set(path, effective);
    return effective;
  }

  private async resolveEffective(path: string): Promise<Effective> {
    if (OWN_FILE_NAMES.has(basename(path))) return NOT_SCANNED;
    // Once per directory: resolving each of a tree's paths against the cwd cost a cold scan of
    // 800 files about 6 ms.
    const dir = dirname(path);
    let inDir = this.byDirectory.get(dir);
    if (!inDir) {
      inDir = this.effectiveIn(resolve(this.cwd, dir));
      if (this.byDirectory.size >= PATH_MEMO_LIMIT) this.byDirectory.clear();
      this.byDirectory.set(dir, inDir);
    }
    return inDir;
  }

  private readonly byDirectory = new Map<string, Promise<Effective>>();

  /** The merged settings in the absolute directory `dir`. */
  private async effectiveIn(dir: string): Promise<Effective> {
    const chain = await this.chainFor(dir);
    const key = chain.map((layer) => layer.file).join('\0');
    let effective = this.effective.get(key);
    if (!effective) {
      effective = mergeLayers(chain, this.builtin, this.compiledBuiltin, this.cwd);
      this.effective.set(key, effective);
    }
    return effective;
  }

  private readonly chainKeys = new Map<string, string>();
  private readonly keysByPath = new Map<string, string>();

  /**
   * A digest of the config layers that apply to a chunk path (relative to the cwd), as checked:
   * what a cached result for that path depends on besides the catalogue (--cache).
   */
  async ruleKeyFor(path: string): Promise<string> {
    const known = this.keysByPath.get(path);
    if (known !== undefined) return known;
    let key = 'not scanned';
    if (!OWN_FILE_NAMES.has(basename(path))) {
      const chain = await this.chainFor(dirname(resolve(this.cwd, path)));
      const files = chain.map((layer) => layer.file).join('\0');
      key = this.chainKeys.get(files) ?? '';
      if (key === '') {
        const { createHash } = await import('node:crypto');
        // Notes say how a layer was read, not what it sets.
        const settings = chain.map(({ notes: _notes, ...layer }) => layer);
        key = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 32);
        this.chainKeys.set(files, key);
      }
    }
    if (this.keysByPath.size >= PATH_MEMO_LIMIT) this.keysByPath.clear();
    this.keysByPath.set(path, key);
    return key;
  }

  /** Every layer loaded so far, each once (for notes such as a translated gitleaks config). */
  async loadedLayers(): Promise<ConfigLayer[]> {
    const chains = await Promise.all([...this.chains.values(), ...(this.fixed ? [this.fixed] : [])]);
    return [...new Set(chains.flat())];
  }
}
