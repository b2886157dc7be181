import { exitFailure, gitFailure, GitError } from './git-error.js';
import { spawnGit, stderrOf } from './git.js';

/** A blob over the reader's size limit: only its size was read. */
export interface TooLarge {
  tooLarge: number;
}

/** What reading a blob gives: its content, or its size when over the limit. */
export type BlobRead = Buffer | TooLarge;

/**
 * An object git could not give: cat-file answers "missing" for a missing or corrupt object, or
 * dies on a corrupt one (before or after its header). git's error lines (on stderr: "inflate: data stream error",
 * "unable to unpack … header") say which, joined on one line.
 */
function unreadableFailure(sha: string, stderr: string): GitError {
  const errors = [
    ...new Set(
      stderr
        .split('\n')
        .filter((line) => /^(error|fatal): /.test(line))
        .map((line) => line.replace(/^(error|fatal): /, '')),
    ),
  ];
  const why = errors.length === 0 ? 'it is not in the repository' : errors.join('; ');
  return new GitError(
    `git cat-file: cannot read object ${sha}: ${why}`,
    false,
    stderr,
    undefined,
    `git fsck lists the damage; git log --all --find-object=${sha} the commits that use it`,
  );
}

interface Waiting {
  sha: string;
  resolve: (content: BlobRead) => void;
  reject: (error: Error) => void;
}

/**
 * One long-running `git cat-file --batch`: blob contents by object id, answered in the order asked.
 * Requests are pipelined (git reads ids while we parse earlier answers), which is what makes reading
 * each blob of a history once cheaper than `git log -p` inflating and diffing both sides of every change.
 */
export class BlobReader {
  private readonly child;
  private readonly waiting: Waiting[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Size of the object being read (its header already parsed), or -1 between objects. */
  private size = -1;
  /** Bytes of an over-limit object (and its newline) still to be dropped unread. */
  private discard = 0;
  private failure: Error | undefined;
  private requests = '';
  /** An object git could not give: the reader waits for git to exit and fails with its stderr. */
  private unreadableSha: string | undefined;

  /** `maxSize`: larger blobs are answered with their size only, never held in memory. */
  constructor(
    root: string,
    private readonly maxSize = Infinity,
  ) {
    const args = ['cat-file', '--batch'];
    this.child = spawnGit(args, root, 'pipe');
    this.child.stdout.on('data', (data: Buffer) => {
      this.receive(data);
    });
    const stderr = stderrOf(this.child);
    this.child.on('error', (error) => {
      this.fail(gitFailure(error, args));
    });
    this.child.on('close', (code, signal) => {
      const reading = this.waiting[0]?.sha;
      if (this.unreadableSha !== undefined) this.fail(unreadableFailure(this.unreadableSha, stderr()));
      // Dead with reads outstanding: git answers in order, so it died on the first (a corrupt object).
      else if (signal === null && code !== 0 && reading !== undefined)
        this.fail(unreadableFailure(reading, stderr()));
      else if (this.waiting.length > 0 || (code !== 0 && code !== null) || signal !== null)
        this.fail(exitFailure(args, code, signal, stderr()));
    });
    // A write after git died is reported through 'close'; the stream error itself says nothing more.
    this.child.stdin?.on('error', () => undefined);
  }

  /**
   * The content of a blob. A blob git cannot give (missing, or corrupt: cat-file says "missing"
   * for both) fails the read, and every read after it: the history is unreadable, an error.
   */
  read(sha: string): Promise<BlobRead> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ sha, resolve, reject });
      // One write per burst of requests, not one system call per blob.
      if (this.requests === '')
        queueMicrotask(() => {
          this.flush();
        });
      this.requests += `${sha}\n`;
    });
  }

  private flush(): void {
    this.child.stdin?.write(this.requests);
    this.requests = '';
  }

  /** Ends git's input; outstanding reads are still answered. */
  close(): void {
    if (this.requests !== '') this.flush();
    this.child.stdin?.end();
  }

  /** Stops git at once (the scan was abandoned). */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const waiting of this.waiting.splice(0)) waiting.reject(error);
  }

  private receive(data: Buffer): void {
    if (this.unreadableSha !== undefined) return;
    this.pending.push(data);
    this.pendingBytes += data.length;
    for (;;) {
      if (this.discard > 0) {
        this.drop();
        if (this.discard > 0) return;
        continue;
      }
      if (this.size < 0) {
        const newline = this.joined().indexOf(10);
        if (newline === -1) return;
        const header = this.take(newline).toString('latin1');
        // "<sha> <type> <size>", or "<sha> missing".
        const fields = header.split(' ');
        if (fields[1] === 'missing' || fields.length !== 3) {
          this.unreadable(fields[0] ?? header);
          return;
        }
        const size = Number(fields[2]);
        if (size > this.maxSize) {
          this.discard = size + 1;
          this.answer({ tooLarge: size });
          continue;
        }
        this.size = size;
      }
      // The object and the newline git writes after it.
      if (this.pendingBytes < this.size + 1) return;
      const content = this.take(this.size);
      this.size = -1;
      this.answer(content);
    }
  }

  /** The buffered bytes as one buffer (kept as the only pending one). */
  private joined(): Buffer {
    const buffered = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.pending = [buffered];
    return buffered;
  }

  /** The first `count` buffered bytes; they and the newline git writes after them are consumed. */
  private take(count: number): Buffer {
    const buffered = this.joined();
    const rest = buffered.subarray(count + 1);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return buffered.subarray(0, count);
  }

  /** Drops buffered bytes of an over-limit object. */
  private drop(): void {
    while (this.discard > 0 && this.pending.length > 0) {
      const head = this.pending[0] as Buffer;
      const dropped = Math.min(head.length, this.discard);
      this.discard -= dropped;
      this.pendingBytes -= dropped;
      if (dropped === head.length) this.pending.shift();
      else this.pending[0] = head.subarray(dropped);
    }
  }

  /** Stops at an object git cannot give; the reads fail once git has exited and said why. */
  private unreadable(sha: string): void {
    this.unreadableSha = sha;
    this.close();
  }

  private answer(content: BlobRead): void {
    this.waiting.shift()?.resolve(content);
  }
}
