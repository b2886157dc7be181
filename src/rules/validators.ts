import { keyBlock } from './key-block.js';
import type { Validator } from './types.js';

const DIGITS_UPPER_FIRST = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS_LOWER_FIRST = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Base62-encodes a non-negative integer, left-padded with the zero digit to `width`. */
export function base62(value: number, width: number, digits: string = DIGITS_UPPER_FIRST): string {
  let out = '';
  let rest = value;
  do {
    out = (digits[rest % 62] ?? '') + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub's 2021 token format: prefix_ + 30 random characters + 6-character base62 CRC32 of those 30.
 * GitHub has not published the digit order of its base62 alphabet, so both common orders are accepted;
 * a random string still passes with a probability of about 2 in 62^6.
 */
export const githubChecksum: Validator = (secret) => {
  const body = secret.slice(secret.indexOf('_') + 1);
  if (body.length !== 36) return false;
  const random = body.slice(0, 30);
  const checksum = body.slice(30);
  // Loaded on first use: node:zlib costs ~1.5 ms to load, and most scans check no checksum.
  const crc = process.getBuiltinModule('node:zlib').crc32(random);
  return base62(crc, 6, DIGITS_UPPER_FIRST) === checksum || base62(crc, 6, DIGITS_LOWER_FIRST) === checksum;
};

function decodeBase64UrlJson(part: string): unknown {
  try {
    const text = Buffer.from(part, 'base64url').toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JWS compact token whose header is a JSON object with `alg` and whose payload is a JSON object. */
export const jwt: Validator = (secret) => {
  const [header, payload] = secret.split('.');
  if (header === undefined || payload === undefined) return false;
  const decodedHeader = decodeBase64UrlJson(header);
  return isObject(decodedHeader) && typeof decodedHeader.alg === 'string' && isObject(decodeBase64UrlJson(payload));
};

const BASE64_BODY = /^[A-Za-z0-9+/=]+$/;

/**
 * An armored key block (PEM, OpenSSH, PGP) whose body is base64 of a plausible key length.
 * JSON-escaped newlines (`\n`) count as newlines, as in service-account files.
 */
export const pemBody: Validator = (secret) => {
  const lines = secret
    .replace(/\\r\\n|\\n/g, '\n')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const body = lines.filter(
    (line) => !line.startsWith('-----') && !line.includes(':') && !/^=[A-Za-z0-9+/]{4}$/.test(line),
  );
  const joined = body.join('');
  // Random base64 this long holds a digit, + or / (letters alone are words or a placeholder). AWS's
  // documentation marks its sample keys by starting the body with EXAMPLE (a real body's chance: 64^-7).
  return (
    joined.length >= 64 &&
    !joined.startsWith('EXAMPLE') &&
    BASE64_BODY.test(joined) &&
    /[0-9+/]/.test(joined) &&
    !/^(.)\1+$/.test(joined.replace(/=+$/, ''))
  );
};

/** The base64 of `openssh-key-v1` and its NUL, with which every OpenSSH private key body starts. */
const OPENSSH_MAGIC = 'b3BlbnNzaC1rZXktdjE';

/** An OpenSSH private key: a key body (as pemBody) that starts with the format's magic string. */
export const opensshKey: Validator = (secret) =>
  secret.replace(/\\r\\n|\\n|\s/g, '').startsWith(OPENSSH_MAGIC) && pemBody(secret);

/** A private key's armour in decoded text: the BEGIN marker's label. */
const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,16} ){0,3}PRIVATE KEY(?: BLOCK)?)-----/;

/**
 * Base64 of a PEM file (a Kubernetes secret's tls.key, a CI variable): it decodes to a private key
 * block whose body, read as the key rules read it, is a key body.
 */
export const base64KeyBlock: Validator = (secret) => {
  const text = Buffer.from(secret.replace(/\s+/g, ''), 'base64').toString('latin1');
  const begin = PRIVATE_KEY_BEGIN.exec(text);
  if (!begin?.[1]) return false;
  const from = begin.index + begin[0].length;
  const to = text.indexOf(`-----END ${begin[1]}-----`, from);
  if (to === -1) return false;
  const found = keyBlock(text.slice(from, to), { lineBefore: '' });
  if (!found) return false;
  return begin[1].startsWith('OPENSSH') ? opensshKey(found.value) : pemBody(found.value);
};

/** The DER of a PKCS#12 bag type id up to its last arc: 1.2.840.113549.1.12.10.1.x. */
const PKCS12_BAG_TYPE = Buffer.from('2a864886f70d010c0a01', 'hex');

/** Whether a PKCS#12 file holds a key bag (1) or a shrouded key bag (2), as opposed to certificates only. */
function holdsKeyBag(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(PKCS12_BAG_TYPE); at !== -1; at = bytes.indexOf(PKCS12_BAG_TYPE, at + 1)) {
    const kind = bytes[at + PKCS12_BAG_TYPE.length];
    if (kind === 1 || kind === 2) return true;
  }
  return false;
}

/**
 * A PKCS#12 keystore (.p12, .pfx) in base64: a DER PFX of version 3 whose length is that of the
 * value, holding a private key. A file of certificates only (a trust store) is not a secret.
 */
export const pkcs12Keystore: Validator = (secret) => {
  const bytes = Buffer.from(secret.replace(/\s+/g, ''), 'base64');
  if (bytes.length < 8 || bytes[0] !== 0x30 || bytes[1] !== 0x82) return false;
  if (bytes.readUInt16BE(2) + 4 !== bytes.length) return false;
  return bytes[4] === 2 && bytes[5] === 1 && bytes[6] === 3 && holdsKeyBag(bytes);
};

/** Reads a Java keystore's entries far enough to tell whether one holds a private or secret key. */
function javaKeystoreHoldsKey(bytes: Buffer): boolean {
  let at = 12;
  const u32 = () => {
    const value = bytes.readUInt32BE(at);
    at += 4;
    return value;
  };
  const skipUtf = () => {
    at += 2 + bytes.readUInt16BE(at);
  };
  const version = bytes.readUInt32BE(4);
  const count = Math.min(bytes.readUInt32BE(8), 4096);
  for (let entry = 0; entry < count; entry++) {
    const tag = u32();
    // 1: private key with its certificate chain; 3: a secret key (JCEKS).
    if (tag === 1 || tag === 3) return true;
    if (tag !== 2) return false;
    skipUtf(); // alias
    at += 8; // creation time
    if (version === 2) skipUtf(); // certificate type
    at += u32();
  }
  return false;
}

/**
 * A Java keystore (JKS or JCEKS) in base64 that holds a private or secret key; a trust store of
 * certificates only is not a secret.
 */
export const javaKeystore: Validator = (secret) => {
  const bytes = Buffer.from(secret.replace(/\s+/g, ''), 'base64');
  if (bytes.length < 16) return false;
  const magic = bytes.readUInt32BE(0);
  if ((magic !== 0xfeedfeed && magic !== 0xcececece) || ![1, 2].includes(bytes.readUInt32BE(4))) return false;
  try {
    return javaKeystoreHoldsKey(bytes);
  } catch {
    // Read past the end: truncated, not a keystore.
    return false;
  }
};

/** PuTTY key file: its Private-Lines section, base64 of a plausible length that looks random. */
export const puttyKey: Validator = (secret) => {
  const joined = secret.replace(/\s/g, '');
  return joined.length >= 40 && BASE64_BODY.test(joined) && /[0-9+/]/.test(joined);
};

/** `Basic` credentials: base64 of `user:password` with printable text and a non-empty password. */
export const basicAuth: Validator = (secret) => {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
  const decoded = Buffer.from(secret, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  return colon > 0 && colon < decoded.length - 1 && /^[\x20-\x7e]+$/.test(decoded);
};

/**
 * Matrix (Synapse) access and refresh tokens: `syt_` or `syr_`, the unpadded base64 of the user's
 * localpart, 20 random letters, then the base62 CRC32 (6 digits, `0-9a-zA-Z`) of everything before
 * the last underscore, as Synapse's generate_access_token builds them. Both digit orders are accepted,
 * as for GitHub.
 */
export const matrixChecksum: Validator = (secret) => {
  const last = secret.lastIndexOf('_');
  if (last < 0 || secret.length - last - 1 !== 6) return false;
  const crc = process.getBuiltinModule('node:zlib').crc32(secret.slice(0, last));
  const checksum = secret.slice(last + 1);
  return base62(crc, 6, DIGITS_LOWER_FIRST) === checksum || base62(crc, 6, DIGITS_UPPER_FIRST) === checksum;
};

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Base58 (Bitcoin alphabet) to bytes; undefined on a character outside the alphabet. */
function decodeBase58(text: string): Uint8Array | undefined {
  let value = 0n;
  for (const char of text) {
    const digit = BASE58.indexOf(char);
    if (digit < 0) return undefined;
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  for (const char of text) {
    if (char !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

/**
 * Base58Check (BIP32 extended keys, Tezos and other wallet keys): the last four bytes are the first
 * four of SHA-256(SHA-256(the rest)).
 */
export const base58check: Validator = (secret) => {
  const bytes = decodeBase58(secret);
  if (!bytes || bytes.length < 5) return false;
  const { createHash } = process.getBuiltinModule('node:crypto');
  const payload = bytes.subarray(0, -4);
  const digest = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest();
  return digest.subarray(0, 4).equals(bytes.subarray(-4));
};

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** BIP-173 bech32 (and BIP-350 bech32m) checksum of a single-case string such as a Nostr nsec1 key. */
export const bech32: Validator = (secret) => {
  if (secret !== secret.toLowerCase() && secret !== secret.toUpperCase()) return false;
  const text = secret.toLowerCase();
  const separator = text.lastIndexOf('1');
  if (separator < 1 || text.length - separator - 1 < 6) return false;
  const values: number[] = [];
  for (const char of text.slice(0, separator)) values.push(char.charCodeAt(0) >> 5);
  values.push(0);
  for (const char of text.slice(0, separator)) values.push(char.charCodeAt(0) & 31);
  for (const char of text.slice(separator + 1)) {
    const digit = BECH32.indexOf(char);
    if (digit < 0) return false;
    values.push(digit);
  }
  const generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let check = 1;
  for (const value of values) {
    const top = check >>> 25;
    check = (((check & 0x1ffffff) << 5) ^ value) >>> 0;
    generator.forEach((term, bit) => {
      if ((top >>> bit) & 1) check = (check ^ term) >>> 0;
    });
  }
  return check === 1 || check === 0x2bc830a3;
};

/**
 * Stellar StrKey (SEP-23): base32 of a version byte, the payload and a CRC16-XModem of both (little
 * endian). Secret seeds start with S (version byte 18 << 3).
 */
export const stellarStrkey: Validator = (secret) => {
  let bits = 0;
  let buffer = 0;
  const bytes: number[] = [];
  for (const char of secret) {
    const digit = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(char);
    if (digit < 0) return false;
    buffer = (buffer << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  if (bytes.length < 3) return false;
  const data = bytes.slice(0, -2);
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return bytes.at(-2) === (crc & 0xff) && bytes.at(-1) === crc >> 8;
};

/** Named validators that rules refer to with `validate:`. */
export const VALIDATORS: Readonly<Record<string, Validator>> = {
  'github-checksum': githubChecksum,
  jwt,
  'pem-body': pemBody,
  'openssh-key': opensshKey,
  'base64-key-block': base64KeyBlock,
  'pkcs12-keystore': pkcs12Keystore,
  'java-keystore': javaKeystore,
  'putty-key': puttyKey,
  'basic-auth': basicAuth,
  'matrix-checksum': matrixChecksum,
  base58check,
  bech32,
  'stellar-strkey': stellarStrkey,
};
