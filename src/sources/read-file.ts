import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { archiveKind, entryChunk, openArchive } from './archive.js';
import { decode, sniff } from './decode.js';
import { isKeystore } from './keystore.js';
import type { Chunk, FileToRead, Skip, SourceContext } from './types.js';

/** What kind of special file a directory entry is, for the skip list. */
export function specialKind(entry: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (entry.isFIFO()) return 'named pipe';
  if (entry.isSocket()) return 'socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'device';
  return 'special file';
}

/** Bytes read first, to decide whether the rest is worth reading (a page multiple, at least SNIFF_BYTES). */
const HEAD_BYTES = 8192;

// No symlink is followed and no FIFO blocks the open, should the file be swapped after lstat
// (Windows has neither flag).
const flags: Partial<typeof constants> = constants;
/** Read-only, and no FIFO blocks the open (also for the directory walk's .gitignore files). */
export const OPEN_NONBLOCKING = constants.O_RDONLY | (flags.O_NONBLOCK ?? 0);
const OPEN_FLAGS = OPEN_NONBLOCKING | (flags.O_NOFOLLOW ?? 0);

/**
 * A file read into chunks (one, or an archive's text entries, with the entries not read), with its
 * size in bytes; why it is not scanned; or undefined for a directory. An archive's entries are
 * read as `chunks` is iterated, and `skips` is complete once it is.
 */
export type FileRead =
  { chunks: Iterable<Chunk>; bytes: number; skips?: Skip[] } | { skip: string } | undefined;

const statFailure = (error: unknown): FileRead => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? { skip: 'deleted in the working tree' }
    : { skip: `cannot read (${code ?? 'error'})` };
};

const readFailure = (error: unknown): FileRead => ({
  skip: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
});

/** What the file's metadata decides before any byte is read: a skip, a directory, or 'read'. */
function beforeReading(info: Stats, file: FileToRead): FileRead | 'read' {
  if (info.isSymbolicLink()) return { skip: 'symbolic link (not followed)' };
  if (info.isDirectory()) return undefined;
  if (!info.isFile()) return { skip: `not a regular file (${specialKind(info)})` };
  if (info.size > file.maxFileSize)
    return { skip: `larger than --max-file-size (${info.size} > ${file.maxFileSize} bytes)` };
  return 'read';
}

const opensArchives = (file: FileToRead): boolean => (file.archiveDepth ?? 0) > 0;

function fromBytes(bytes: Buffer, file: FileToRead): FileRead {
  const archive =
    bytes.buffer === archiveBuffer.buffer
      ? openArchive(bytes, file.path, {
          maxEntrySize: file.maxFileSize,
          maxDepth: file.archiveDepth ?? 0,
        })
      : undefined;
  if (archive !== undefined) {
    const skips: Skip[] = [];
    const read = archivesRead;
    function* entries(opened: NonNullable<typeof archive>): Generator<Chunk> {
      for (const entry of opened.texts) {
        if (read !== archivesRead)
          throw new Error(`${file.path}: another archive was read before this one's entries`);
        yield entryChunk(file.path, entry, 'file');
      }
      for (const { name, reason } of opened.skipped) skips.push({ path: name, reason });
    }
    return { chunks: entries(archive), bytes: bytes.length, skips };
  }
  const decoded = decode(bytes);
  if ('skip' in decoded) return decoded;
  return {
    chunks: [{ path: file.path, content: decoded.text, startLine: 1, origin: 'file' }],
    bytes: bytes.length,
  };
}

/**
 * Reads the open file `fd` of `size` bytes head first: its first HEAD_BYTES decide whether it is
 * text, and only a text file is read to the end (a 1 GB file of NUL bytes costs one small read, not
 * 1 GB of memory). Gives the bytes read, or undefined for a binary file.
 */
function headFirst(fd: number, size: number, archives: boolean): Buffer | undefined {
  let buffer: Buffer = scratch(Math.min(size, HEAD_BYTES));
  let filled = 0;
  const fill = (until: number): void => {
    while (filled < until) {
      const count = readSync(fd, buffer, filled, until - filled, filled);
      if (count === 0) return;
      filled += count;
    }
  };
  fill(Math.min(size, HEAD_BYTES));
  const head = buffer.subarray(0, filled);
  // A keystore is binary but read whole: decode() turns it into its base64 (keystore.ts); an
  // archive is read whole for its entries (archive.ts), into archiveBuffer, since its entries are
  // read lazily, after this function's caller has read other files into readBuffer.
  const archive = archives && archiveKind(head) !== undefined;
  if (sniff(head) === 'binary' && !isKeystore(head) && !archive) return undefined;
  if (archive) buffer = archiveScratch(size, head);
  if (filled < size && filled === HEAD_BYTES) {
    if (!archive) buffer = scratch(size, filled);
    fill(size);
  }
  return buffer.subarray(0, filled);
}

/**
 * One buffer per thread that every file is read into: what is made of a file's bytes (its text,
 * an archive's entries) is a copy, so the bytes are not needed once the next file is read, and a
 * scan of many large files or archives does not leave hundreds of megabytes of buffers for the
 * garbage collector to find. Grows to the largest file read (at most --max-file-size), keeping
 * the first `kept` bytes.
 */
let readBuffer = Buffer.allocUnsafeSlow(64 * 1024);
function scratch(size: number, kept = 0): Buffer {
  if (readBuffer.length < size) {
    const larger = Buffer.allocUnsafeSlow(Math.max(size, readBuffer.length * 2));
    readBuffer.copy(larger, 0, 0, kept);
    readBuffer = larger;
  }
  return readBuffer;
}

/**
 * The buffer archives are read into, apart from readBuffer: an archive's entries are read lazily,
 * as its chunks are iterated, and every caller iterates them before it reads the next file (which
 * `archivesRead` checks). One buffer per thread rather than one per archive: a Maven repository's
 * thousand jars, each a few MB allocated and freed, left the C heap of each scan thread 30 MB
 * larger than it needed to be.
 */
let archiveBuffer = Buffer.allocUnsafeSlow(0);
let archivesRead = 0;
function archiveScratch(size: number, head: Buffer): Buffer {
  if (archiveBuffer.length < size)
    archiveBuffer = Buffer.allocUnsafeSlow(Math.max(size, archiveBuffer.length * 2));
  head.copy(archiveBuffer);
  archivesRead++;
  return archiveBuffer;
}

/** A path to open: bytes come back from a worker's structured clone as a plain Uint8Array. */
const pathOf = (file: FileToRead): string | Buffer =>
  typeof file.file === 'string' ? file.file : Buffer.from(file.file);

const toFileRead = (bytes: Buffer | undefined, file: FileToRead): FileRead =>
  bytes === undefined ? { skip: 'binary file' } : fromBytes(bytes, file);

/** Whether open() can refuse a symbolic link itself, so that no lstat is needed before it. */
const OPEN_REFUSES_LINKS = flags.O_NOFOLLOW !== undefined;

/**
 * Reads a file, blocking, on the main thread as in scan workers: from the page cache a blocking
 * read of a small file takes microseconds, while an asynchronous one costs a round trip through
 * libuv's thread pool per call (open, fstat, read, close). Reading 800 small files 16 at a time
 * asynchronously cost a directory scan about 80 ms more (BENCHMARKS.md). Where open() takes
 * O_NOFOLLOW it refuses a symbolic link (ELOOP; EMLINK on FreeBSD) and no lstat comes first.
 */
export function readFileToReadSync(file: FileToRead): FileRead {
  if (!OPEN_REFUSES_LINKS) {
    let info;
    try {
      info = lstatSync(pathOf(file));
    } catch (error) {
      return statFailure(error);
    }
    const decision = beforeReading(info, file);
    if (decision !== 'read') return decision;
  }
  let fd: number;
  try {
    fd = openSync(pathOf(file), OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (OPEN_REFUSES_LINKS && (code === 'ELOOP' || code === 'EMLINK'))
      return { skip: 'symbolic link (not followed)' };
    return statFailure(error);
  }
  try {
    const opened = fstatSync(fd);
    const decision = beforeReading(opened, file);
    if (decision !== 'read') return decision;
    return toFileRead(headFirst(fd, opened.size, opensArchives(file)), file);
  } catch (error) {
    return readFailure(error);
  } finally {
    closeSync(fd);
  }
}

/**
 * The items in source order, with the files among them read here for as long as `readHere()` says
 * so, and reported to `ctx` as scanned or skipped; files after that come out unread, for worker
 * threads to read.
 */
export async function* readingAhead(
  items: AsyncIterable<Chunk | FileToRead>,
  ctx: SourceContext,
  readHere: () => boolean,
): AsyncGenerator<Chunk | FileToRead> {
  for await (const item of items) {
    if ('content' in item || !readHere()) {
      yield item;
      continue;
    }
    const result = readFileToReadSync(item);
    if (result === undefined) continue;
    if ('skip' in result) ctx.skip(item.path, result.skip);
    else {
      ctx.scanned(item.path, result.bytes);
      // yield* of an async generator over an array costs a few promise turns per file: a file's one
      // chunk is yielded as it is.
      if (Array.isArray(result.chunks)) for (const chunk of result.chunks as Chunk[]) yield chunk;
      else yield* result.chunks;
      // Filled as the chunks were read.
      for (const skip of result.skips ?? []) ctx.skip(skip.path, skip.reason);
    }
  }
}
