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
