/** Deterministic PRNG (mulberry32): a function returning numbers in [0, 1) from `seed`. */
export declare function prng(seed: number): () => number;
/** `length` characters of `alphabet` drawn with `next`. */
export declare function randomChars(alphabet: string, length: number, next: () => number): string;
/** The six base-62 characters a GitHub token ends with: the CRC32 of its random part. */
export declare function githubChecksum(random: string): string;
