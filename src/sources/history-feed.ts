import { BlobReader, type BlobRead } from './cat-file.js';
import { gitRecords } from './git.js';
import { COMMIT_FORMAT, RAW_FLAGS, RawLogParser, type RawCommit } from './raw-log.js';

/** Blob contents by id: a least-recently-used cache within a byte budget, over one BlobReader. */
class BlobStore {
  private readonly entries = new Map<string, Buffer | Promise<BlobRead>>();
  private bytes = 0;

  constructor(
    private readonly reader: BlobReader,
    private readonly budget: number,
  ) {}

  get(sha: string): Promise<BlobRead> {
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

/** A commit and, per change, what reading its new blob and the blobs it replaces gave. */
export interface CommitContents {
  commit: RawCommit;
  contents: BlobRead[][];
}

/** Commits parsed ahead of the scan; git log pauses beyond this. */
const QUEUED_COMMITS = 4096;
/** Blob reads asked of git ahead of the scan: enough to keep it busy, few enough to bound memory. */
const READ_AHEAD = 1024;
/** Blob bytes kept for the next version of each file to be compared against. */
const CACHE_BYTES = 64 * 1024 * 1024;
/** Longest stretch of scanning before git's pipes are drained into memory, in milliseconds. */
const SLICE_MS = 8;

type Reads = Promise<BlobRead[]>[];

/**
 * The commits `git log <logArgs>` lists, with the blobs each change needs, read by one `git cat-file
 * --batch`. git log, cat-file and the scan run concurrently: the log is parsed ahead of the scan (up
 * to QUEUED_COMMITS), blobs are requested ahead (up to READ_AHEAD), and the scan hands control back
 * to the event loop every few milliseconds so that neither git process waits on a full pipe.
 */
export async function* commitContents(
  logArgs: readonly string[],
  root: string,
  maxBlobSize?: number,
): AsyncGenerator<CommitContents> {
  const reader = new BlobReader(root, maxBlobSize);
  const store = new BlobStore(reader, CACHE_BYTES);
  const queue: RawCommit[] = [];
  const requested: Reads[] = []; // reads of queue[0 .. requested.length)
  let outstanding = 0;
  // Shared with the producer below; an object, because the flags change inside its closure.
  const state: { logDone: boolean; logError: Error | undefined; abandoned: boolean } = {
    logDone: false,
    logError: undefined,
    abandoned: false,
  };
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  const topUp = () => {
    while (requested.length < queue.length && outstanding < READ_AHEAD) {
      const commit = queue[requested.length] as RawCommit;
      const reads = commit.changes.map((change) =>
        Promise.all([change.next, ...change.previous].map((sha) => store.get(sha))),
      );
      // Awaited in order later; a failed read must not count as unhandled before then.
      for (const read of reads) read.catch(() => undefined);
      outstanding += reads.length;
      requested.push(reads);
    }
  };
  const parser = new RawLogParser((commit) => {
    queue.push(commit);
    topUp();
    wake?.();
  });
  const producer = (async () => {
    try {
      for await (const fields of gitRecords(['log', COMMIT_FORMAT, ...RAW_FLAGS, ...logArgs], root, '\0')) {
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
    let sliceStart = performance.now();
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
      const commit = queue.shift() as RawCommit;
      const reads = requested.shift() as Reads;
      outstanding -= reads.length;
      if (queue.length <= QUEUED_COMMITS / 2) resume?.();
      yield { commit, contents: await Promise.all(reads) };
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
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
