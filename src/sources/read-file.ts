import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { decode, sniff } from './decode.js';
import { isKeystore } from './keystore.js';
import type { Chunk, FileToRead, SourceContext } from './types.js';

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

/** Files read at once by the main thread: enough to keep the disk busy without holding many in memory. */
const READ_AHEAD = 16;

/** Bytes read first, to decide whether the rest is worth reading (a page multiple, at least SNIFF_BYTES). */
const HEAD_BYTES = 8192;

// No symlink is followed and no FIFO blocks the open, should the file be swapped after lstat
// (Windows has neither flag).
const flags: Partial<typeof constants> = constants;
const OPEN_FLAGS = constants.O_RDONLY | (flags.O_NOFOLLOW ?? 0) | (flags.O_NONBLOCK ?? 0);

/** A file read into a chunk (with its size in bytes), why it is not scanned, or undefined for a directory. */
export type FileRead = { chunk: Chunk; bytes: number } | { skip: string } | undefined;

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

function fromBytes(bytes: Buffer, file: FileToRead): FileRead {
  const decoded = decode(bytes);
  if ('skip' in decoded) return decoded;
  return {
    chunk: { path: file.path, content: decoded.text, startLine: 1, origin: 'file' },
    bytes: bytes.length,
  };
}

/** A read of `length` bytes into `buffer` at `offset` (also the file position); answered with the count read. */
type ReadRequest = [buffer: Buffer, offset: number, length: number];

/**
 * Reads a file of `size` bytes head first: its first HEAD_BYTES decide whether it is text, and only
 * a text file is read to the end (a 1 GB file of NUL bytes costs one small read, not 1 GB of
 * memory). A plan of reads, so that the main thread runs it with asynchronous reads and scan
 * workers with blocking ones. Gives the bytes read, or undefined for a binary file.
 */
function* headFirst(size: number): Generator<ReadRequest, Buffer | undefined, number> {
  let buffer = Buffer.allocUnsafe(Math.min(size, HEAD_BYTES));
  let filled = 0;
  const fill = function* (until: number): Generator<ReadRequest, void, number> {
    while (filled < until) {
      const count = yield [buffer, filled, until - filled];
      if (count === 0) return;
      filled += count;
    }
  };
  yield* fill(buffer.length);
  const head = buffer.subarray(0, filled);
  // A keystore is binary but read whole: decode() turns it into its base64 (keystore.ts).
  if (sniff(head) === 'binary' && !isKeystore(head)) return undefined;
  if (filled < size && filled === buffer.length) {
    const whole = Buffer.allocUnsafe(size);
    buffer.copy(whole);
    buffer = whole;
    yield* fill(size);
  }
  return buffer.subarray(0, filled);
}

/** A path to open: bytes come back from a worker's structured clone as a plain Uint8Array. */
const pathOf = (file: FileToRead): string | Buffer =>
  typeof file.file === 'string' ? file.file : Buffer.from(file.file);

const toFileRead = (bytes: Buffer | undefined, file: FileToRead): FileRead =>
  bytes === undefined ? { skip: 'binary file' } : fromBytes(bytes, file);

/** Reads a file on the main thread, through libuv's thread pool, so that several reads overlap. */
export async function readFileToRead(file: FileToRead): Promise<FileRead> {
  let info;
  try {
    info = await lstat(pathOf(file));
  } catch (error) {
    return statFailure(error);
  }
  const decision = beforeReading(info, file);
  if (decision !== 'read') return decision;
  let handle: FileHandle | undefined;
  try {
    handle = await open(pathOf(file), OPEN_FLAGS);
    // Checked again on what was opened, in case the file was swapped since lstat.
    const opened = await handle.stat();
    const again = beforeReading(opened, file);
    if (again !== 'read') return again;
    const plan = headFirst(opened.size);
    let step = plan.next();
    while (!step.done) {
      const [buffer, offset, length] = step.value;
      step = plan.next((await handle.read(buffer, offset, length, offset)).bytesRead);
    }
    return toFileRead(step.value, file);
  } catch (error) {
    return readFailure(error);
  } finally {
    await handle?.close();
  }
}

/**
 * The same, blocking: for scan workers, which have nothing else to do meanwhile and would only add
 * a round trip through the shared thread pool per file.
 */
export function readFileToReadSync(file: FileToRead): FileRead {
  let info;
  try {
    info = lstatSync(pathOf(file));
  } catch (error) {
    return statFailure(error);
  }
  const decision = beforeReading(info, file);
  if (decision !== 'read') return decision;
  let fd: number | undefined;
  try {
    fd = openSync(pathOf(file), OPEN_FLAGS);
    const opened = fstatSync(fd);
    const again = beforeReading(opened, file);
    if (again !== 'read') return again;
    const plan = headFirst(opened.size);
    let step = plan.next();
    while (!step.done) {
      const [buffer, offset, length] = step.value;
      step = plan.next(readSync(fd, buffer, offset, length, offset));
    }
    return toFileRead(step.value, file);
  } catch (error) {
    return readFailure(error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The items in source order, with the files among them read here, READ_AHEAD at a time, for as
 * long as `readHere()` says so, and reported to `ctx` as scanned or skipped; files after that come
 * out unread, for worker threads to read.
 */
export async function* readingAhead(
  items: AsyncIterable<Chunk | FileToRead>,
  ctx: SourceContext,
  readHere: () => boolean,
): AsyncGenerator<Chunk | FileToRead> {
  const reading: { file: FileToRead; read: Promise<FileRead> }[] = [];
  const settle = async function* (): AsyncGenerator<Chunk> {
    const { file, read } = reading.shift() as (typeof reading)[number];
    const result = await read;
    if (result === undefined) return;
    if ('skip' in result) ctx.skip(file.path, result.skip);
    else {
      ctx.scanned(file.path, result.bytes);
      yield result.chunk;
    }
  };
  for await (const item of items) {
    if (!('content' in item) && readHere()) {
      reading.push({ file: item, read: readFileToRead(item) });
      if (reading.length >= READ_AHEAD) yield* settle();
      continue;
    }
    while (reading.length > 0) yield* settle();
    yield item;
  }
  while (reading.length > 0) yield* settle();
}
