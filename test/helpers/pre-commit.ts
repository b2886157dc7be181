import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { REPO } from './package.js';

/** Where `npm test` installs the pre-commit framework when it has to use pip (scripts/test-prerequisites.mjs). */
export const PRE_COMMIT_VENV = join(REPO, 'node_modules', '.cache', 'keyfence', 'pre-commit');

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The pre-commit framework's command: on PATH, or where npm test installed it. Throws one line
 * naming the prerequisite when neither has it, so that a test never passes without the real tool.
 */
export function preCommitCommand(): string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const file of [
    ...dirs.map((dir) => join(dir, 'pre-commit')),
    join(PRE_COMMIT_VENV, 'bin', 'pre-commit'),
  ])
    if (executable(file)) return file;
  throw new Error(
    'the pre-commit framework (pre-commit) is not installed: npm test installs it (scripts/test-prerequisites.mjs), or install it yourself (apt-get install pre-commit, or pipx install pre-commit)',
  );
}
