import { basename, dirname, join, resolve } from 'node:path';
import { KeyfenceError } from '../errors.js';
import {
  CONFIG_NAMES,
  GITLEAKS_CONFIG_NAME,
  GITLEAKS_IGNORE_NAME,
  IGNORE_FILE_NAME,
  shownPath,
} from '../config/paths.js';
import { git } from '../sources/git.js';
import { checkHook, type HookEnv } from './hook-check.js';

/** One finding of `keyfence doctor`: what was checked, and for a problem, the one-line fix. */
export interface Check {
  area: 'git' | 'hook' | 'config' | 'node';
  ok: boolean;
  text: string;
  fix?: string;
}

/** What the checks take from the process (passed in by the CLI). */
export interface DoctorContext extends HookEnv {
  cwd: string;
  /** process.versions.node */
  nodeVersion: string;
  /** keyfence's own engines.node, e.g. `>=20.19` */
  engines: string | undefined;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Whether git works here: installed, and willing to use this repository (git refuses one owned by
 * another user unless safe.directory lists it). Outside any repository is a usage error.
 */
async function checkGit(cwd: string): Promise<{ check: Check; root?: string }> {
  try {
    const root = (await git(['rev-parse', '--show-toplevel'], cwd)).trim();
    const version = (await git(['--version'], cwd)).trim().replace(/^git version /, '');
    return { check: { area: 'git', ok: true, text: `git ${version} works in this repository` }, root };
  } catch (error) {
    const text = message(error);
    if (text.startsWith('git: not found'))
      return {
        check: { area: 'git', ok: false, text: 'git is not installed or not on PATH', fix: 'install git' },
      };
    const dubious = /dubious ownership in repository at '([^']+)'/.exec(text);
    if (dubious) {
      const dir = dubious[1] ?? cwd;
      return {
        check: {
          area: 'git',
          ok: false,
          text: `git refuses to work in ${dir}: it is owned by another user (dubious ownership), so neither commits nor scans run there`,
          fix: `git config --global --add safe.directory ${dir}`,
        },
      };
    }
    if (/not a git repository|must be run in a work tree/.test(text))
      throw new KeyfenceError(`doctor: ${cwd} is not inside a git work tree`);
    return {
      check: {
        area: 'git',
        ok: false,
        text: `git fails in this repository: ${text}`,
        fix: 'git status shows what git needs',
      },
    };
  }
}

/** Config files of the work tree (tracked, or untracked and not ignored). */
async function configFiles(root: string): Promise<string[]> {
  const names = new Set([...CONFIG_NAMES, GITLEAKS_CONFIG_NAME]);
  const listed = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root);
  return listed
    .split('\0')
    .filter((path) => names.has(basename(path)))
    .map((path) => join(root, path));
}

/**
 * The built-in rules load, and every config and ignore file of the work tree parses (without a
 * working git, the configs from the current directory up).
 */
async function checkConfig(root: string | undefined, cwd: string): Promise<Check[]> {
  let builtin;
  try {
    builtin = await (await import('../rules/catalogue.js')).loadBuiltinRules();
  } catch (error) {
    return [
      {
        area: 'config',
        ok: false,
        text: `the built-in rules do not load: ${message(error)}`,
        fix: 'reinstall keyfence (npm install --save-dev keyfence)',
      },
    ];
  }
  const { ConfigResolver, loadLayer } = await import('../config/resolve.js');
  const resolver = new ConfigResolver({ kind: 'discover' }, builtin, cwd);
  const problems = new Map<string, Check>();
  const fail = (error: unknown, shown: string) => {
    if (!(error instanceof KeyfenceError)) throw error;
    problems.set(error.message, {
      area: 'config',
      ok: false,
      text: error.message,
      fix: `correct ${shown} (README, Configuration)`,
    });
  };
  const configs = root === undefined ? [] : await configFiles(root);
  // Each file on its own, so that a broken config above does not hide one below it.
  for (const file of configs) {
    await loadLayer(file, cwd, builtin).catch((error: unknown) => {
      fail(error, shownPath(file, cwd));
    });
  }
  // Then the effective settings beside each config and here: the chain, merged and compiled.
  if (problems.size === 0) {
    for (const dir of [cwd, ...configs.map((file) => dirname(file))]) {
      await resolver.effectiveFor(join(dir, 'keyfence-doctor-probe')).catch((error: unknown) => {
        fail(error, /^([^:]+):/.exec(message(error))?.[1] ?? shownPath(dir, cwd));
      });
    }
  }
  const top = root ?? cwd;
  const ignore = await import('../config/ignore-file.js');
  const ownIgnore = join(top, IGNORE_FILE_NAME);
  await ignore
    .readIgnoreFile(ownIgnore, shownPath(ownIgnore, cwd), cwd, ignore.parseIgnoreFile)
    .catch((error: unknown) => {
      fail(error, shownPath(ownIgnore, cwd));
    });
  const gitleaksIgnore = join(top, GITLEAKS_IGNORE_NAME);
  const { keyfenceIdsFor } = await import('../config/gitleaks.js');
  await ignore
    .readIgnoreFile(gitleaksIgnore, shownPath(gitleaksIgnore, cwd), cwd, (text, shown, dir, base) =>
      ignore.parseGitleaksIgnore(text, shown, dir, base, (id) => keyfenceIdsFor([id], new Set(), [])),
    )
    .catch((error: unknown) => {
      fail(error, shownPath(gitleaksIgnore, cwd));
    });
  if (problems.size > 0) return [...problems.values()];
  const loaded = (await resolver.loadedLayers()).map((layer) => layer.file);
  const shown = [...new Set([...loaded, ...configs.map((file) => shownPath(file, cwd))])];
  const parsed = shown.length === 0 ? 'no config files' : `configs parse (${shown.join(', ')})`;
  return [{ area: 'config', ok: true, text: `${builtin.length} built-in rules load; ${parsed}` }];
}

/** `>=20.19` and friends: the version parts of a lower bound, or undefined for other ranges. */
function lowerBound(engines: string): number[] | undefined {
  const match = /^\s*>=\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(engines);
  return match?.[1]?.split('.').map(Number);
}

/** The running Node.js against keyfence's engines field. */
export function checkNode(version: string, engines: string | undefined): Check {
  const bound = engines === undefined ? undefined : lowerBound(engines);
  if (engines === undefined || bound === undefined)
    return { area: 'node', ok: true, text: `Node.js ${version}` };
  const parts = version.replace(/^v/, '').split('.').map(Number);
  let older = false;
  for (const [index, need] of bound.entries()) {
    const have = parts[index] ?? 0;
    if (have !== need) {
      older = have < need;
      break;
    }
  }
  const wanted = `Node.js ${bound.join('.')} or newer`;
  return older
    ? {
        area: 'node',
        ok: false,
        text: `Node.js ${version} is older than keyfence supports (${engines})`,
        fix: `install ${wanted}`,
      }
    : { area: 'node', ok: true, text: `Node.js ${version} (keyfence needs ${engines})` };
}

/**
 * Everything `keyfence doctor` checks, in the order printed: git, the hook git will run, configs and
 * rules, Node.js. Only reads: git runs read-only commands and files are only opened for reading.
 */
export async function diagnose(context: DoctorContext): Promise<Check[]> {
  const cwd = resolve(context.cwd);
  const { check, root } = await checkGit(cwd);
  const checks: Check[] = [check];
  if (root !== undefined) {
    try {
      checks.push(await checkHook(root, context));
    } catch (error) {
      if (!(error instanceof KeyfenceError)) throw error;
      checks.push({
        area: 'hook',
        ok: false,
        text: `cannot tell which hook git runs: ${error.message}`,
        fix: 'git status shows what git needs',
      });
    }
  }
  checks.push(...(await checkConfig(root, cwd)));
  checks.push(checkNode(context.nodeVersion, context.engines));
  return checks;
}
