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
  return joined.length >= 64 && BASE64_BODY.test(joined) && !/^(.)\1+$/.test(joined.replace(/=+$/, ''));
};

/** PuTTY key file: the Private-Lines section holds base64 of a plausible length. */
export const puttyKey: Validator = (secret) => {
  const match = /Private-Lines:\s*(\d+)\r?\n((?:[A-Za-z0-9+/=]+\r?\n?)+)/.exec(secret);
  if (!match?.[2]) return false;
  return match[2].replace(/\s/g, '').length >= 40;
};

/** `Basic` credentials: base64 of `user:password` with printable text and a non-empty password. */
export const basicAuth: Validator = (secret) => {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
  const decoded = Buffer.from(secret, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  return colon > 0 && colon < decoded.length - 1 && /^[\x20-\x7e]+$/.test(decoded);
};

/** Named validators that rules refer to with `validate:`. */
export const VALIDATORS: Readonly<Record<string, Validator>> = {
  'github-checksum': githubChecksum,
  jwt,
  'pem-body': pemBody,
  'putty-key': puttyKey,
  'basic-auth': basicAuth,
};
