import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { specialKind } from './read-file.js';

interface Level {
  /** Directory relative to the walk root, '' for the root, with a trailing slash otherwise. */
  prefix: string;
  rules: Ignore;
}

async function loadGitignore(dir: string): Promise<Ignore | undefined> {
  try {
    return ignore().add(await readFile(join(dir, '.gitignore'), 'utf8'));
  } catch {
    return undefined;
  }
}

function ignoredBy(levels: readonly Level[], relative: string, isDirectory: boolean): boolean {
  return levels.some((level) => {
    const local = relative.slice(level.prefix.length);
    return level.rules.ignores(isDirectory ? `${local}/` : local);
  });
}

/**
 * Lists regular files under `root` outside a git work tree, honouring every .gitignore on the way
 * down (unless `gitignore` is false) (ignored directories are not entered) and never entering `.git`. Symlinks and unreadable
 * directories are reported through `onSkip`, not followed.
 */
export async function* walkFiles(
  root: string,
  onSkip: (relative: string, reason: string) => void,
  options: { gitignore: boolean } = { gitignore: true },
): AsyncGenerator<string> {
  async function* visit(relativeDir: string, levels: Level[]): AsyncGenerator<string> {
    const absolute = join(root, relativeDir);
    const own = options.gitignore ? await loadGitignore(absolute) : undefined;
    const active = own
      ? [...levels, { prefix: relativeDir === '' ? '' : `${relativeDir}/`, rules: own }]
      : levels;
    let listed;
    try {
      listed = await readdir(absolute, { withFileTypes: true });
    } catch (error) {
      onSkip(
        relativeDir === '' ? '.' : relativeDir,
        `unreadable directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      return;
    }
    const entries = listed.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name === '.git' || ignoredBy(active, relative, true)) continue;
        yield* visit(relative, active);
      } else if (!ignoredBy(active, relative, false)) {
        if (entry.isSymbolicLink()) onSkip(relative, 'symbolic link (not followed)');
        else if (entry.isFile()) yield relative;
        else onSkip(relative, `not a regular file (${specialKind(entry)})`);
      }
    }
  }
  yield* visit('', []);
}
