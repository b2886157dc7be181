import { lstatSync, readFileSync, type Stats } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { decode, hasBinaryExtension } from './decode.js';
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
  if (hasBinaryExtension(file.path)) return { skip: 'binary file' };
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

/** Reads a file on the main thread, through libuv's thread pool, so that several reads overlap. */
export async function readFileToRead(file: FileToRead): Promise<FileRead> {
  let info;
  try {
    info = await lstat(file.file);
  } catch (error) {
    return statFailure(error);
  }
  const decision = beforeReading(info, file);
  if (decision !== 'read') return decision;
  try {
    return fromBytes(await readFile(file.file), file);
  } catch (error) {
    return readFailure(error);
  }
}

/**
 * The same, blocking: for scan workers, which have nothing else to do meanwhile and would only add
 * a round trip through the shared thread pool per file.
 */
export function readFileToReadSync(file: FileToRead): FileRead {
  let info;
  try {
    info = lstatSync(file.file);
  } catch (error) {
    return statFailure(error);
  }
  const decision = beforeReading(info, file);
  if (decision !== 'read') return decision;
  try {
    return fromBytes(readFileSync(file.file), file);
  } catch (error) {
    return readFailure(error);
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
