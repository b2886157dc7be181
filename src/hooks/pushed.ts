import { KeyfenceError } from '../errors.js';
import { git } from '../sources/git.js';

/** The commits a push sends, as history options of a scan; or why there is nothing to scan. */
export type PushedRange =
  { history: { range: string } | { branch: string }; note?: string } | { nothing: string };

/** git's name for "no commit": the old value of a ref that a push creates. */
const NO_COMMIT = /^0+$/;

/**
 * Works out what a push sends from the pre-commit framework's pre-push environment:
 * PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF, or for a new branch (an all-zero or absent from-ref) the
 * commits of the pushed ref that no remote-tracking branch of the remote has yet.
 */
export async function pushedRange(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<PushedRange> {
  const from = env.PRE_COMMIT_FROM_REF ?? '';
  // pre-commit leaves out both refs when the push includes a root commit (it runs "all files").
  const to = env.PRE_COMMIT_TO_REF || env.PRE_COMMIT_LOCAL_BRANCH || '';
  if (to === '') {
    throw new KeyfenceError(
      "--pushed: no pushed commits: PRE_COMMIT_TO_REF is not set (--pushed runs as the pre-commit framework's pre-push hook, keyfence-pre-push)",
    );
  }
  // Revisions reach git as arguments: one that starts with a dash would be read as an option.
  const named: [string, string][] = [
    ['PRE_COMMIT_FROM_REF', from],
    ['PRE_COMMIT_TO_REF', to],
  ];
  for (const [name, value] of named)
    if (value.startsWith('-')) throw new KeyfenceError(`--pushed: ${name}: "${value}" is not a revision`);
  if (NO_COMMIT.test(to)) return { nothing: 'the push deletes a ref: nothing to scan' };
  // A from-ref this clone lacks (the remote moved on) is treated like a new branch, as pre-commit does.
  if (from !== '' && !NO_COMMIT.test(from) && (await isCommit(from, cwd)))
    return { history: { range: `${from}..${to}` } };
  return newRefRange(to, env.PRE_COMMIT_REMOTE_NAME ?? '', cwd);
}

async function isCommit(rev: string, cwd: string): Promise<boolean> {
  try {
    await git(['cat-file', '-e', `${rev}^{commit}`], cwd);
    return true;
  } catch {
    return false;
  }
}

/**
 * A new branch: what `to` has that the remote's tracking branches do not. git log takes one range,
 * so the new commits are named by where they meet the remote: none (`to`'s whole history is new),
 * one commit B (exactly B..to), or several, where B..to for the first of them also holds commits
 * the remote has through the others (more is scanned than pushed, never less).
 */
async function newRefRange(to: string, remote: string, cwd: string): Promise<PushedRange> {
  const remotes = remote === '' ? '--remotes' : `--remotes=${remote}`;
  const listed = await git(['rev-list', '--boundary', to, '--not', remotes, '--'], cwd);
  const lines = listed.split('\n').filter((line) => line !== '');
  const boundaries = lines.filter((line) => line.startsWith('-')).map((line) => line.slice(1));
  const fresh = lines.length - boundaries.length;
  const where = remote === '' ? 'a remote' : remote;
  if (fresh === 0) return { nothing: `every commit of ${to} is already on ${where}: nothing to scan` };
  const [first] = boundaries;
  if (first === undefined) return { history: { branch: to } };
  if (boundaries.length === 1) return { history: { range: `${first}..${to}` } };
  return {
    history: { range: `${first}..${to}` },
    note: `the pushed commits join ${where} at ${boundaries.length} commits; scanning ${first.slice(0, 12)}..${to.slice(0, 12)}, which may include commits ${where} already has`,
  };
}
