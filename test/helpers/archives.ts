import { crc32, deflateRawSync } from 'node:zlib';

/** One entry of a zip written by zipOf. */
export interface ZipEntrySpec {
  name: string;
  data: Buffer | string;
  /** 8 (deflate, the default) or 0 (stored). */
  method?: 0 | 8;
  /** General-purpose flags (bit 0: encrypted). */
  flags?: number;
  /** The uncompressed size the headers claim, when it should lie. */
  declaredSize?: number;
  /** Points this entry's central record at the local header (and data) of the entry at this index. */
  sharesWith?: number;
  /** Written as a local entry only, left out of the central directory (what a stream reader sees). */
  hidden?: boolean;
}

// The same Buffer given for many entries (a bomb of thousands) is deflated and summed once.
const packed = new WeakMap<Buffer, { deflated?: Buffer; crc: number }>();
function pack(data: Buffer, method: number): { stored: Buffer; crc: number } {
  let known = packed.get(data);
  if (known === undefined) packed.set(data, (known = { crc: crc32(data) }));
  if (method !== 8) return { stored: data, crc: known.crc };
  known.deflated ??= deflateRawSync(data);
  return { stored: known.deflated, crc: known.crc };
}

/**
 * A zip archive as zip(1) writes one, built in memory: the archives a test needs that no tool
 * makes on purpose (an entry whose header lies about its size, an entry marked encrypted).
 */
export function zipOf(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const offsets: number[] = [];
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data;
    const method = entry.method ?? 8;
    const { stored, crc } = pack(data, method);
    const name = Buffer.from(entry.name);
    const size = entry.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    if (!entry.hidden) centrals.push(central, name);
    if (entry.sharesWith !== undefined) {
      central.writeUInt32LE(offsets[entry.sharesWith] ?? 0, 42);
      offsets.push(offsets[entry.sharesWith] ?? 0);
      continue;
    }
    central.writeUInt32LE(offset, 42);
    offsets.push(offset);
    locals.push(local, name, stored);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const listed = entries.filter((entry) => !entry.hidden).length;
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** One entry of a tar written by tarOf: a file (type '0') by default, 'x' for a pax header. */
export interface TarEntrySpec {
  name: string;
  data: Buffer | string;
  type?: string;
}

/** A ustar archive built in memory, for the headers no tool writes on purpose. */
export function tarOf(entries: readonly TarEntrySpec[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data);
    const header = Buffer.alloc(512);
    header.write(entry.name.slice(0, 100), 0, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write(entry.type ?? '0', 156);
    header.write('ustar\u000000', 257);
    header.fill(' ', 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
