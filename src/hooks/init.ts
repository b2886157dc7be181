import { execFile } from 'node:child_process';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { makeDirectory } from '../directories.js';
import { KeyfenceError, errnoText } from '../errors.js';
import { git, workTreeRoot } from '../sources/git.js';

/**
 * What the hooks run. husky 9 puts node_modules/.bin on PATH itself. A plain git hook runs in the
 * top of the working tree and calls the project's installed binary directly, because going through
 * npx costs about 0.3 s on every commit (three times the scan); npx (`--no-install`, so that a
 * commit never downloads anything) is only the fallback when keyfence is installed elsewhere.
 */
export const HUSKY_COMMAND = 'keyfence scan --staged';
export const GIT_HOOK_COMMAND =
  'if [ -x node_modules/.bin/keyfence ]; then node_modules/.bin/keyfence scan --staged; else npx --no-install keyfence scan --staged; fi';
const MARKER = '# keyfence: block commits that add secrets (installed by keyfence init)';

/** One change to one hook file; `husky` runs husky's own set-up first, then creates the file. */
export interface HookAction {
  kind: 'create' | 'append' | 'none' | 'husky';
  /** Absolute path of the hook file. */
  file: string;
  /** The text written (created file) or appended. */
  text: string;
  /** Why, in one line, for the user. */
  reason: string;
}

/** What `keyfence init` will do, and what the user should know. */
export interface InitPlan {
  root: string;
  action: HookAction;
  warnings: string[];
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

const installed = (text: string): boolean => text.includes('keyfence scan --staged');

/** husky 9 keeps one plain shell file per hook in .husky/; commands are appended to it. */
async function planHusky(root: string): Promise<HookAction> {
  const file = join(root, '.husky', 'pre-commit');
  const current = await readIfExists(file);
  if (current === undefined)
    return { kind: 'create', file, text: `${HUSKY_COMMAND}\n`, reason: 'husky hook created' };
  if (installed(current))
    return { kind: 'none', file, text: '', reason: 'keyfence is already in the husky hook' };
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  return { kind: 'append', file, text: `${separator}${HUSKY_COMMAND}\n`, reason: 'added to the husky hook' };
}

/** The project's package.json, or undefined when there is none or it does not parse. */
async function packageJson(root: string): Promise<PackageJson | undefined> {
  const text = await readIfExists(join(root, 'package.json'));
  try {
    return text === undefined ? undefined : (JSON.parse(text) as PackageJson);
  } catch {
    return undefined;
  }
}

interface PackageJson {
  version?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * husky is a dependency but not set up (no .husky/). A git hook written now would stop running the
 * moment husky sets core.hooksPath, so keyfence sets husky up instead: it runs the project's husky
 * (which sets core.hooksPath to .husky/_ and writes its wrappers there) and creates
 * .husky/pre-commit. Without an installed husky 9, it says what to run.
 */
async function planHuskySetup(root: string, manifest: PackageJson, warnings: string[]): Promise<HookAction> {
  const installed = await packageJson(join(root, 'node_modules', 'husky'));
  if (installed === undefined)
    throw new KeyfenceError('init: husky is in package.json but not installed, and has no .husky/ yet', {
      hint: 'run npm install, then npx keyfence init again',
    });
  const major = Number(/^(\d+)/.exec(installed.version ?? '')?.[1] ?? '0');
  if (major < 9)
    throw new KeyfenceError(
      `init: husky ${installed.version ?? ''} is in package.json and has no .husky/ yet; keyfence init sets up husky 9 or later`,
      { hint: 'run npm install --save-dev husky@9, then npx keyfence init again' },
    );
  if (!/\bhusky\b/.test(manifest.scripts?.prepare ?? ''))
    warnings.push(
      'package.json has no "prepare": "husky" script, so other clones get no hooks from npm install: npm pkg set scripts.prepare=husky',
    );
  return {
    kind: 'husky',
    file: join(root, '.husky', 'pre-commit'),
    text: `${HUSKY_COMMAND}\n`,
    reason: 'husky set up (core.hooksPath .husky/_) and its pre-commit hook created',
  };
}

/** A plain git hook in the hooks directory git actually uses (core.hooksPath respected). */
async function planGitHook(root: string, force: boolean): Promise<HookAction> {
  const hooksDir = (await git(['rev-parse', '--git-path', 'hooks'], root)).trim();
  const file = join(isAbsolute(hooksDir) ? hooksDir : join(root, hooksDir), 'pre-commit');
  const shown = relative(root, file).split(sep).join('/');
  const current = await readIfExists(file);
  const block = `${MARKER}\n${GIT_HOOK_COMMAND} || exit $?\n`;
  if (current === undefined)
    return { kind: 'create', file, text: `#!/bin/sh\n${block}`, reason: 'git hook created' };
  if (installed(current))
    return { kind: 'none', file, text: '', reason: 'keyfence is already in the git hook' };
  // Its hook ends in exec: a line appended to it would never run.
  if (current.includes('File generated by pre-commit'))
    throw new KeyfenceError(`init: ${shown} is the pre-commit framework's hook; it was left unchanged`, {
      hint: 'add "- id: keyfence" to .pre-commit-config.yaml instead, as the README shows',
    });
  if (!force) {
    throw new KeyfenceError(`init: ${shown} already exists and is not keyfence's; it was left unchanged`, {
      hint: 're-run with --force to append keyfence to it',
    });
  }
  const separator = current.endsWith('\n') ? '' : '\n';
  return {
    kind: 'append',
    file,
    text: `${separator}${block}`,
    reason: 'appended to the existing git hook (--force)',
  };
}

/** Works out how to wire the pre-commit hook in the repository containing `cwd`; changes nothing. */
export async function planInit(cwd: string, options: { force: boolean }): Promise<InitPlan> {
  const root = await workTreeRoot(cwd, 'init');
  const warnings: string[] = [];
  const manifest = await packageJson(root);
  const usesHusky = ['dependencies', 'devDependencies'].some(
    (field) => manifest?.[field as 'dependencies' | 'devDependencies']?.husky !== undefined,
  );
  const action = (await isDirectory(join(root, '.husky')))
    ? await planHusky(root)
    : manifest !== undefined && usesHusky
      ? await planHuskySetup(root, manifest, warnings)
      : await planGitHook(root, options.force);
  return { root, action, warnings };
}

/** Writes the planned change (creating the hooks directory if needed) and makes the hook executable. */
export async function applyInit(plan: InitPlan): Promise<void> {
  const { action } = plan;
  if (action.kind === 'none') return;
  if (action.kind === 'husky') await runHusky(plan.root);
  try {
    await makeDirectory(dirname(action.file));
    if (action.kind !== 'append') await writeFile(action.file, action.text, { flag: 'wx' });
    else await writeFile(action.file, action.text, { flag: 'a' });
    await chmod(action.file, 0o755);
  } catch (error) {
    // A directory where the hook goes reads as no hook, and then fails to be created (EEXIST);
    // a file where the hooks directory goes fails to be made a directory (EEXIST too).
    const shown = (path: string) => relative(plan.root, path).split(sep).join('/');
    const problem = (await isDirectory(action.file))
      ? 'is a directory'
      : (await stat(dirname(action.file)).catch(() => undefined))?.isDirectory() === false
        ? `${shown(dirname(action.file))} is not a directory`
        : errnoText(error);
    throw new KeyfenceError(`init: ${shown(action.file)}: cannot write the hook (${problem})`);
  }
}

/** Runs the project's husky, which prints nothing when it has set up the hooks, and why not otherwise. */
async function runHusky(root: string): Promise<void> {
  let output: string;
  try {
    const { stdout, stderr } = await promisify(execFile)(join(root, 'node_modules', '.bin', 'husky'), [], {
      cwd: root,
      encoding: 'utf8',
    });
    output = `${stdout}${stderr}`.trim();
  } catch (error) {
    output = (error as { stderr?: string }).stderr?.trim() || errnoText(error);
  }
  if (output !== '')
    throw new KeyfenceError(`init: husky did not set up its hooks: ${output.split('\n')[0] ?? ''}`, {
      hint: 'fix that, then run npx keyfence init again',
    });
}
