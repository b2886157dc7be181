// The pieces of synthetic tokens that the test helpers (test/helpers/tokens.ts) and the accuracy
// corpus generator (tokens.mjs) share: a seeded PRNG, so that generated values are the same on
// every run, and GitHub's CRC32 checksum.
import { crc32 } from 'node:zlib';

/** Deterministic PRNG (mulberry32): a function returning numbers in [0, 1) from `seed`. */
export function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` characters of `alphabet` drawn with `next`. */
export function randomChars(alphabet, length, next) {
  let out = '';
  for (let index = 0; index < length; index++) out += alphabet[Math.floor(next() * alphabet.length)] ?? '';
  return out;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The CRC32 of `text` in six base-62 characters: the checksum a GitHub token ends with (with
 * `digits` in Matrix's order, a Synapse token's).
 */
export function base62Crc32(text, digits = BASE62) {
  let value = crc32(text);
  let checksum = '';
  do {
    checksum = (digits[value % 62] ?? '') + checksum;
    value = Math.floor(value / 62);
  } while (value > 0);
  return checksum.padStart(6, '0');
}
