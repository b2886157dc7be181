import { keystoreText } from './keystore.js';

/** Decoded text, or the reason the bytes are not scanned as text. */
export type Decoded = { text: string } | { skip: string };

/** How the bytes of a file are text, or that they are not. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'binary';

/** Bytes git also inspects to decide that a file is binary; the head a file reader must pass to sniff(). */
export const SNIFF_BYTES = 8000;

/**
 * How many ASCII characters the bytes hold as UTF-16 in one byte order (high byte at `high`, 0 or
 * 1), or -1 when they do not read as text that way: a U+0000, a control character other than
 * whitespace, or fewer than one unit in eight with a zero high byte (a UTF-8 text with a stray NUL
 * byte would otherwise read as UTF-16, and its secrets turn into CJK).
 */
function asciiAsUtf16(bytes: Uint8Array, high: 0 | 1): number {
  const units = bytes.length >> 1;
  let latin = 0;
  let ascii = 0;
  for (let unit = 0; unit < units; unit++) {
    if (bytes[2 * unit + high] !== 0) continue;
    const low = bytes[2 * unit + 1 - high] as number;
    // A control character other than tab, newline, vertical tab, form feed and return.
    if (low < 0x20 && (low < 9 || low > 13)) return -1;
    latin++;
    if (low < 0x80) ascii++;
  }
  return units > 0 && latin * 8 >= units ? ascii : -1;
}

/**
 * The encoding of bytes from their first SNIFF_BYTES: a byte-order mark says UTF-16; without one,
 * a NUL byte means binary (git's rule) unless the bytes read as UTF-16 text (see asciiAsUtf16), in
 * the byte order that gives more ASCII characters (little-endian, Windows' own, on a tie).
 */
export function sniff(bytes: Uint8Array): Encoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (!head.includes(0)) return 'utf-8';
  const little = asciiAsUtf16(head, 1);
  const big = asciiAsUtf16(head, 0);
  if (little < 0 && big < 0) return 'binary';
  return little >= big ? 'utf-16le' : 'utf-16be';
}

/** git's rule extended to UTF-16: bytes that do not decode as text. */
export const isBinary = (bytes: Uint8Array): boolean => sniff(bytes) === 'binary';

const BOMS: Record<Exclude<Encoding, 'binary'>, number[]> = {
  'utf-8': [0xef, 0xbb, 0xbf],
  'utf-16le': [0xff, 0xfe],
  'utf-16be': [0xfe, 0xff],
};

// A loop, not every(): this runs for every blob of a history scan.
function hasBom(bytes: Uint8Array, bom: readonly number[]): boolean {
  for (let index = 0; index < bom.length; index++) if (bytes[index] !== bom[index]) return false;
  return true;
}

/**
 * Turns file bytes into text, the one decoding every source uses: a keystore becomes its base64,
 * UTF-16 (with a byte-order mark or recognised without one) is decoded, a byte-order mark is dropped, a NUL byte elsewhere in the
 * first SNIFF_BYTES means binary, and invalid UTF-8 is decoded with replacement characters so that
 * the ASCII secrets around it are still found.
 */
export function decode(bytes: Uint8Array): Decoded {
  // A keystore is binary, but holds private keys: it is scanned as its base64 (keystore.ts).
  const keystore = keystoreText(bytes);
  if (keystore !== undefined) return { text: keystore };
  const encoding = sniff(bytes);
  if (encoding === 'binary') return { skip: 'binary file' };
  const bom = BOMS[encoding];
  const body = hasBom(bytes, bom) ? bytes.subarray(bom.length) : bytes;
  return { text: new TextDecoder(encoding).decode(body) };
}

/**
 * The bytes as UTF-8 for comparing versions of a file line by line: UTF-8 bytes as they are (no
 * copy), other text re-encoded, binary bytes undefined.
 */
export function asUtf8(bytes: Buffer): Buffer | undefined {
  const encoding = sniff(bytes);
  if (encoding === 'binary') return undefined;
  if (encoding === 'utf-8') return hasBom(bytes, BOMS['utf-8']) ? bytes.subarray(3) : bytes;
  return Buffer.from((decode(bytes) as { text: string }).text, 'utf8');
}
