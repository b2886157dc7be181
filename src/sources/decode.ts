/** Extensions of formats that are binary or compressed; skipped without reading. */
const BINARY_EXTENSIONS = new Set(
  (
    'png jpg jpeg gif bmp ico webp tif tiff psd avif heic icns ' +
    'zip gz tgz bz2 xz 7z rar zst lz4 tar jar war ear whl apk ipa dmg iso deb rpm msi cab ' +
    'exe dll so dylib a lib o obj class pyc pyo wasm node bin dat ' +
    'woff woff2 ttf otf eot mp3 mp4 m4a wav ogg flac avi mov mkv webm ' +
    'pdf doc xls ppt docx xlsx pptx odt sqlite db parquet avro'
  ).split(' '),
);

/** True when the path's extension names a binary format. */
export function hasBinaryExtension(path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (dot === -1 || dot < path.lastIndexOf('/')) return false;
  return BINARY_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

/** Decoded text, or the reason the bytes are not scanned as text. */
export type Decoded = { text: string } | { skip: string };

/** Bytes git also inspects to decide that a file is binary. */
const SNIFF_BYTES = 8000;

/** git's rule: a NUL byte in the first 8000 bytes means binary. */
export const isBinary = (bytes: Uint8Array): boolean => bytes.subarray(0, SNIFF_BYTES).includes(0);

/**
 * Turns file bytes into text: UTF-16 with a BOM is decoded, a UTF-8 BOM is dropped, a NUL byte in
 * the first 8000 bytes means binary (git's rule), and invalid UTF-8 is decoded with replacement
 * characters so that the ASCII secrets around it are still found.
 */
export function decode(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  if (isBinary(bytes)) return { skip: 'binary file' };
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return { text: new TextDecoder('utf-8').decode(bytes.subarray(start)) };
}
