import { BlobReader, type BlobRead } from './cat-file.js';
import { gitRecords } from './git.js';
import { COMMIT_FORMAT, RAW_FLAGS, RawLogParser, type RawCommit } from './raw-log.js';

/** A blob a partial clone does not have (its promisor remote does): known absent, never asked of git. */
export interface Absent {
  absent: true;
}

/** What a change's blob gives: content, a size over the limit, or absence from a partial clone. */
export type FeedBlob = BlobRead | Absent;

const ABSENT: Absent = { absent: true };

/** Blob contents by id: a least-recently-used cache within a byte budget, over one BlobReader. */
class BlobStore {
  private readonly entries = new Map<string, Buffer | Promise<BlobRead>>();
  private bytes = 0;

  constructor(
    private readonly reader: BlobReader,
    private readonly budget: number,
    private readonly present: ReadonlySet<string> | undefined,
  ) {}

  get(sha: string): Promise<FeedBlob> {
    // Asking cat-file for an absent blob would make it fetch, or die where it may not.
    if (this.present && !this.present.has(sha)) return Promise.resolve(ABSENT);
    const hit = this.entries.get(sha);
    if (hit !== undefined) {
      this.entries.delete(sha);
      this.entries.set(sha, hit);
      return hit instanceof Promise ? hit : Promise.resolve(hit);
    }
    const reading = this.reader.read(sha).then((content) => {
      if (this.entries.get(sha) !== reading) return content;
      if (!(content instanceof Buffer) || content.length > this.budget / 8) {
        this.entries.delete(sha);
        return content;
      }
      // Keep a copy of small blobs cut from a large read buffer, so that the budget counts what is held.
      const kept = content.buffer.byteLength > 2 * content.length ? Buffer.from(content) : content;
      this.entries.set(sha, kept);
      this.bytes += kept.length;
      this.evict();
      return kept;
    });
    this.entries.set(sha, reading);
    return reading;
  }

  private evict(): void {
    for (const [sha, entry] of this.entries) {
      if (this.bytes <= this.budget) return;
      if (!(entry instanceof Buffer)) continue;
      this.entries.delete(sha);
      this.bytes -= entry.length;
    }
  }
}

/**
 * A commit, and `take(i)`: what reading change i's new blob and the blobs it replaces gave. Take each
 * change once, in order: blobs are read ahead per change, so that one commit of a hundred thousand
 * files (an initial import) is not held in memory at once.
 */
export interface CommitContents {
  commit: RawCommit;
  take: (index: number) => Promise<FeedBlob[]>;
}

/** Commits parsed ahead of the scan; git log pauses beyond this. */
const QUEUED_COMMITS = 4096;
/** Changes whose blobs are asked of git ahead of the scan: enough to keep it busy, few enough to bound memory. */
const READ_AHEAD = 256;
/** Blob bytes kept for the next version of each file to be compared against. */
const CACHE_BYTES = 32 * 1024 * 1024;
/** Longest stretch of scanning before git's pipes are drained into memory, in milliseconds. */
const SLICE_MS = 8;

/** A commit waiting to be scanned, with the reads issued so far for its first changes. */
interface Pending {
  commit: RawCommit;
  reads: Promise<FeedBlob[]>[];
}

/** What blobs a history feed reads. */
export interface FeedOptions {
  /** Larger blobs are answered with their size only. */
  maxBlobSize?: number | undefined;
  /** --include/--exclude: paths left out are listed in the commit's `skipped`, never read. */
  filter?: ((path: string) => string | undefined) | undefined;
  /** In a partial clone, the blobs it has: the others are absent. */
  present?: ReadonlySet<string> | undefined;
}

/**
 * The commits `git log <logArgs>` lists, with the blobs each change needs, read by one `git cat-file
 * --batch`. git log, cat-file and the scan run concurrently: the log is parsed ahead of the scan (up
 * to QUEUED_COMMITS), blobs are requested ahead (for up to READ_AHEAD changes), and the scan hands control back
 * to the event loop every few milliseconds so that neither git process waits on a full pipe.
 */
export async function* commitContents(
  logArgs: readonly string[],
  root: string,
  options: FeedOptions & {
    /** Written to git log's standard input: the commits to list, with `--stdin` in logArgs. */
    input?: string | undefined;
    /** Narrows a commit to the changes to read, before any blob of it is asked for (--cache). */
    select?: ((commit: RawCommit) => RawCommit) | undefined;
  } = {},
): AsyncGenerator<CommitContents> {
  const reader = new BlobReader(root, options.maxBlobSize);
  const store = new BlobStore(reader, CACHE_BYTES, options.present);
  const queue: Pending[] = [];
  /** The first queued commit with changes whose blobs are not asked for yet. */
  let cursor = 0;
  /** Changes asked for and not yet taken. */
  let outstanding = 0;
  // Shared with the producer below; an object, because the flags change inside its closure.
  const state: { logDone: boolean; logError: Error | undefined; abandoned: boolean } = {
    logDone: false,
    logError: undefined,
    abandoned: false,
  };
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  const ask = (pending: Pending) => {
    const change = pending.commit.changes[pending.reads.length] as RawCommit['changes'][number];
    const read = Promise.all([change.next, ...change.previous].map((sha) => store.get(sha)));
    // Awaited in order later; a failed read must not count as unhandled before then.
    read.catch(() => undefined);
    pending.reads.push(read);
    outstanding++;
  };
  // Asks in bursts, once half the read-ahead is used: asking one blob per change taken meant a write
  // to git, and git waking up to answer it, for every blob.
  const topUp = () => {
    if (outstanding > READ_AHEAD / 2) return;
    while (outstanding < READ_AHEAD && cursor < queue.length) {
      const pending = queue[cursor] as Pending;
      if (pending.reads.length < pending.commit.changes.length) ask(pending);
      else cursor++;
    }
  };
  const parser = new RawLogParser((commit) => {
    queue.push({ commit: options.select ? options.select(commit) : commit, reads: [] });
    topUp();
    wake?.();
  }, options.filter);
  const producer = (async () => {
    try {
      for await (const fields of gitRecords(
        ['log', COMMIT_FORMAT, ...RAW_FLAGS, ...logArgs],
        root,
        options.input,
      )) {
        for (const field of fields) parser.push(field);
        if (state.abandoned) return;
        if (queue.length > QUEUED_COMMITS)
          await new Promise<void>((resolve) => {
            resume = resolve;
          });
      }
      parser.end();
    } catch (error) {
      state.logError = error instanceof Error ? error : new Error(String(error));
    } finally {
      state.logDone = true;
      wake?.();
    }
  })();
  try {
    let sliceStart = Date.now();
    for (;;) {
      if (queue.length === 0) {
        if (state.logDone) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      topUp();
      const pending = queue.shift() as Pending;
      cursor = Math.max(0, cursor - 1);
      if (queue.length <= QUEUED_COMMITS / 2) resume?.();
      const take = async (index: number) => {
        while (pending.reads.length <= index) ask(pending);
        const contents = await (pending.reads[index] as Promise<FeedBlob[]>);
        outstanding--;
        topUp();
        return contents;
      };
      yield { commit: pending.commit, take };
      if (Date.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = Date.now();
      }
    }
    if (state.logError) throw state.logError;
  } finally {
    state.abandoned = true;
    resume?.();
    reader.close();
    await producer;
    reader.kill();
  }
}
