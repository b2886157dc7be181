import { KeyfenceError } from '../errors.js';
import { git, gitLines, gitNetworkAllowed, partialCloneRemote, PATCH_FLAGS, workTreeRoot } from './git.js';
import { COMMIT_MARKER, PatchParser, type AddedBlock } from './patch.js';
import { displayPaths } from './repo-paths.js';
import type { Chunk, CommitInfo, Progress, Source } from './types.js';

/** Which commits a history scan reads. */
export interface HistoryOptions {
  cwd: string;
  /** `A..B` (or any revision range git accepts). */
  range?: string;
  /** Commits after REV on the current branch (`REV..HEAD`). */
  since?: string;
  /** One branch (or any ref) instead of all refs. */
  branch?: string;
  maxCommits?: number;
  /** Called after each commit when the caller wants a progress line. */
  onProgress?: (progress: Progress) => void;
}

const FIELD = '\u001f';
// Commit header line: marker, sha, author name, e-mail, ISO date, subject.
const FORMAT = `--format=${COMMIT_MARKER}%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`;

function parseCommit(line: string): CommitInfo {
  const [sha = '', author = '', email = '', date = '', message = ''] = line.slice(1).split(FIELD);
  return { sha, author, email, date, message };
}

/** The revision arguments for git log, and the option they came from (for error messages). */
function revisions(options: HistoryOptions): { revs: string[]; option: string } {
  if (options.range !== undefined) return { revs: [options.range], option: `--range ${options.range}` };
  if (options.since !== undefined)
    return { revs: [`${options.since}..HEAD`], option: `--since ${options.since}` };
  if (options.branch !== undefined) return { revs: [options.branch], option: `--branch ${options.branch}` };
  return { revs: ['--all'], option: '--history' };
}

/** Checks each revision before streaming, so a typo is a clear one-line error, not a git usage dump. */
async function verifyRevisions(revs: readonly string[], option: string, root: string): Promise<void> {
  for (const rev of revs) {
    if (rev === '--all') continue;
    for (const side of rev.split(/\.{2,3}/).filter((part) => part !== '')) {
      try {
        await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${side}^{commit}`], root);
      } catch {
        throw new KeyfenceError(`${option}: unknown revision "${side}"`);
      }
    }
  }
}

async function hasCommits(root: string): Promise<boolean> {
  return (await git(['rev-list', '-n', '1', '--all'], root)).trim() !== '';
}

/**
 * Streams the lines each commit added (`git log -p -U0`, combined diffs for merges so that lines a
 * merge itself introduces are seen), with the commit's metadata on every chunk. Memory stays
 * constant however long the history is.
 */
export function historySource(options: HistoryOptions): Source {
  return {
    label: 'git history',
    async *chunks(ctx) {
      const root = await workTreeRoot(options.cwd, '--history');
      const { revs, option } = revisions(options);
      if (!(await hasCommits(root))) {
        ctx.note('the repository has no commits yet: nothing to scan');
        return;
      }
      await verifyRevisions(revs, option, root);
      const promisor = await partialCloneRemote(root);
      if (promisor !== undefined && !gitNetworkAllowed()) {
        throw new KeyfenceError(
          `${option}: this is a partial clone (blobs come from ${promisor} on demand) and keyfence never fetches; scan a full clone`,
        );
      }
      if ((await git(['rev-parse', '--is-shallow-repository'], root)).trim() === 'true') {
        ctx.note(
          'the history is shallow: only the commits present were scanned (git fetch --unshallow for all)',
        );
      }
      const limit = options.maxCommits === undefined ? [] : [`--max-count=${options.maxCommits}`];
      let total = 0;
      if (options.onProgress) {
        total = Number((await git(['rev-list', '--count', ...limit, ...revs, '--'], root)).trim());
      }
      const display = displayPaths(root, options.cwd);
      const skippedPaths = new Set<string>();
      let commit: CommitInfo | undefined;
      let commitsDone = 0;
      let bytes = 0;
      const ready: Chunk[] = [];
      const parser = new PatchParser({
        added: (block: AddedBlock) => {
          const content = block.lines.join('\n');
          const path = display(block.path);
          const size = Buffer.byteLength(content) + 1;
          bytes += size;
          ctx.scanned(path, size);
          ready.push({
            path,
            content,
            startLine: block.startLine,
            origin: 'commit',
            ...(commit && { commit }),
          });
        },
        // One entry per path, not per commit: a history full of binaries must not grow the list without bound.
        skipped: (path, reason) => {
          const shown = display(path);
          if (skippedPaths.has(shown)) return;
          skippedPaths.add(shown);
          ctx.skip(shown, `${reason} (latest change in ${commit?.sha.slice(0, 12) ?? 'an unnamed commit'})`);
        },
        commit: (line) => {
          if (commit) {
            commitsDone++;
            options.onProgress?.({ commitsDone, commitsTotal: total, bytes });
          }
          commit = parseCommit(line);
          ctx.commitScanned();
        },
      });
      const args = [
        'log',
        ...limit,
        FORMAT,
        ...PATCH_FLAGS,
        '--cc',
        '--find-renames',
        '--submodule=short',
        ...revs,
        '--',
      ];
      for await (const lines of gitLines(args, root)) {
        for (const line of lines) parser.push(line);
        while (ready.length > 0) yield ready.shift() as Chunk;
      }
      parser.end();
      while (ready.length > 0) yield ready.shift() as Chunk;
      if (commit) options.onProgress?.({ commitsDone: commitsDone + 1, commitsTotal: total, bytes });
    },
  };
}
