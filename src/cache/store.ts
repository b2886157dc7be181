import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { makeDirectory } from '../directories.js';
import { errnoText } from '../errors.js';

/** Bumped whenever the layout of a cache file or the meaning of its records changes. */
export const CACHE_FORMAT = 2;

/** The cache files a directory keeps at most (the least recently used go first)... */
const MAX_FILES = 16;
/** ...and the bytes they may take together; the file just written is always kept. */
export const DIRECTORY_BUDGET = 256 * 1024 * 1024;
/** A temp file older than this was left by a run that was killed while writing. */
const STALE_TEMP_MS = 10 * 60 * 1000;

const NAME = /^keyfence-[a-z]+-[0-9a-f]{32}\.cache$/;
const TEMP = /^\.keyfence-[a-z]+-[0-9a-f]{32}\.cache\.[0-9a-f]+\.tmp$/;

/** Hex SHA-256 of the parts, each ended by a NUL so that ("ab", "c") and ("a", "bc") differ. */
export function digest(...parts: readonly (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** One cache file: where it is, which kind of record it holds, and the key its content must carry. */
export interface CacheFile {
  dir: string;
  /** `history` or `content`. */
  kind: string;
  /** Everything the records depend on besides what they are keyed by (code, catalogue, options). */
  key: string;
  /** Where the records apply (a repository top, a scan directory): one file each. */
  scope: string;
}

/** The file's name: one per kind and scope, so that a change of key replaces it instead of adding one. */
export const fileName = (file: CacheFile): string =>
  `keyfence-${file.kind}-${digest(file.kind, file.scope).slice(0, 32)}.cache`;

interface Header {
  cache: 'keyfence';
  format: number;
  kind: string;
  key: string;
  bytes: number;
  sha256: string;
}

// A cache file is one keyfence wrote: no symbolic link is followed and no FIFO blocks the open
// (a link to /dev/zero was read until memory ran out, a FIFO waited for a writer forever).
const flags: Partial<typeof constants> = constants;
const OPEN_FLAGS = constants.O_RDONLY | (flags.O_NOFOLLOW ?? 0) | (flags.O_NONBLOCK ?? 0);

/** Why the opened file cannot be a cache file keyfence wrote, if it cannot: not a file, or too large. */
function notACacheFile(info: Stats): string | undefined {
  if (!info.isFile()) return 'not a regular file';
  if (info.size > DIRECTORY_BUDGET) return `larger than a cache directory may be (${info.size} bytes)`;
  return undefined;
}

/** What reading a cache file gave: its body, nothing yet, or why it cannot be trusted. */
export type Loaded = { body: unknown; rest: Buffer } | { missing: true } | { problem: string };

/**
 * Reads a cache file: a header line (format, kind, key, the body's length and SHA-256), then the
 * body. Anything that does not check out (another format or key, a different length or checksum:
 * truncated, corrupt, or written over by something else) is a problem, never a partial trust.
 */
export async function readCacheFile(file: CacheFile): Promise<Loaded> {
  let bytes: Buffer;
  try {
    const handle = await open(join(file.dir, fileName(file)), OPEN_FLAGS);
    try {
      const problem = notACacheFile(await handle.stat());
      if (problem !== undefined) return { problem };
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Not there, or under a path that is no directory: nothing to read (writing it will say why it cannot).
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
    if (code === 'ELOOP' || code === 'EMLINK') return { problem: 'not a regular file (a symbolic link)' };
    return { problem: `cannot read it (${errnoText(error)})` };
  }
  const newline = bytes.indexOf(10);
  const header = parseHeader(bytes, newline);
  const problem = headerProblem(header, file);
  if (problem !== undefined || header === undefined) return { problem: problem ?? '' };
  const body = bytes.subarray(newline + 1);
  if (body.length !== header.bytes || digest(body) !== header.sha256)
    return { problem: 'truncated or corrupt (its checksum does not match)' };
  // The body's first line is parsed now; what follows it (`rest`) when its reader asks.
  const end = body.indexOf(10);
  try {
    return {
      body: JSON.parse(body.toString('utf8', 0, end === -1 ? body.length : end)) as unknown,
      rest: end === -1 ? Buffer.alloc(0) : body.subarray(end + 1),
    };
  } catch {
    return { problem: 'corrupt (its body is not JSON)' };
  }
}

/**
 * Writes a cache file atomically: a temp file beside it, then a rename over it, so that a reader
 * (another scan sharing the directory) sees the old file or the new one, never half of either.
 */
function parseHeader(bytes: Buffer, newline: number): Partial<Header> | undefined {
  try {
    return newline === -1 ? undefined : (JSON.parse(bytes.toString('utf8', 0, newline)) as Partial<Header>);
  } catch {
    return undefined;
  }
}

function headerProblem(header: Partial<Header> | undefined, file: CacheFile): string | undefined {
  if (header?.cache !== 'keyfence' || typeof header.format !== 'number') return 'not a keyfence cache file';
  if (header.format !== CACHE_FORMAT || header.kind !== file.kind)
    return `written in another cache format (${String(header.format)})`;
  if (header.key !== file.key) return 'written by another keyfence build, rule catalogue or set of options';
  return undefined;
}

/**
 * Whether the file is there with a header of this format and key: read in one blocking call
 * before any git process starts, so that a scan can start the work a cache saves only when there
 * is likely a cache (its body is checked when read).
 */
export function cacheFileLooksCurrent(file: CacheFile): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(join(file.dir, fileName(file)), OPEN_FLAGS);
    if (notACacheFile(fstatSync(fd)) !== undefined) return false;
    const head = Buffer.alloc(4096);
    const length = readSync(fd, head, 0, head.length, 0);
    const newline = head.subarray(0, length).indexOf(10);
    return headerProblem(parseHeader(head, newline), file) === undefined;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export async function writeCacheFile(file: CacheFile, body: unknown, rest?: unknown): Promise<void> {
  const text = Buffer.from(
    rest === undefined ? JSON.stringify(body) : `${JSON.stringify(body)}\n${JSON.stringify(rest)}`,
  );
  const header: Header = {
    cache: 'keyfence',
    format: CACHE_FORMAT,
    kind: file.kind,
    key: file.key,
    bytes: text.length,
    sha256: digest(text),
  };
  await makeDirectory(file.dir);
  const name = fileName(file);
  const temp = join(file.dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), text]), {
      mode: 0o600,
    });
    await rename(temp, join(file.dir, name));
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await evict(file.dir, name);
}

/** Marks a file used without rewriting it (eviction removes the least recently used). */
export async function touchCacheFile(file: CacheFile): Promise<void> {
  const now = new Date();
  await utimes(join(file.dir, fileName(file)), now, now);
}

/**
 * Keeps the directory within MAX_FILES files and DIRECTORY_BUDGET bytes, dropping the least
 * recently used cache files first (never `keep`), and removes temp files a killed run left.
 * Only files with keyfence's cache names are touched.
 */
async function evict(dir: string, keep: string): Promise<void> {
  const entries = await Promise.all(
    (await readdir(dir))
      .filter((name) => NAME.test(name) || TEMP.test(name))
      .map(async (name) => ({ name, info: await stat(join(dir, name)).catch(() => undefined) })),
  );
  const now = Date.now();
  const files = [];
  for (const { name, info } of entries) {
    if (!info?.isFile()) continue;
    if (TEMP.test(name)) {
      if (now - info.mtimeMs > STALE_TEMP_MS) await rm(join(dir, name), { force: true });
    } else files.push({ name, size: info.size, used: name === keep ? Infinity : info.mtimeMs });
  }
  files.sort((a, b) => b.used - a.used);
  let bytes = 0;
  let kept = 0;
  for (const { name, size } of files) {
    if (name === keep || (kept < MAX_FILES && bytes + size <= DIRECTORY_BUDGET)) {
      kept++;
      bytes += size;
    } else await rm(join(dir, name), { force: true });
  }
}
