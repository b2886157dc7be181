/**
 * Keystores (PKCS#12 .p12/.pfx, Java JKS/JCEKS) are binary files that hold private keys. Instead of
 * being skipped as binary, they are scanned as the base64 of their bytes, wrapped at 76 columns as
 * base64(1) writes it: the form they take in CI variables, where the keystore rules recognise them.
 * A finding is then on the file, at its first line, and a report prints at most a masked prefix of
 * that encoding, never the file's bytes.
 */

const WRAP = 76;

/** A DER PFX of version 3 (`30 82 len len 02 01 03`), or the magic number of a JKS or JCEKS keystore. */
export function isKeystore(bytes: Uint8Array): boolean {
  if (bytes.length < 16) return false;
  const pfx = bytes[0] === 0x30 && bytes[1] === 0x82 && bytes[4] === 2 && bytes[5] === 1 && bytes[6] === 3;
  const magic = ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
  return pfx || magic === (0xfeedfeed | 0) || magic === (0xcececece | 0);
}

/** The text a keystore is scanned as (its base64, in lines of 76), or undefined for any other file. */
export function keystoreText(bytes: Uint8Array): string | undefined {
  if (!isKeystore(bytes)) return undefined;
  const encoded = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < encoded.length; at += WRAP) lines.push(encoded.slice(at, at + WRAP));
  return lines.join('\n');
}
