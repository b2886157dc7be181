/** Symbols of the automaton: ASCII code units; everything else maps to one symbol no keyword uses. */
const ALPHABET = 128;
const OTHER = 127;

/** Where each keyword occurs in a text. */
export interface KeywordHits {
  /** Keywords (lower-case) found at least once. */
  found: Set<string>;
  /** Start offsets of each found keyword, in increasing order. */
  positions: Map<string, number[]>;
}

/**
 * Aho–Corasick automaton over ASCII keywords, matched case-insensitively in one pass over the text
 * with a dense transition table: every occurrence of every keyword, overlapping ones included.
 */
export class KeywordAutomaton {
  private readonly next: Int32Array;
  /** Keyword indexes that end in each state (its own and those of its fail chain). */
  private readonly outputs: number[][];
  /** 1 where outputs is non-empty: the hot loop tests a byte instead of an array. */
  private readonly accepting: Uint8Array;
  private readonly keywords: string[];

  constructor(keywords: readonly string[]) {
    this.keywords = [...new Set(keywords.map((keyword) => keyword.toLowerCase()))].filter(
      (keyword) => keyword !== '',
    );
    const children: Map<number, number>[] = [new Map<number, number>()];
    const outputs: number[][] = [[]];
    this.keywords.forEach((keyword, index) => {
      let state = 0;
      for (const code of symbols(keyword)) {
        let child = children[state]?.get(code);
        if (child === undefined) {
          child = children.length;
          children.push(new Map<number, number>());
          outputs.push([]);
          children[state]?.set(code, child);
        }
        state = child;
      }
      outputs[state]?.push(index);
    });
    const next = new Int32Array(children.length * ALPHABET);
    const fail = new Int32Array(children.length);
    // Breadth-first: a state's fail link and row are complete before its children need them.
    const queue: number[] = [];
    for (let code = 0; code < ALPHABET; code++) {
      const child = children[0]?.get(code) ?? 0;
      next[code] = child;
      if (child !== 0) queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] ?? 0;
      const failState = fail[state] ?? 0;
      outputs[state]?.push(...(outputs[failState] ?? []));
      // Start from the fail state's row (complete, being earlier in breadth-first order), then
      // overwrite the symbols this state has children for.
      next.set(next.subarray(failState * ALPHABET, failState * ALPHABET + ALPHABET), state * ALPHABET);
      for (const [code, child] of children[state] ?? []) {
        fail[child] = next[failState * ALPHABET + code] ?? 0;
        next[state * ALPHABET + code] = child;
        queue.push(child);
      }
    }
    this.next = next;
    this.outputs = outputs;
    this.accepting = Uint8Array.from(outputs, (ending) => (ending.length > 0 ? 1 : 0));
  }

  /** Every keyword occurrence in `text`. */
  search(text: string): KeywordHits {
    const found = new Set<string>();
    const positions = new Map<string, number[]>();
    const { next, outputs, keywords, accepting } = this;
    let state = 0;
    for (let index = 0; index < text.length; index++) {
      let code = text.charCodeAt(index);
      if (code >= 65 && code <= 90) code += 32;
      else if (code >= ALPHABET) code = OTHER;
      state = next[state * ALPHABET + code] ?? 0;
      if (accepting[state] !== 1) continue;
      for (const keywordIndex of outputs[state] ?? []) {
        const keyword = keywords[keywordIndex] ?? '';
        const start = index - keyword.length + 1;
        const list = positions.get(keyword);
        if (list) list.push(start);
        else {
          positions.set(keyword, [start]);
          found.add(keyword);
        }
      }
    }
    return { found, positions };
  }
}

/** The symbols of a keyword, per UTF-16 code unit as in search(). */
function symbols(keyword: string): number[] {
  const codes: number[] = [];
  for (let index = 0; index < keyword.length; index++) {
    const code = keyword.charCodeAt(index);
    codes.push(code < ALPHABET ? code : OTHER);
  }
  return codes;
}
