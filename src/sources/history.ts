import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { KeyfenceError } from '../errors.js';
import { addedLines, type AddedText } from './added-lines.js';
import { addedWithConstructs } from './constructs.js';
import { addedEntries, entryChunk, openArchive, type OpenedArchive } from './archive.js';
import { asUtf8 } from './decode.js';
import { keystoreText } from './keystore.js';
import { GitError } from './git-error.js';
import { git, gitLines, gitNetworkAllowed, partialCloneRemote, workTreeRoot } from './git.js';
import { commitContents, type CommitContents, type FeedBlob, type FeedOptions } from './history-feed.js';
import { rescanKey, type CommitTrace, type HistoryMemory } from './history-memory.js';
import type { WalkSummary } from '../cache/walk-summary.js';
import type { PathFilter } from './path-filter.js';
import { displayPaths } from './repo-paths.js';
import type { Change } from './raw-log.js';
import { cutShortByShallowClone } from './shallow.js';
import type { Chunk, CommitInfo, Progress, Segment, Source } from './types.js';

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
  /** Blobs larger than this are skipped (and listed), never read into memory. */
  maxFileSize?: number;
  /** Archives are opened to this depth (0: an archive is a binary file). */
  archiveDepth?: number;
  /** --include and --exclude, on paths relative to the repository top: those left out are listed. */
  filter?: PathFilter | undefined;
  /** Called after each commit when the caller wants a progress line. */
  onProgress?: (progress: Progress) => void;
  /** --cache: commits recorded by an earlier run are not read again; those read now are recorded. */
  memory?: HistoryMemory | undefined;
}

const shaOf = (identity: string): string => identity.slice(0, identity.indexOf(' '));

/** `sha tree parents` of the commits a walk lists, in its order (reads no tree and no blob). */
async function listCommits(walk: readonly string[], root: string): Promise<string[]> {
  const identities: string[] = [];
  for await (const lines of gitLines(['log', '--format=%H %T %P', ...walk], root)) {
    for (const line of lines) if (line !== '') identities.push(line.trimEnd());
  }
  return identities;
}

/**
 * A digest of what decides the commits a walk lists: every ref, HEAD and the revisions given
 * (replace refs are refs). Undefined when something else decides it too (a shallow clone's
 * boundary, a grafts file) or git cannot say (a bad revision, reported by the scan's own check).
 */
async function walkTips(revs: readonly string[], root: string): Promise<string | undefined> {
  const asked = revs[0] === '--all' ? ['HEAD'] : revs;
  let output: string;
  try {
    output = await git(
      ['rev-parse', '--is-shallow-repository', '--git-path', 'info/grafts', '--all', '--revs-only', ...asked],
      root,
    );
  } catch {
    return undefined;
  }
  const [shallow, grafts = '', ...refs] = output.split('\n');
  if (shallow !== 'false' || grafts === '' || existsSync(resolve(root, grafts))) return undefined;
  return createHash('sha256').update(refs.join('\n')).digest('hex');
}

/**
 * With a cache that has records: the summary of the same walk over the same refs, when the cache
 * holds one whose rules still apply, else the commits the walk lists, in order (which the cache
 * then summarizes). Undefined when the cache has no records.
 */
async function listWithMemory(
  memory: HistoryMemory,
  walk: readonly string[],
  tips: Promise<string | undefined> | undefined,
  root: string,
  display: (path: string) => string,
): Promise<{ summary: WalkSummary } | { listed: readonly string[] } | undefined> {
  const [digest, recorded] = await Promise.all([tips, memory.hasRecords()]);
  if (!recorded) return undefined;
  const key = JSON.stringify(walk);
  const summary = digest === undefined ? undefined : await memory.replayable(key, digest, display);
  if (summary) return { summary };
  const listed = await listCommits(walk, root);
  if (digest !== undefined) memory.listed(key, digest, listed);
  return { listed };
}

/**
 * The contents of the given commits through one `git log --no-walk --stdin`, in the order given: a
 * commit with `rescan` (recorded before) narrowed to those changes, the others read whole. `next`
 * gives the next commit and checks that it is the one expected.
 */
function commitsToRead(
  commits: readonly { identity: string; rescan?: ReadonlySet<string> | undefined }[],
  root: string,
  options: FeedOptions,
): { next(identity: string): Promise<CommitContents>; close(): Promise<void> } {
  const rescanOf = new Map(commits.map(({ identity, rescan }) => [shaOf(identity), rescan]));
  const feed =
    commits.length === 0
      ? undefined
      : commitContents(['--no-walk=unsorted', '--stdin'], root, {
          ...options,
          input: commits.map(({ identity }) => `${shaOf(identity)}\n`).join(''),
          select: (commit) => {
            const rescan = rescanOf.get(commit.info.sha);
            if (!rescan) return commit;
            // The record lists what the commit skips; only the changes to scan again are read.
            return {
              ...commit,
              skipped: [],
              changes: commit.changes.filter((change) => rescan.has(rescanKey(change.path, change.next))),
            };
          },
        })[Symbol.asyncIterator]();
  return {
    async next(identity) {
      const next = await feed?.next();
      // git lists the commits given in the order given: anything else is a bug, never a reason to scan less.
      if (next?.done !== false || next.value.commit.identity !== identity)
        throw new Error(`history: git log --stdin did not give commit ${shaOf(identity)} next`);
      return next.value;
    },
    async close() {
      await feed?.return(undefined);
    },
  };
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
      } catch (error) {
        // --verify --quiet exits 1 for a name that is no commit; other failures are git's own.
        if (error instanceof GitError && error.code === 1)
          throw new KeyfenceError(`${option}: unknown revision "${side}"`);
        throw error;
      }
    }
  }
}

/**
 * The blobs a partial clone has (listing reads no content and fetches nothing). An object that is
 * there but unreadable ("<sha> missing" in this listing) counts as present: reading it fails the scan.
 */
async function presentBlobs(root: string): Promise<Set<string>> {
  const present = new Set<string>();
  const args = [
    'cat-file',
    '--batch-all-objects',
    '--unordered',
    '--batch-check=%(objectname) %(objecttype)',
  ];
  for await (const lines of gitLines(args, root)) {
    for (const line of lines) {
      const [sha = '', type] = line.split(' ');
      if (type === 'blob' || type === 'missing') present.add(sha);
    }
  }
  return present;
}

async function hasCommits(root: string): Promise<boolean> {
  return (await git(['rev-list', '-n', '1', '--all'], root)).trim() !== '';
}

/** Text a change adds; a keystore's is the whole blob, as base64. */
type Piece = AddedText & { keystore?: true };

/**
 * What a change's new blob adds, as text to scan: a keystore whole, as its base64 (binary, but it
 * holds private keys), else the runs of lines none of the versions it replaces has (`blobs` is the
 * new blob, then those), widened to the constructs they lie in. Undefined for a binary blob.
 */
function changePieces(next: Buffer, blobs: readonly FeedBlob[]): Piece[] | undefined {
  const keystore = keystoreText(next);
  if (keystore !== undefined) return [{ startLine: 1, text: keystore, keystore: true }];
  const text = asUtf8(next);
  if (text === undefined) return undefined;
  // A previous version that is absent or too large to read: the whole new version is scanned.
  const before: Buffer[] = [];
  for (let index = 1; index < blobs.length; index++) {
    const blob = blobs[index];
    const version = blob instanceof Buffer ? asUtf8(blob) : undefined;
    if (version) before.push(version);
  }
  return addedWithConstructs(addedLines(before, text), text);
}

/** The chunk of a change's pieces: one text, or the texts joined, each a segment of it. */
function changeChunk(pieces: readonly Piece[], path: string, commit: CommitInfo): Chunk {
  const first = pieces[0] as Piece;
  if (pieces.length === 1)
    return { path, content: first.text, startLine: first.startLine, origin: 'commit', commit };
  const segments: Segment[] = [];
  let start = 0;
  for (const piece of pieces) {
    segments.push({ start, startLine: piece.startLine });
    start += piece.text.length + 1;
  }
  const content = pieces.map((piece) => piece.text).join('\n');
  return { path, content, startLine: first.startLine, origin: 'commit', commit, segments };
}

/**
 * Streams the lines each commit added, oldest commit first, with the commit's metadata on every
 * chunk. Reads `git log --raw` for which files each commit changed and each blob once with `git
 * cat-file --batch`; the lines a change adds are found by comparing the new blob with the one it
 * replaces (kept from when it was new). Neither side of any change is diffed by git, which is what
 * makes this cheaper than `git log -p`. Memory is bounded by the read-ahead and the blob cache, not by
 * the length of the history.
 */
export function historySource(options: HistoryOptions): Source {
  return {
    label: 'git history',
    order: 'oldest-first',
    async *chunks(ctx) {
      const root = await workTreeRoot(options.cwd, '--history');
      const { revs, option } = revisions(options);
      const limit = options.maxCommits === undefined ? [] : [`--max-count=${options.maxCommits}`];
      const walk = [...limit, '--date-order', '--reverse', ...revs, '--'];
      const given = options.memory;
      const display = displayPaths(root, options.cwd);
      // Read before the commits are listed: a ref that moves in between then only makes the
      // listing longer than its digest says, and the next run lists again.
      const tips = given ? walkTips(revs, root) : undefined;
      // The checks before reading are independent git processes: started at once, they overlap
      // (each costs a process start), and are awaited in the order that decides which error shows.
      // With a cache, the commits are listed first to see which of them are to be read at all.
      const checks = {
        commits: hasCommits(root),
        revisions: verifyRevisions(revs, option, root),
        // A partial clone's absent blobs are listed, never fetched (the Action may fetch them).
        promisor: gitNetworkAllowed() ? Promise.resolve(undefined) : partialCloneRemote(root),
        shallow: cutShortByShallowClone(revs, limit, root),
        // The commits, when a cache may say which of them need reading: from the cache when it
        // holds this walk's listing under the same refs, else from git.
        listed: given?.mayHaveRecords ? listWithMemory(given, walk, tips, root, display) : undefined,
      };
      // The cache file is read and parsed while those processes run.
      const records = given?.hasRecords();
      // Those not awaited (an empty repository) must not end as unhandled rejections.
      for (const check of Object.values(checks))
        (check as Promise<unknown> | undefined)?.catch(() => undefined);
      if (!(await checks.commits)) {
        ctx.note('the repository has no commits yet: nothing to scan');
        return;
      }
      await checks.revisions;
      const promisor = await checks.promisor;
      const present = promisor === undefined ? undefined : await presentBlobs(root);
      if (await checks.shallow) {
        ctx.note(
          'the history is shallow: only the commits present were scanned (git fetch --unshallow for all)',
        );
      }
      const memory = (await records) ? given : undefined;
      const found = memory
        ? await (checks.listed ?? listWithMemory(memory, walk, tips, root, display))
        : undefined;
      const listed = found && 'listed' in found ? found.listed : undefined;
      const summary = found && 'summary' in found ? found.summary : undefined;
      let total = listed?.length ?? summary?.commits ?? 0;
      if (options.onProgress && !found) {
        total = Number((await git(['rev-list', '--count', ...limit, ...revs, '--'], root)).trim());
      }
      const skipped = new Map<string, { reason: string; sha: string }>();
      const progress = { commitsDone: 0, commitsTotal: total, bytes: 0 };
      const absent = new Set<string>();
      const feedOptions = { maxBlobSize: options.maxFileSize, filter: options.filter, present };
      /** Why a change's new blob is not read as text (absent from a partial clone, too large), if it is not. */
      const unreadable = (next: FeedBlob): string | undefined => {
        if ('absent' in next)
          return `not in this partial clone (its blobs come from ${promisor ?? 'the promisor remote'} on demand; keyfence never fetches)`;
        if ('tooLarge' in next)
          return `larger than --max-file-size (${next.tooLarge} > ${options.maxFileSize ?? Infinity} bytes)`;
        return undefined;
      };
      const archiveLimits = {
        maxEntrySize: options.maxFileSize ?? Infinity,
        maxDepth: options.archiveDepth ?? 0,
      };
      /** The entries a change adds to an archive (`path`), whole, each a chunk; those not read listed. */
      function* archiveChunks(
        archive: OpenedArchive,
        next: Buffer,
        blobs: readonly FeedBlob[],
        path: string,
        info: CommitInfo,
        change: Change,
      ): Generator<Chunk> {
        const before = blobs.slice(1).filter((blob): blob is Buffer => blob instanceof Buffer);
        progress.bytes += next.length;
        ctx.scanned(path, next.length);
        for (const entry of addedEntries(archive.texts, path, before, archiveLimits)) {
          const reuseKey = `${change.path}\0${change.previous.join(' ')}\0${change.next}\0${entry.name}`;
          yield { ...entryChunk(path, entry, 'commit'), commit: info, reuseKey };
        }
        // Complete once the entries were read.
        for (const { name, reason } of archive.skipped) skipped.set(name, { reason, sha: info.sha });
      }
      /** The chunks of a commit read now, and what its changes left unscanned; `trace` records them. */
      async function* readCommit({ commit, take }: CommitContents, trace: CommitTrace | undefined) {
        const sha = commit.info.sha;
        for (const { path, reason } of commit.skipped) {
          skipped.set(display(path), { reason, sha });
          trace?.skip(path, reason);
        }
        const changes = commit.changes;
        for (let index = 0; index < changes.length; index++) {
          const change = changes[index] as Change;
          // One read per blob asked: the new one first.
          const blobs = await take(index);
          const next = blobs[0] as FeedBlob;
          const path = display(change.path);
          if (!(next instanceof Buffer)) {
            const reason = unreadable(next) ?? '';
            skipped.set(path, { reason, sha });
            if ('absent' in next) {
              absent.add(change.next);
              trace?.unrecordable();
            } else trace?.skip(change.path, reason);
            continue;
          }
          const archive = openArchive(next, path, archiveLimits);
          if (archive !== undefined) {
            yield* archiveChunks(archive, next, blobs, path, commit.info, change);
            // Not recorded by --cache: its chunks carry the entries' paths, not the change's.
            trace?.unrecordable();
            continue;
          }
          const pieces = changePieces(next, blobs);
          if (pieces === undefined) {
            skipped.set(path, { reason: 'binary file', sha });
            trace?.skip(change.path, 'binary file');
            continue;
          }
          // A change that only removes or reorders lines adds nothing to scan.
          if (pieces.length === 0) continue;
          // One chunk per change, its runs as segments: scanned each on its own, handed over at once.
          const chunk = changeChunk(pieces, path, commit.info);
          // A keystore is scanned whole (its size is the blob's); text by its added lines, each with its newline.
          const size = pieces[0]?.keystore ? next.length : Buffer.byteLength(chunk.content) + 1;
          progress.bytes += size;
          ctx.scanned(path, size);
          chunk.reuseKey = `${change.path}\0${change.previous.join(' ')}\0${change.next}`;
          trace?.chunk(chunk, change.path, change.next, size);
          yield chunk;
        }
        trace?.end();
      }
      const commitDone = () => {
        progress.commitsDone++;
        options.onProgress?.({ ...progress });
      };
      if (!found) {
        // With a cache, the walk's listing is kept for the next run; the refs are read first.
        const digest = await tips;
        const identities: string[] = [];
        for await (const contents of commitContents(walk, root, feedOptions)) {
          ctx.commitScanned();
          if (given) identities.push(contents.commit.identity);
          yield* readCommit(contents, given?.begin(contents.commit.identity));
          commitDone();
        }
        if (given && digest !== undefined) given.listed(JSON.stringify(walk), digest, identities);
      } else if (summary) {
        // The same walk over the same refs: every commit as the cache summarized it, and those
        // whose changes gave findings read again (those changes only), in the walk's order.
        for (const { path, reason, sha } of summary.skipped) skipped.set(display(path), { reason, sha });
        for (const { path, bytes } of summary.scanned) {
          ctx.scanned(display(path), bytes);
          progress.bytes += bytes;
        }
        for (let count = summary.read.length; count < summary.commits; count++) ctx.commitScanned();
        progress.commitsDone = summary.commits - summary.read.length;
        const toRead = commitsToRead(summary.read, root, feedOptions);
        try {
          for (const { identity } of summary.read) {
            ctx.commitScanned();
            yield* readCommit(await toRead.next(identity), undefined);
            commitDone();
          }
        } finally {
          await toRead.close();
        }
        if (summary.read.length === 0) options.onProgress?.({ ...progress });
      } else if (memory && listed) {
        // Commits recorded clean are taken from the record; the others (new ones, and recorded
        // ones narrowed to the changes that gave findings) are read, in the same order.
        await memory.prepare(listed, display);
        const plan = listed.map((identity) => ({ identity, remembered: memory.recall(identity) }));
        const toRead = commitsToRead(
          plan
            .filter(({ remembered }) => !remembered || remembered.rescan.size > 0)
            .map(({ identity, remembered }) => ({ identity, rescan: remembered?.rescan })),
          root,
          feedOptions,
        );
        try {
          for (const { identity, remembered } of plan) {
            ctx.commitScanned();
            const sha = shaOf(identity);
            remembered?.replay(
              (path, reason) => skipped.set(path, { reason, sha }),
              (path, bytes) => {
                ctx.scanned(path, bytes);
                progress.bytes += bytes;
              },
            );
            if (!remembered || remembered.rescan.size > 0)
              yield* readCommit(await toRead.next(identity), remembered ? undefined : memory.begin(identity));
            commitDone();
          }
        } finally {
          await toRead.close();
        }
      }
      // One entry per path, not per commit: a history full of binaries must not grow the list.
      for (const [path, { reason, sha }] of skipped)
        ctx.skip(path, `${reason} (latest change in ${sha.slice(0, 12)})`);
      if (absent.size > 0)
        ctx.note(
          `the history scan is incomplete: ${absent.size} blob(s) of this partial clone are not present and were not scanned (their paths are listed as skipped); scan a full clone (git clone without --filter) for all`,
        );
    },
  };
}
