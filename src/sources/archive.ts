import type * as Zlib from 'node:zlib';
import { released } from '../heap-relief.js';
import { decode, sniff, SNIFF_BYTES } from './decode.js';
import { isKeystore } from './keystore.js';
import type { Chunk, Origin } from './types.js';

// Loaded on the first archive: a pre-commit scan of text files should not pay for zlib (1.6 ms).
let zlibModule: typeof Zlib | undefined;
const zlib = (): typeof Zlib => (zlibModule ??= process.getBuiltinModule('node:zlib'));

/**
 * Archives committed by mistake (a backup zip of a config directory, a jar with its
 * application.properties, a .tar.gz of a home directory, an Office document) hold text files like
 * any other. Their entries are read here and scanned as files named `archive.zip!path/in/it`.
 *
 * The containers are read here (a zip's central directory, tar's 512-byte headers, about a hundred
 * lines) and decompressed by Node's zlib, whose `maxOutputLength` stops an entry that inflates past
 * its limit whatever its header claims: the npm readers (yauzl, tar-stream) are asynchronous
 * streams over file descriptors, and fflate inflates in JavaScript without such a bound.
 */

/** How far archives are opened. */
export interface ArchiveLimits {
  /** An entry larger than this, uncompressed, is listed as skipped (the --max-file-size of files). */
  maxEntrySize: number;
  /** Archives inside archives are opened to this depth (1: the outer one only; 0: none). */
  maxDepth: number;
}

/** An entry read as text (its name from the outer archive down, `!` between archives). */
export interface ArchiveText {
  name: string;
  text: string;
}

/** An archive's entry that was not read, and why. */
export interface ArchiveSkip {
  name: string;
  reason: string;
}

/** Compressed bytes inflated first to tell a binary entry (a NUL among its first bytes) from text. */
const HEAD_INPUT = 512;

/**
 * What those bytes may inflate to: what sniff() reads. Deflate expands a thousandfold, and a
 * passed-over entry spends nothing of the budget, so thousands of heads must stay small.
 */
const HEAD_OUTPUT = SNIFF_BYTES;

/** Entries read from one archive at most; the rest are listed as one skip. */
const MAX_ENTRIES = 100_000;

/** What an archive, nested ones included, may expand to in all: a bound on time for a zip bomb. */
const totalBudget = (limits: ArchiveLimits): number =>
  Math.min(Math.max(64 * 1024 * 1024, 4 * limits.maxEntrySize), 1024 * 1024 * 1024);

const ZIP_LOCAL = 0x04034b50;
const ZIP_END = 0x06054b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;

type Kind = 'zip' | 'gzip' | 'tar';

/**
 * The kind of archive the first bytes announce, if any. Asked of every file read (byte compares
 * only, no allocation): a text file is rarely one.
 */
export function archiveKind(head: Uint8Array): Kind | undefined {
  const [first, second, third, fourth] = head;
  if (first === 0x50 && second === 0x4b && ((third === 3 && fourth === 4) || (third === 5 && fourth === 6)))
    return 'zip';
  if (first === 0x1f && second === 0x8b && third === 8) return 'gzip';
  // The magic first: a Buffer over the header is made only for a tar.
  if (
    head.length >= 512 &&
    hasUstarMagic(head) &&
    isTarHeader(Buffer.from(head.buffer, head.byteOffset, 512))
  )
    return 'tar';
  return undefined;
}

const USTAR = [0x75, 0x73, 0x74, 0x61, 0x72];
const hasUstarMagic = (head: Uint8Array): boolean => USTAR.every((byte, index) => head[257 + index] === byte);

/** A ustar or GNU tar header with a valid checksum. */
function isTarHeader(block: Buffer): boolean {
  if (!hasUstarMagic(block)) return false;
  let sum = 0;
  for (let index = 0; index < 512; index++)
    sum += index >= 148 && index < 156 ? 32 : (block[index] as number);
  return sum === octalField(block, 148, 156);
}

/** A tar header's octal number field (ended by NULs or blanks); NaN when it holds none. */
const octalField = (header: Buffer, from: number, to: number): number =>
  parseInt(
    header
      .toString('latin1', from, to)
      .replace(/[\0 ]+$/, '')
      .trim(),
    8,
  );

/** The most deflate expands its input (258 bytes of a run per 2 bits of code). */
const DEFLATE_RATIO = 1032;

/**
 * What an inflate that fails spends of the budget, at least: Node frees a zlib stream that failed
 * only once the event loop turns, which it does not while an archive's entries are read, so each
 * failure holds its output buffer and stream until then (40,000 damaged .gz entries in one zip:
 * 450 MB and ten seconds). A failed gunzip spends what it may have inflated before it failed.
 */
const FAILED_INFLATE = 64 * 1024;

/** Compressed bytes of a gzip inflated first to tell a tar from one file (a tar header is 512 bytes). */
const GZIP_HEAD_INPUT = 256;

/**
 * Whether a gzip holds one file rather than a tar, from what its first GZIP_HEAD_INPUT bytes inflate
 * to (a sync flush returns it, at most a thousand times as much); false when they cannot tell.
 */
function gzipHoldsOneFile(bytes: Buffer): boolean {
  let head: Buffer;
  try {
    head = zlib().gunzipSync(bytes.subarray(0, GZIP_HEAD_INPUT), {
      finishFlush: zlib().constants.Z_SYNC_FLUSH,
      maxOutputLength: GZIP_HEAD_INPUT * DEFLATE_RATIO,
    });
  } catch {
    return false;
  }
  if (head.length >= 512) return !isTarHeader(head.subarray(0, 512));
  // All of a file shorter than a tar's header, or too little of a longer one to tell.
  return bytes.length <= GZIP_HEAD_INPUT;
}

/**
 * The first bytes of a deflated entry, from the first HEAD_INPUT bytes of its compressed data: a
 * sync flush makes zlib return what it has decoded so far instead of failing on the cut stream.
 * Undefined when they inflate past HEAD_OUTPUT: such an entry is read whole, within the budget.
 */
function inflatedHead(stored: Buffer, size: number): Buffer | undefined {
  try {
    return zlib().inflateRawSync(stored.subarray(0, HEAD_INPUT), {
      finishFlush: zlib().constants.Z_SYNC_FLUSH,
      maxOutputLength: Math.max(1, Math.min(size, HEAD_OUTPUT)),
      // Output in small pieces: a head is usually a few hundred bytes, and a jar has thousands.
      chunkSize: 1024,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    throw error;
  }
}

/**
 * A head that shows the entry is neither text, nor an archive, nor a keystore: passed over unread, as a
 * binary file is. A head without a NUL byte decides nothing: the whole entry is read and sniffed.
 */
function passedOver(head: Buffer): boolean {
  return sniff(head) === 'binary' && archiveKind(head) === undefined && !isKeystore(head);
}

/** Why an error stopped an entry, in a few words. */
function failure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ERR_BUFFER_TOO_LARGE') return 'expands past its limit';
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'error') : 'error';
}

/** Reads archives and what they hold, within one budget of expanded bytes. */
class ArchiveReader {
  readonly skipped: ArchiveSkip[] = [];
  private budget: number;

  constructor(private readonly limits: ArchiveLimits) {
    this.budget = totalBudget(limits);
  }

  /** Reads the archive `bytes` of kind `kind` named `name` (inside `prefix`), at `depth` (1: the outer one). */
  *read(bytes: Buffer, kind: Kind, name: string, depth: number): Generator<ArchiveText> {
    try {
      if (kind === 'zip') yield* this.zip(bytes, name, depth);
      else if (kind === 'tar') yield* this.tar(bytes, name, depth);
      else yield* this.gzip(bytes, name, depth);
    } catch (error) {
      this.skip(name, `unreadable ${kind} archive (${failure(error)})`);
    }
  }

  private skip(name: string, reason: string): void {
    this.skipped.push({ name, reason });
  }

  /** An entry's bytes: scanned as text, opened as an archive, or passed over as binary. */
  private *entry(bytes: Buffer, name: string, depth: number): Generator<ArchiveText> {
    const kind = archiveKind(bytes);
    if (kind !== undefined) {
      if (depth < this.limits.maxDepth) yield* this.read(bytes, kind, name, depth + 1);
      else this.skip(name, `archive nested deeper than --max-archive-depth (${this.limits.maxDepth})`);
      return;
    }
    const decoded = decode(bytes);
    // A binary entry (a class file, an image) is passed over as a binary file would be, unlisted:
    // a jar holds thousands.
    if ('text' in decoded) yield { name, text: decoded.text };
  }

  /** Takes `size` bytes of the budget; false (and the rest of `archive` listed) when it is spent. */
  private spend(size: number, archive: string): boolean {
    if (size <= this.budget) {
      this.budget -= size;
      return true;
    }
    this.budget = -1;
    this.skip(archive, this.pastBudget());
    return false;
  }

  /**
   * Whether the budget is spent, and if so the rest of `archive` listed: an archive inside it spent
   * it, and was listed, but this one's later entries are not read either.
   */
  private exhausted(archive: string): boolean {
    if (this.budget >= 0) return false;
    this.skip(archive, this.pastBudget());
    return true;
  }

  private pastBudget(): string {
    return `expands past ${totalBudget(this.limits)} bytes: the rest of its entries were not scanned`;
  }

  private tooMany(archive: string): void {
    this.skip(
      archive,
      `more than ${MAX_ENTRIES} entries: those past the first ${MAX_ENTRIES} were not scanned`,
    );
  }

  private tooLarge(size: number): string {
    return `larger than --max-file-size (${size} > ${this.limits.maxEntrySize} bytes)`;
  }

  private *zip(bytes: Buffer, archive: string, depth: number): Generator<ArchiveText> {
    const directory = zipDirectory(bytes);
    if (directory.unlisted)
      this.skip(archive, 'holds entries its central directory does not list: they were not scanned');
    if (directory.entries.length > MAX_ENTRIES) this.tooMany(archive);
    for (const entry of directory.entries.slice(0, MAX_ENTRIES)) {
      if (this.exhausted(archive)) return;
      const name = `${archive}!${entry.name}`;
      if (entry.name.endsWith('/')) {
        // unzip makes a directory of it and drops the bytes; a stream reader hands them over.
        if (entry.size > 0) this.skip(name, 'directory entry that holds data, which keyfence does not read');
        continue;
      }
      if ((entry.flags & 1) !== 0) {
        this.skip(name, 'encrypted archive entry');
        continue;
      }
      if (entry.method !== 0 && entry.method !== 8) {
        this.skip(name, `archive entry compressed with method ${entry.method}, which keyfence cannot read`);
        continue;
      }
      if (entry.size > this.limits.maxEntrySize) {
        this.skip(name, this.tooLarge(entry.size));
        continue;
      }
      let data: Buffer;
      try {
        const stored = zipEntryData(bytes, entry);
        // Most entries of a jar or an apk are binary (classes, images): their first bytes are
        // inflated to tell, not the whole entry.
        const head =
          entry.method === 8 && stored.length > HEAD_INPUT ? inflatedHead(stored, entry.size) : undefined;
        if (head !== undefined && passedOver(head)) continue;
        if (!this.spend(entry.size, archive)) return;
        data =
          entry.method === 0
            ? stored
            : // One output buffer of the entry's size: zlib's default 16 KB pieces, joined at the
              // end, made every entry twice over.
              zlib().inflateRawSync(stored, {
                maxOutputLength: Math.max(1, entry.size),
                chunkSize: Math.max(64, entry.size + 1),
              });
      } catch (error) {
        this.skip(name, `unreadable archive entry (${failure(error)})`);
        if (!this.spend(FAILED_INFLATE, archive)) return;
        continue;
      }
      if (data.length !== entry.size || zlib().crc32(data) !== entry.crc) {
        this.skip(name, 'corrupt archive entry (its size or checksum does not match)');
        continue;
      }
      yield* this.entry(data, name, depth);
      if (entry.method !== 0) released(data.length);
    }
  }

  private *gzip(bytes: Buffer, archive: string, depth: number): Generator<ArchiveText> {
    const room = Math.max(1, Math.min(this.budget, totalBudget(this.limits)));
    // A gzip of one file (not a tar) is read only up to --max-file-size: a 62 KB .json.gz of 63 MB
    // was inflated whole (183 MB of memory) before it was listed as too large.
    const single = gzipHoldsOneFile(bytes);
    const limit = single ? Math.min(room, this.limits.maxEntrySize + 1) : room;
    // The size gzip's trailer gives (modulo 4 GB; only a hint) as the output buffer's, within 16 MB.
    const hinted = bytes.length >= 4 ? bytes.readUInt32LE(bytes.length - 4) + 1 : 64;
    let data: Buffer;
    try {
      data = zlib().gunzipSync(bytes, {
        maxOutputLength: limit,
        chunkSize: Math.max(64, Math.min(hinted, limit + 1, 16 * 1024 * 1024)),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') {
        this.skip(archive, `unreadable gzip archive (${failure(error)})`);
        this.spend(Math.max(FAILED_INFLATE, Math.min(room, bytes.length * DEFLATE_RATIO)), archive);
      } else if (limit < room) {
        this.skip(archive, this.tooLarge(Math.max(hinted - 1, limit)));
        this.spend(limit, archive);
      } else this.spend(Infinity, archive);
      return;
    }
    if (!this.spend(data.length, archive)) return;
    try {
      yield* this.gunzipped(data, archive, depth);
    } finally {
      released(data.length);
    }
  }

  private *gunzipped(data: Buffer, archive: string, depth: number): Generator<ArchiveText> {
    // A .tar.gz is one archive: its files are named inside it directly, and they spend the budget
    // as they are read (counted as the tar too, a 40 MB .tar.gz went past a 64 MB budget).
    if (archiveKind(data) === 'tar') {
      this.budget += data.length;
      yield* this.tar(data, archive, depth);
      return;
    }
    if (data.length > this.limits.maxEntrySize) {
      this.skip(archive, this.tooLarge(data.length));
      return;
    }
    // A .json.gz holds one file, named as the archive without its suffix.
    const base =
      archive
        .slice(archive.lastIndexOf('!') + 1)
        .split('/')
        .pop() ?? archive;
    const inner = /.\.gz$/i.test(base) ? base.slice(0, -3) : base;
    yield* this.entry(data, `${archive}!${inner}`, depth);
  }

  private *tar(bytes: Buffer, archive: string, depth: number): Generator<ArchiveText> {
    let longName: string | undefined;
    let entries = 0;
    for (let at = 0; at + 512 <= bytes.length;) {
      const header = bytes.subarray(at, at + 512);
      if (header.every((byte) => byte === 0)) {
        if (bytes.subarray(at).some((byte) => byte !== 0)) this.skip(archive, AFTER_TAR_END);
        return;
      }
      if (!isTarHeader(header)) {
        this.skip(archive, 'unreadable tar archive (a header is damaged)');
        return;
      }
      const size = tarSize(header);
      const type = String.fromCharCode(header[156] as number);
      const start = at + 512;
      at = start + Math.ceil(size / 512) * 512;
      if (start + size > bytes.length) {
        this.skip(archive, 'unreadable tar archive (it ends inside an entry)');
        return;
      }
      const data = bytes.subarray(start, start + size);
      if (type === 'L') longName = data.toString('utf8').replace(/\0+$/, '');
      else if (type === 'x') longName = paxPath(data) ?? longName;
      if (TAR_HEADERS.has(type)) continue;
      const path = longName ?? tarName(header);
      longName = undefined;
      if (NO_FILE_DATA.has(type)) continue;
      // GNU's sparse file holds its data in pieces a map places: listed, never passed over.
      if (type === 'S') {
        this.skip(
          `${archive}!${entryName(path)}`,
          'sparse file in a tar archive, which keyfence cannot read',
        );
        continue;
      }
      if (++entries > MAX_ENTRIES) {
        this.tooMany(archive);
        return;
      }
      const name = `${archive}!${entryName(path)}`;
      if (size > this.limits.maxEntrySize) {
        this.skip(name, this.tooLarge(size));
        continue;
      }
      if (this.exhausted(archive) || !this.spend(size, archive)) return;
      yield* this.entry(Buffer.from(data), name, depth);
    }
  }
}

/**
 * An entry's name as unzip and tar would unpack it, below the archive: `\\` is a separator, and
 * empty, `.` and `..` segments are dropped (`../../src/app.ts` is `src/app.ts`), so that no report
 * (SARIF resolves its URIs) places an entry outside its archive, on another file of the repository.
 * A trailing `/` (a directory) is kept.
 */
function entryName(raw: string): string {
  const segments = raw.replace(/\\/g, '/').split('/');
  const last = segments.length - 1;
  return segments
    .filter((segment, index) => (segment !== '' || index === last) && segment !== '.' && segment !== '..')
    .join('/');
}

function tarName(header: Buffer): string {
  const field = (from: number, to: number) => {
    const text = header.toString('utf8', from, to);
    const end = text.indexOf('\0');
    return end === -1 ? text : text.slice(0, end);
  };
  const prefix = field(345, 500);
  const name = field(0, 100);
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** An octal size, or GNU's base-256 form for large ones (high bit set). */
function tarSize(header: Buffer): number {
  if (((header[124] as number) & 0x80) !== 0) {
    let size = 0;
    for (let index = 125; index < 136; index++) size = size * 256 + (header[index] as number);
    return size;
  }
  const size = octalField(header, 124, 136);
  return Number.isNaN(size) ? 0 : size;
}

/** Tar entries that describe the entry after them (GNU long names, pax records) or the archive. */
const TAR_HEADERS = new Set(['L', 'K', 'x', 'g']);

/**
 * Tar entries that hold no file's bytes: links, devices, directories, FIFOs, GNU's directory dumps,
 * volume labels and old long names. tar unpacks an entry of any other type as a regular file
 * (POSIX says to, and GNU tar does), so one is read as a file: a type it does not know hides nothing.
 */
const NO_FILE_DATA = new Set(['1', '2', '3', '4', '5', '6', 'D', 'V', 'N']);

const AFTER_TAR_END =
  'holds data after the end of its entries (tar --ignore-zeros would unpack it): it was not scanned';

/**
 * The `path` record of a pax extended header (`<length> path=<name>\n` records, the length in
 * bytes and counting itself). A length that does not reach past its own space ends the reading:
 * each record is then read once, and a header of a million one-byte claims costs one pass.
 */
function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  for (let at = 0; at < data.length;) {
    const space = data.indexOf(0x20, at);
    if (space === -1 || space - at > 20) return path;
    const digits = data.toString('latin1', at, space);
    const length = Number(digits);
    if (!/^[0-9]+$/.test(digits) || at + length <= space + 1 || at + length > data.length) return path;
    const record = data.toString('utf8', space + 1, at + length - 1);
    // A later record overrides an earlier one.
    if (record.startsWith('path=')) path = record.slice(5);
    at += length;
  }
  return path;
}

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/**
 * The central directory's entries (ZIP64 sizes and offsets included), in its order, and whether a
 * local entry lies outside all of them (see unlisted).
 */
function zipDirectory(bytes: Buffer): { entries: ZipEntry[]; unlisted: boolean } {
  const end = findEnd(bytes);
  if (end < 0) throw new Error('no end of central directory');
  let count = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  const locator = end - 20;
  if (
    (count === 0xffff || offset === 0xffffffff) &&
    locator >= 0 &&
    bytes.readUInt32LE(locator) === ZIP64_LOCATOR
  ) {
    const at = Number(bytes.readBigUInt64LE(locator + 8));
    if (at + 56 > bytes.length || bytes.readUInt32LE(at) !== ZIP64_END)
      throw new Error('damaged ZIP64 record');
    count = Number(bytes.readBigUInt64LE(at + 32));
    offset = Number(bytes.readBigUInt64LE(at + 48));
  }
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let index = 0; index < count && index <= MAX_ENTRIES; index++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== ZIP_CENTRAL)
      throw new Error('damaged central directory');
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      flags: bytes.readUInt16LE(at + 8),
      method: bytes.readUInt16LE(at + 10),
      crc: bytes.readUInt32LE(at + 16),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      offset: bytes.readUInt32LE(at + 42),
      name: entryName(bytes.toString('utf8', at + 46, at + 46 + nameLength)),
    };
    zip64Sizes(entry, bytes.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  const byOffset = entries.toSorted((a, b) => a.offset - b.offset);
  if (overlapping(byOffset)) throw new Error('its entries overlap');
  return { entries, unlisted: unlisted(bytes, byOffset, { start: offset, end: at, record: end }) };
}

const LOCAL_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Where the central directory lies, and where the end record that points at it is. */
interface DirectorySpan {
  start: number;
  end: number;
  record: number;
}

/**
 * Whether a local entry lies outside every listed one: before the central directory, or between it
 * and the end record. An entry the directory leaves out, which a stream reader (Java's
 * JarInputStream) still finds; an end record can claim no entries, or point at a directory of its
 * own, after the real entries or before them.
 */
function unlisted(bytes: Buffer, byOffset: readonly ZipEntry[], directory: DirectorySpan): boolean {
  // Asked with a `from` that never decreases, the search resumes from the signature found last
  // instead of scanning to the end again for each entry (50,000 entries over 5 MB: minutes).
  let found = -1;
  const localBefore = (from: number, to: number): boolean => {
    if (found < from) {
      const at = bytes.indexOf(LOCAL_SIGNATURE, from);
      found = at === -1 ? Infinity : at;
    }
    return found < to;
  };
  let from = 0;
  for (const entry of byOffset) {
    if (localBefore(from, entry.offset)) return true;
    const header = entry.offset + 30 <= bytes.length;
    const names = header ? bytes.readUInt16LE(entry.offset + 26) + bytes.readUInt16LE(entry.offset + 28) : 0;
    from = Math.max(from, entry.offset + 30 + names + entry.compressedSize);
  }
  return localBefore(from, directory.start) || localBefore(Math.max(from, directory.end), directory.record);
}

/**
 * Whether two entries' local records (sorted by offset) overlap: no zip tool writes that, a zip bomb
 * does (thousands of central records over one local entry, each inflated anew).
 */
function overlapping(byOffset: readonly ZipEntry[]): boolean {
  for (let index = 1; index < byOffset.length; index++) {
    const before = byOffset[index - 1] as ZipEntry;
    if ((byOffset[index] as ZipEntry).offset < before.offset + 30 + before.compressedSize) return true;
  }
  return false;
}

/** The end-of-central-directory record, searched from the end past a comment of up to 64 KB. */
function findEnd(bytes: Buffer): number {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--)
    if (bytes.readUInt32LE(at) === ZIP_END) return at;
  return -1;
}

/** Replaces the 32-bit fields a ZIP64 extra field (id 1) extends, in its order. */
function zip64Sizes(entry: ZipEntry, extra: Buffer): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 1) {
      let field = at + 4;
      const next = (): number | undefined => {
        if (field + 8 > at + 4 + length) return undefined;
        const value = Number(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next() ?? entry.size;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.offset === 0xffffffff) entry.offset = next() ?? entry.offset;
      return;
    }
    at += 4 + length;
  }
}

/** An entry's stored (possibly compressed) bytes, after its local header. */
function zipEntryData(bytes: Buffer, entry: ZipEntry): Buffer {
  const at = entry.offset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== ZIP_LOCAL) throw new Error('damaged local header');
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  if (start + entry.compressedSize > bytes.length) throw new Error('entry past the end of the archive');
  return bytes.subarray(start, start + entry.compressedSize);
}

/** An archive's text entries, read as they are iterated, and (once they are) those not read. */
export interface OpenedArchive {
  texts: Generator<ArchiveText>;
  skipped: ArchiveSkip[];
}

/**
 * The text files of the archive `bytes` named `name`, archives inside it opened to
 * `limits.maxDepth`; undefined when the bytes are no archive (or archives are not opened). Each
 * entry is inflated as `texts` is iterated, so that a scan holds one entry, not all an archive
 * expands to; `skipped` is complete once `texts` is, and `bytes` must stay as they are until then.
 */
export function openArchive(bytes: Buffer, name: string, limits: ArchiveLimits): OpenedArchive | undefined {
  if (limits.maxDepth < 1) return undefined;
  const kind = archiveKind(bytes);
  if (kind === undefined) return undefined;
  const reader = new ArchiveReader(limits);
  return { texts: reader.read(bytes, kind, name, 1), skipped: reader.skipped };
}

/**
 * The path an entry named `name` inside the archive at `outer` would have unpacked, each archive a
 * directory (`build/app.zip!testdata/x.env` → `build/app.zip/testdata/x.env`): what path globs,
 * file-name views and filters read, `/` being their separator.
 */
export const unpackedPath = (outer: string, name: string): string =>
  outer + name.slice(outer.length).replace(/!/g, '/');

/** The chunk of a text entry of the archive at `outer`, read from a source of `origin`. */
export const entryChunk = (outer: string, { name, text }: ArchiveText, origin: Origin): Chunk => ({
  path: name,
  unpacked: unpackedPath(outer, name),
  content: text,
  startLine: 1,
  origin,
});

/**
 * The text entries of the archive `next` that none of the archives `before` (the versions it
 * replaces) holds with the same name and text: what a commit adds to an archive. Entries are read
 * one at a time, and the entries known from `before` are kept as digests, not as text.
 */
export function* addedEntries(
  next: Iterable<ArchiveText>,
  name: string,
  before: readonly Buffer[],
  limits: ArchiveLimits,
): Generator<ArchiveText> {
  if (before.length === 0) {
    yield* next;
    return;
  }
  // Names relative to the archive (`name`, the path of the new version, read for the old ones too).
  const known = new Set<string>();
  for (const blob of before)
    for (const entry of openArchive(blob, name, limits)?.texts ?? [])
      known.add(entryKey(entry.name.slice(name.length), entry.text));
  for (const entry of next) if (!known.has(entryKey(entry.name.slice(name.length), entry.text))) yield entry;
}

const entryKey = (name: string, text: string): string =>
  `${name}\0${process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('base64')}`;
