/** Counts of ASCII characters, reused between calls (entropy runs once per candidate secret). */
const ascii = new Uint32Array(128);

/** Shannon entropy of a string in bits per character (per code point). */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  let others: Map<number, number> | undefined;
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    let code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const low = text.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = ((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        index++;
      }
    }
    length++;
    if (code < 128) ascii[code] = (ascii[code] ?? 0) + 1;
    else {
      others ??= new Map();
      others.set(code, (others.get(code) ?? 0) + 1);
    }
  }
  let entropy = 0;
  const add = (count: number) => {
    const p = count / length;
    entropy -= p * Math.log2(p);
  };
  for (let code = 0; code < 128; code++) {
    const count = ascii[code] ?? 0;
    if (count > 0) {
      add(count);
      ascii[code] = 0;
    }
  }
  if (others) for (const count of others.values()) add(count);
  return entropy;
}

/** Hex values shorter than this (96-bit ids such as MongoDB's ObjectId among them) keep the rule's threshold. */
const MIN_RANDOM_HEX = 32;
const HEX = /^(?:[0-9a-f]+|[0-9A-F]+)$/;

/**
 * The entropy that a random hex string of `length` digits reaches but for about one in a thousand:
 * 4 - 28/length (3.125 bits for 32 digits, 3.3 for 40). Sixteen symbols measure well under their
 * 4 bits in a short sample, so a threshold set for every alphabet misses random hex tokens that
 * happen to repeat a few digits (one 32-digit token in sixty measures under 3.3).
 */
export function randomHexEntropy(length: number): number {
  return 4 - 28 / length;
}

/**
 * Whether `secret` is a run of hex digits (in one case), at least 32 long, that measures as random
 * hex of its length does (randomHexEntropy).
 */
export function looksLikeRandomHex(secret: string, entropy: number): boolean {
  return secret.length >= MIN_RANDOM_HEX && entropy >= randomHexEntropy(secret.length) && HEX.test(secret);
}

/** Secrets shorter than this keep their rule's floor: so short a value is a password or a word as often as a key. */
const MIN_KEY_LENGTH = 12;

/**
 * The entropy that a random key of `length` characters reaches but for about one in a thousand, over
 * an alphabet of 36 to 64 characters: log2(length) - 0.9 (3.4 bits for 20 characters, 4 for 30).
 * A string of n characters measures at most log2(n) bits, when all of them differ; a random one
 * repeats a few, and a floor set for its alphabet's log2 rejects real short keys.
 */
export function randomKeyEntropy(length: number): number {
  return Math.log2(length) - 0.9;
}

/**
 * Whether a rule's entropy floor rejects `secret` (which measures `entropy`). A provider rule's
 * floor is lowered, for a secret as long as a key (MIN_KEY_LENGTH), to what a random key of its length
 * reaches (randomKeyEntropy); a generic rule keeps its floor and lets random hex through
 * (looksLikeRandomHex).
 */
export function belowEntropyFloor(
  rule: { readonly entropy: number | undefined; readonly generic: boolean },
  secret: string,
  entropy: number,
): boolean {
  if (rule.entropy === undefined || entropy >= rule.entropy) return false;
  if (rule.generic) return !looksLikeRandomHex(secret, entropy);
  return secret.length < MIN_KEY_LENGTH || entropy < randomKeyEntropy(secret.length);
}
