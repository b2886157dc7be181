/** Deterministic PRNG (mulberry32): a function returning numbers in [0, 1) from `seed`. */
export declare function prng(seed: number): () => number;
/** `length` characters of `alphabet` drawn with `next`. */
export declare function randomChars(alphabet: string, length: number, next: () => number): string;
/**
 * The CRC32 of `text` in six base-62 characters: the checksum a GitHub token ends with (with
 * `digits` in Matrix's order, a Synapse token's).
 */
export declare function base62Crc32(text: string, digits?: string): string;
