/** Decoded text, or the reason the bytes are not scanned as text. */
export type Decoded = { text: string } | { skip: string };

/** How the bytes of a file are text, or that they are not. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'binary';

/** Bytes git also inspects to decide that a file is binary; the head a file reader must pass to sniff(). */
export const SNIFF_BYTES = 8000;

/** Whether 16-bit units read from `bytes` (high byte at `high`, 0 or 1) look like UTF-16 text. */
function looksLikeUtf16(bytes: Uint8Array, high: 0 | 1): boolean {
  const units = bytes.length >> 1;
  let ascii = 0;
  for (let unit = 0; unit < units; unit++) {
    const hi = bytes[2 * unit + high] as number;
    const lo = bytes[2 * unit + 1 - high] as number;
    if (hi !== 0) continue;
    if (lo === 0) return false;
    // A control character other than whitespace (tab, newline, vertical tab, form feed, return).
    if (lo < 0x20 && (lo < 9 || lo > 13)) return false;
    ascii++;
  }
  // At least one unit in eight in the ASCII range, as in any config or source file: a UTF-8 text
  // with a stray NUL byte would otherwise read as UTF-16 and its secrets would turn into CJK.
  return units > 0 && ascii * 8 >= units;
}

/**
 * The encoding of bytes from their first SNIFF_BYTES: a byte-order mark says UTF-16; without one,
 * a NUL byte means binary (git's rule) unless the bytes read as UTF-16 text in one byte order: no
 * U+0000, no control characters but whitespace, and at least one unit in eight in the ASCII range
 * (which is what puts the NUL bytes there, at every other offset).
 */
export function sniff(bytes: Uint8Array): Encoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (!head.includes(0)) return 'utf-8';
  if (looksLikeUtf16(head, 1)) return 'utf-16le';
  if (looksLikeUtf16(head, 0)) return 'utf-16be';
  return 'binary';
}

/** git's rule extended to UTF-16: bytes that do not decode as text. */
export const isBinary = (bytes: Uint8Array): boolean => sniff(bytes) === 'binary';

const BOMS: Record<Exclude<Encoding, 'binary'>, number[]> = {
  'utf-8': [0xef, 0xbb, 0xbf],
  'utf-16le': [0xff, 0xfe],
  'utf-16be': [0xfe, 0xff],
};

const hasBom = (bytes: Uint8Array, bom: readonly number[]): boolean =>
  bom.every((byte, index) => bytes[index] === byte);

/**
 * Turns file bytes into text, the one decoding every source uses: UTF-16 (with a byte-order mark
 * or recognised without one) is decoded, a byte-order mark is dropped, a NUL byte elsewhere in the
 * first SNIFF_BYTES means binary, and invalid UTF-8 is decoded with replacement characters so that
 * the ASCII secrets around it are still found.
 */
export function decode(bytes: Uint8Array): Decoded {
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
