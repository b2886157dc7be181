import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Flags that keep git output plain and independent of user configuration. */
export const GIT_SAFE_CONFIG = ['-c', 'core.quotePath=false', '-c', 'color.ui=false'];

/**
 * Runs git with an argument array (never a shell string) and returns stdout.
 * Throws the underlying error; callers translate it into a user-facing message.
 */
export async function git(args: readonly string[], cwd: string): Promise<string> {
  const { stdout } = await execFileAsync('git', [...GIT_SAFE_CONFIG, ...args], {
    cwd,
    maxBuffer: 1024 * 1024 * 1024,
    encoding: 'utf8',
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
  });
  return stdout;
}

/** True when `dir` is inside a git work tree (and git is installed). */
export async function isGitWorkTree(dir: string): Promise<boolean> {
  try {
    return (await git(['rev-parse', '--is-inside-work-tree'], dir)).trim() === 'true';
  } catch {
    return false;
  }
}

/** Tracked and untracked-but-not-ignored files under `dir`, relative to it. */
export async function listGitFiles(dir: string): Promise<string[]> {
  const out = await git(
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'],
    dir,
  );
  return out.split('\0').filter((path) => path !== '');
}
