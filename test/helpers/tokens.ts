import { base62Crc32, prng, randomChars } from '../../bench/accuracy/synthetic.mjs';

/** Alphabets used by provider token formats. */
export const ALPHA = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  upperAlnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  base32: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  hex: '0123456789abcdef',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  digits: '0123456789',
  lowerDigits: 'abcdefghijklmnopqrstuvwxyz0123456789',
} as const;

export { base62Crc32, prng };

/** A random string over `alphabet`, reproducible from `seed`. */
export function randomString(alphabet: string, length: number, seed: number): string {
  return randomChars(alphabet, length, prng(seed));
}

/** A synthetic GitHub token (`ghp_`, `gho_`, …) with a valid CRC32 checksum. */
export function githubToken(prefix: 'ghp' | 'gho' | 'ghu' | 'ghs' | 'ghr', seed: number): string {
  const random = randomString(ALPHA.alnum, 30, seed);
  return `${prefix}_${random}${base62Crc32(random)}`;
}

/** Replaces the last character so a checksummed token no longer validates. */
export function breakChecksum(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

/** A synthetic AWS access key ID (AKIA + 16 base32 characters). */
export function awsAccessKeyId(seed: number): string {
  return `AKIA${randomString(ALPHA.base32, 16, seed)}`;
}

/** A synthetic AWS secret access key (40 base64 characters). */
export function awsSecretKey(seed: number): string {
  return randomString(ALPHA.alnum + '/+', 40, seed);
}

/** A synthetic Stripe secret key. */
export function stripeKey(kind: 'sk_live' | 'sk_test' | 'rk_live' | 'rk_test', seed: number): string {
  return `${kind}_${randomString(ALPHA.alnum, 99, seed)}`;
}

/** A synthetic Google API key (AIza + 35 characters). */
export function googleApiKey(seed: number): string {
  return `AIza${randomString(ALPHA.base64url, 35, seed)}`;
}

/** PEM body lines (base64, 64 per line) of `bytes` random bytes. */
export function pemBody(bytes: number, seed: number): string[] {
  const next = prng(seed);
  const raw = Buffer.alloc(bytes);
  for (let index = 0; index < bytes; index++) raw[index] = Math.floor(next() * 256);
  return raw.toString('base64').match(/.{1,64}/g) ?? [];
}

/** A synthetic RSA private key in PEM form (random body; structurally a PEM block). */
export function rsaPrivateKey(seed: number): string {
  return ['-----BEGIN RSA PRIVATE KEY-----', ...pemBody(600, seed), '-----END RSA PRIVATE KEY-----'].join(
    '\n',
  );
}

/** A synthetic GCP service-account JSON file with an escaped PEM private key. */
export function gcpServiceAccountJson(seed: number): { json: string; privateKey: string } {
  const privateKey = [
    '-----BEGIN PRIVATE KEY-----',
    ...pemBody(600, seed),
    '-----END PRIVATE KEY-----',
    '',
  ].join('\\n');
  const json = [
    '{',
    '  "type": "service_account",',
    '  "project_id": "keyfence-demo",',
    `  "private_key_id": "${randomString(ALPHA.hex, 40, seed + 1)}",`,
    `  "private_key": "${privateKey}",`,
    '  "client_email": "scanner@keyfence-demo.iam.gserviceaccount.com",',
    '  "client_id": "100000000000000000001"',
    '}',
  ].join('\n');
  return { json, privateKey };
}
