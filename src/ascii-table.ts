/** 1 for each ASCII character code that `pattern` (a one-character class) matches, else 0: a byte-wise test without a regex. */
export function asciiTable(pattern: RegExp): Uint8Array {
  return new Uint8Array(128).map((_, code) => (pattern.test(String.fromCharCode(code)) ? 1 : 0));
}

/** `[\w.-]`: the characters of a name (`LOB_API_KEY`, `lob.api.key`, `lob-api-key`). */
export const NAME_CHARS = asciiTable(/[\w.-]/);
