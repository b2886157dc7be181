import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
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

/** One change to one hook file. */
export interface HookAction {
  kind: 'create' | 'append' | 'none';
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
async function planHusky(root: string, warnings: string[]): Promise<HookAction> {
  const file = join(root, '.husky', 'pre-commit');
  const hooksPath = (await git(['config', '--get', 'core.hooksPath'], root).catch(() => '')).trim();
  if (hooksPath !== '.husky/_' && hooksPath !== join(root, '.husky', '_')) {
    warnings.push('husky is not active in this clone (core.hooksPath is not .husky/_): run `npx husky` once');
  }
  const current = await readIfExists(file);
  if (current === undefined)
    return { kind: 'create', file, text: `${HUSKY_COMMAND}\n`, reason: 'husky hook created' };
  if (installed(current))
    return { kind: 'none', file, text: '', reason: 'keyfence is already in the husky hook' };
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  return { kind: 'append', file, text: `${separator}${HUSKY_COMMAND}\n`, reason: 'added to the husky hook' };
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
  const action = (await isDirectory(join(root, '.husky')))
    ? await planHusky(root, warnings)
    : await planGitHook(root, options.force);
  if (action.kind === 'append' && /^\s*exec\s/m.test((await readIfExists(action.file)) ?? '')) {
    warnings.push(
      `${relative(root, action.file)} runs exec before the end; keyfence's line after it may never run`,
    );
  }
  if (!(await stat(join(root, 'node_modules', '.bin', 'keyfence')).catch(() => undefined))) {
    warnings.push(
      'the hook runs the keyfence installed in this project (node_modules/.bin/keyfence), which is missing: npm install --save-dev keyfence',
    );
  }
  return { root, action, warnings };
}

/** Writes the planned change (creating the hooks directory if needed) and makes the hook executable. */
export async function applyInit(plan: InitPlan): Promise<void> {
  const { action } = plan;
  if (action.kind === 'none') return;
  try {
    await mkdir(dirname(action.file), { recursive: true });
    if (action.kind === 'create') await writeFile(action.file, action.text, { flag: 'wx' });
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
