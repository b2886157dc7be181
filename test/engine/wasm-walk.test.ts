import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  KeywordAutomaton,
  useWasmWalk,
  type BlockWalker,
  type KeywordHits,
} from '../../src/engine/aho-corasick.js';
import { loadBuiltinRules } from '../../src/rules/catalogue.js';

const BLOCK = 64 * 1024;

/**
 * The same automaton twice: one walking texts in JavaScript, one in WebAssembly (texts of `from`
 * code units or more; by default all).
 */
function pair(keywords: string[], from = 0): { js: KeywordAutomaton; wasm: KeywordAutomaton } {
  useWasmWalk(false);
  const js = new KeywordAutomaton(keywords);
  expect(walkerOf(js)).toBeUndefined();
  useWasmWalk(true, from, 0);
  const wasm = new KeywordAutomaton(keywords);
  expect(walkerOf(wasm)).toBeDefined();
  return { js, wasm };
}

function walkerOf(automaton: KeywordAutomaton): BlockWalker | undefined {
  return (automaton as unknown as { walker(): BlockWalker | null }).walker() ?? undefined;
}

/** The JavaScript pass's (offset, state) pairs for part of a text. */
function jsEnds(automaton: KeywordAutomaton, text: string, from: number, to: number, state: number) {
  const walker = (automaton as unknown as { js: BlockWalker }).js;
  const count = walker.walk(text, from, to, state);
  return { ends: Array.from(walker.pairs.subarray(0, count * 2)), last: walker.finalState() };
}

function wasmEnds(automaton: KeywordAutomaton, text: string, from: number, to: number, state: number) {
  const walker = walkerOf(automaton) as BlockWalker;
  const count = walker.walk(text, from, to, state);
  return { ends: Array.from(walker.pairs.subarray(0, count * 2)), last: walker.finalState() };
}

function plain(hits: KeywordHits) {
  return { found: [...hits.found], positions: [...hits.positions], dense: [...hits.dense] };
}

const keyword = fc.string({
  unit: fc.constantFrom('a', 'b', 'k', 'e', 'y', '_', '-', 'x', '9', 'é'),
  minLength: 1,
  maxLength: 12,
});
/** Pieces of text: keyword fragments, upper case, non-ASCII, lone and paired surrogates. */
const piece = fc.oneof(
  keyword,
  keyword.map((word) => word.toUpperCase()),
  fc.constantFrom(
    'A',
    'B',
    'K',
    'E',
    'Y',
    ' ',
    '\n',
    'é',
    'É',
    'ß',
    '€',
    '\ud800',
    '\udfff',
    '😀',
    '\u0100',
    '\uffff',
  ),
);
/** Lengths around the lanes' minimum and around block boundaries. */
const length = fc.oneof(
  fc.integer({ min: 0, max: 3000 }),
  fc.integer({ min: BLOCK - 200, max: BLOCK + 200 }),
  fc.integer({ min: 2 * BLOCK - 50, max: 2 * BLOCK + 4000 }),
);

/** `pieces` repeated up to `size` code units, with `inserted` at `at` (a keyword across a boundary). */
function textOf(pieces: string[], size: number, inserted: string, at: number): string {
  const unit = pieces.join('') || 'x';
  let text = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const where = Math.min(text.length, Math.max(0, at));
  text = text.slice(0, where) + inserted + text.slice(where);
  return text;
}

describe('keyword automaton in WebAssembly', () => {
  afterEach(() => {
    useWasmWalk(true);
  });

  it('walks short texts and the first ones in JavaScript and later long ones in WebAssembly by default, with the same hits', () => {
    useWasmWalk(false);
    const js = new KeywordAutomaton(['key', 'secret', 'xx']);
    useWasmWalk(true);
    const wasm = new KeywordAutomaton(['key', 'secret', 'xx']);
    for (const size of [0, 10, 4095, 4096, 5000, BLOCK + 1, BLOCK * 3, 10, 4096, BLOCK + 1]) {
      const text = 'a key, a SECRET, xxx, é\ud800 '.repeat(Math.ceil(size / 30)).slice(0, size);
      expect(plain(wasm.search(text))).toEqual(plain(js.search(text)));
    }
    expect((wasm as unknown as { wasm: unknown }).wasm).toBeTruthy();
  });

  it('finds the same hits as the JavaScript pass, in the same order, across lanes and blocks', () => {
    fc.assert(
      fc.property(
        fc.array(keyword, { minLength: 1, maxLength: 12 }),
        fc.array(piece, { minLength: 1, maxLength: 40 }),
        length,
        fc.nat(40),
        fc.boolean(),
        (keywords, pieces, size, shiftBack, upper) => {
          const { js, wasm } = pair(keywords);
          const first = keywords[0] as string;
          const inserted = upper ? first.toUpperCase() : first;
          // A keyword ending just before, on or after each block boundary and lane start.
          const text = textOf(pieces, size, inserted, BLOCK - shiftBack);
          expect(plain(wasm.search(text))).toEqual(plain(js.search(text)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('notes the same (offset, state) pairs and ends in the same state for any part of a text and start state', () => {
    fc.assert(
      fc.property(
        fc.array(keyword, { minLength: 1, maxLength: 8 }),
        fc.array(piece, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 20000 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (keywords, pieces, size, a, b, s) => {
          const { js, wasm } = pair(keywords);
          const text = textOf(pieces, size, '', 0);
          const from = text.length === 0 ? 0 : a % text.length;
          const to = Math.min(text.length, from + (b % (BLOCK + 1)));
          // Any state the walk can be in at `from`: the one the text leads to, or a random one.
          const state = s % 2 === 0 ? jsEnds(js, text, 0, from, 0).last : s % 7;
          const states = (js as unknown as { next: Uint16Array }).next.length;
          fc.pre(state < states >> (js as unknown as { shift: number }).shift);
          expect(wasmEnds(wasm, text, from, to, state)).toEqual(jsEnds(js, text, from, to, state));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles keywords longer than a lane, overlapping keywords and runs that accept at every character', () => {
    const long = 'k'.repeat(300) + 'ey';
    const { js, wasm } = pair(['xx', 'x', long, 'key', 'ey', 'kkk']);
    for (const text of [
      'x'.repeat(3 * BLOCK + 17),
      'X'.repeat(BLOCK - 1) + 'xx',
      `${'a'.repeat(BLOCK - 150)}${long.toUpperCase()}${'b'.repeat(BLOCK)}`,
      'k'.repeat(5000) + 'ey' + '\ud800'.repeat(1000) + long,
      ('é' + long + '😀').repeat(700),
    ]) {
      expect(plain(wasm.search(text))).toEqual(plain(js.search(text)));
    }
  });

  it('finds the longest keyword ending at, just before and just after each lane start', () => {
    const longest = 'abcdefghijklmnopqrstuvwxyz0123';
    const { js, wasm } = pair([longest, longest.slice(3), 'xyz0', 'mnop', 'a']);
    for (const size of [4000, 4001, 4002, 4003, BLOCK, BLOCK + 7]) {
      const blockSize = Math.min(size, BLOCK);
      const starts = [2, 3, 4, 5, 6, 8].flatMap((lanes) =>
        Array.from({ length: lanes - 1 }, (_, j) => (j + 1) * Math.ceil(blockSize / lanes)),
      );
      for (const start of [...new Set(starts), BLOCK].filter((start) => start + 3 < size)) {
        for (let end = start - 3; end <= start + 3; end++) {
          const filler = 'z'.repeat(size);
          const text = filler.slice(0, end - longest.length + 1) + longest + filler.slice(end + 1);
          expect(text.length).toBe(size);
          const hits = plain(wasm.search(text));
          expect(hits).toEqual(plain(js.search(text)));
          expect(hits.positions).toContainEqual([longest, [end - longest.length + 1]]);
        }
      }
    }
  });

  it('walks a table of 32-bit states (more than 65,536 states) the same way', () => {
    const random = fc.sample(
      fc.string({ unit: fc.constantFrom(...'abcdefghijklmnop'.split('')), minLength: 24, maxLength: 24 }),
      {
        numRuns: 3000,
        seed: 17,
      },
    );
    const { js, wasm } = pair(random);
    expect((wasm as unknown as { next: unknown }).next).toBeInstanceOf(Uint32Array);
    const text = textOf(
      random.slice(0, 400),
      2 * BLOCK + 999,
      (random[5] as string).toUpperCase(),
      BLOCK - 3,
    );
    expect(plain(wasm.search(text))).toEqual(plain(js.search(text)));
    expect(wasmEnds(wasm, text, 10, BLOCK, 0)).toEqual(jsEnds(js, text, 10, BLOCK, 0));
  });

  it("walks the catalogue's keywords the same way, as built and as restored from a snapshot, over texts of every keyword in mixed case across blocks and lanes", async () => {
    const keywords = (await loadBuiltinRules()).flatMap((rule) => rule.keywords);
    const { js, wasm } = pair(keywords);
    const { saved, table } = wasm.snapshot();
    const bytes = Uint8Array.from(table);
    const restored = KeywordAutomaton.restore(
      saved,
      saved.wide ? new Uint32Array(bytes.buffer) : new Uint16Array(bytes.buffer),
    );
    const words = [...new Set(keywords)];
    const mixed = words.map((word, index) =>
      index % 3 === 0
        ? word.toUpperCase()
        : index % 3 === 1
          ? word
          : word.replace(/^./, (c) => c.toUpperCase()),
    );
    for (const [glue, shift] of [
      [' ', 0],
      ['😀', 1],
      ['\u0000', 2],
      ['', 3],
      ['\n\ud800', 4093],
    ] as const) {
      const unit = mixed.join(glue);
      const text = 'z'.repeat(shift) + unit.repeat(Math.ceil((3 * BLOCK + 17) / unit.length));
      const expected = plain(js.search(text));
      expect(plain(wasm.search(text))).toEqual(expected);
      expect(plain(restored.search(text))).toEqual(expected);
    }
  });
});
