import { wasmWalker } from './wasm-walk.js';

/** Code units below this are ASCII and get their own symbol when a keyword uses them. */
const ASCII = 128;
/** The symbol of every ASCII code unit no keyword uses. */
const OTHER = 0;
/**
 * The symbol of every non-ASCII code unit: keywords are ASCII in practice; one that is not matches
 * any non-ASCII code unit in that place, which the rule's regex then confirms or not.
 */
const NON_ASCII = 1;

/** Where each keyword occurs in a text. */
export interface KeywordHits {
  /** Keywords (lower-case) found at least once. */
  found: Set<string>;
  /**
   * Start offsets of each found keyword, in increasing order; for a dense keyword only the first
   * ones (see `dense`).
   */
  positions: Map<string, number[]>;
  /**
   * Keywords that occur so often (a run of `x` for a keyword `xx`) that trying a rule at each
   * occurrence would cost more than running it over the text: their positions stop being recorded,
   * and the engine runs their rules over the whole text.
   */
  dense: Set<string>;
}

/** A keyword is dense past this many occurrences and one per this many characters of the text. */
export const DENSE_MIN = 4096;
const DENSE_GAP = 32;

/**
 * Aho–Corasick automaton over ASCII keywords, matched case-insensitively in one pass over the text
 * with a dense transition table: every occurrence of every keyword, overlapping ones included.
 *
 * Rows are as wide as the characters the keywords use (about 50 for the built-in rules, rounded up
 * to a power of two) rather than all 128 ASCII codes: the table of the ~2,900 built-in states is
 * 370 KB instead of 1.5 MB, which is built in a fraction of the time on every start-up and stays
 * in cache while scanning.
 */
export class KeywordAutomaton {
  /** Next state for each state and symbol, at `state << shift | symbol`. */
  private readonly next: Uint16Array | Uint32Array;
  private readonly shift: number;
  /** Symbol of each ASCII code unit, upper case folded to lower case. */
  private readonly symbolOf: Uint8Array;
  /** Keyword indexes that end in each state (its own and those of its fail chain). */
  private readonly outputs: number[][];
  /**
   * States where keywords end are numbered last, from this one on: the hot loop tells them by
   * comparing the state it has, without a load.
   */
  private readonly acceptFrom: number;
  /** The JavaScript pass over part of a text (see `jsWalker`). */
  private readonly js: BlockWalker;
  /** The keywords it finds, lower-case, each once. */
  readonly keywords: readonly string[];
  /** The WebAssembly pass (see `walker`): null where there is none, undefined until made. */
  private wasm: BlockWalker | null | undefined;
  /** Code units searched before the WebAssembly pass was made (see WASM_AFTER). */
  private walked: number | undefined;

  /**
   * An automaton saved by `snapshot` (at build time, for the built-in catalogue): building one for
   * the catalogue's keywords costs several milliseconds of every start-up in not yet optimised code,
   * loading its table a fraction of one.
   */
  static restore(saved: AutomatonSnapshot, table: Uint16Array | Uint32Array): KeywordAutomaton {
    const automaton = Object.create(KeywordAutomaton.prototype) as KeywordAutomaton;
    // Only accepting states are ever asked for their outputs: the others stay holes.
    const states = table.length >> saved.shift;
    let outputs = new Array<number[]>(states);
    for (const [state, ending] of saved.outputs) outputs[state] = ending;
    let next = table;
    let acceptFrom = states - saved.outputs.length;
    if (saved.outputs.some(([state]) => state < acceptFrom)) {
      // Saved by a build that numbered states otherwise.
      ({ next, outputs, acceptFrom } = acceptingLast(table, saved.shift, outputs));
    }
    const symbolOf = Uint8Array.from(saved.symbolOf);
    Object.assign(automaton, {
      next,
      shift: saved.shift,
      symbolOf,
      outputs,
      acceptFrom,
      js: jsWalker(next, saved.shift, symbolOf, acceptFrom),
      keywords: saved.keywords,
    });
    return automaton;
  }

  /** What `restore` needs: the small parts as data, and the transition table as bytes (little-endian). */
  snapshot(): { saved: AutomatonSnapshot; table: Uint8Array } {
    const outputs = this.outputs.flatMap((ending, state): [number, number[]][] =>
      ending.length > 0 ? [[state, ending]] : [],
    );
    return {
      saved: {
        keywords: [...this.keywords],
        shift: this.shift,
        symbolOf: Array.from(this.symbolOf),
        wide: this.next instanceof Uint32Array,
        outputs,
      },
      table: new Uint8Array(this.next.buffer, this.next.byteOffset, this.next.byteLength),
    };
  }

  constructor(keywords: readonly string[]) {
    this.keywords = [...new Set(keywords.map((keyword) => keyword.toLowerCase()))].filter(
      (keyword) => keyword !== '',
    );
    const symbolOf = symbolTable(this.keywords);
    let symbolCount = NON_ASCII + 1;
    for (const symbol of symbolOf) symbolCount = Math.max(symbolCount, symbol + 1);
    const shift = Math.ceil(Math.log2(symbolCount));
    const width = 1 << shift;

    // The trie, in the table that becomes the transition table: a row per state, 0 where a state
    // has no child yet (the root is nobody's child). Each state's children are also linked in a list
    // (first child, next sibling) so that the breadth-first pass need not scan whole rows.
    const maxStates = 1 + this.keywords.reduce((sum, keyword) => sum + keyword.length, 0);
    const table =
      maxStates <= 0x10000 ? new Uint16Array(maxStates * width) : new Uint32Array(maxStates * width);
    const firstChild = new Int32Array(maxStates).fill(-1);
    const nextSibling = new Int32Array(maxStates).fill(-1);
    const symbolInto = new Uint8Array(maxStates);
    const outputs: number[][] = [[]];
    let states = 1;
    this.keywords.forEach((keyword, index) => {
      let state = 0;
      for (let at = 0; at < keyword.length; at++) {
        const symbol = symbolAt(symbolOf, keyword.charCodeAt(at));
        const slot = (state << shift) | symbol;
        let child = table[slot] ?? 0;
        if (child === 0) {
          child = states++;
          table[slot] = child;
          symbolInto[child] = symbol;
          nextSibling[child] = firstChild[state] ?? -1;
          firstChild[state] = child;
          outputs.push([]);
        }
        state = child;
      }
      outputs[state]?.push(index);
    });

    // Breadth-first: a state's fail state is earlier in the order, so its row is complete when the
    // state copies it and then puts back its own children.
    const fail = new Int32Array(states);
    const queue = new Int32Array(states);
    let tail = 0;
    for (let child = firstChild[0] ?? -1; child !== -1; child = nextSibling[child] ?? -1)
      queue[tail++] = child;
    for (let head = 0; head < tail; head++) {
      const state = queue[head] ?? 0;
      const failState = fail[state] ?? 0;
      const ending = outputs[state];
      const inherited = outputs[failState];
      if (ending && inherited && inherited.length > 0) ending.push(...inherited);
      const failRow = failState << shift;
      const row = state << shift;
      table.copyWithin(row, failRow, failRow + width);
      for (let child = firstChild[state] ?? -1; child !== -1; child = nextSibling[child] ?? -1) {
        const symbol = symbolInto[child] ?? 0;
        fail[child] = table[failRow | symbol] ?? 0;
        table[row | symbol] = child;
        queue[tail++] = child;
      }
    }
    const numbered = acceptingLast(table.subarray(0, states * width), shift, outputs);
    this.next = numbered.next;
    this.shift = shift;
    this.symbolOf = symbolOf;
    this.outputs = numbered.outputs;
    this.acceptFrom = numbered.acceptFrom;
    this.js = jsWalker(this.next, shift, symbolOf, this.acceptFrom);
  }

  /** Every keyword occurrence in `text` (up to the dense cap for each keyword). */
  search(text: string): KeywordHits {
    const cap = Math.max(DENSE_MIN, Math.ceil(text.length / DENSE_GAP));
    const { outputs, keywords } = this;
    // By keyword index, and the indexes in the order first found: most texts hold a few of the
    // keywords, and a walk over every index would cost more than the hits.
    // Sized up front: an array that is first written at an index past 1024 (a keyword late in the
    // catalogue found first) becomes a dictionary in V8, and every later write and read is a lookup.
    const lists = new Array<number[] | undefined>(keywords.length);
    const order: number[] = [];
    let isDense: Uint8Array | undefined;
    let state = 0;
    if (this.wasm === undefined) this.walked = (this.walked ?? 0) + text.length;
    const walker =
      text.length >= wasmFrom && (this.walked ?? 0) >= wasmAfter ? (this.walker() ?? this.js) : this.js;
    // Block by block, so that the pairs noted stay few however many the text holds (a run of `x`
    // for a keyword `xx` reaches an accepting state at every character).
    for (let from = 0; from < text.length; from += BLOCK) {
      const count = walker.walk(text, from, Math.min(text.length, from + BLOCK), state) * 2;
      const ends = walker.pairs;
      state = walker.finalState();
      for (let at = 0; at < count; at += 2) {
        const index = ends[at] as number;
        for (const keywordIndex of outputs[ends[at + 1] as number] as number[]) {
          const list = lists[keywordIndex];
          const start = index - (keywords[keywordIndex] as string).length + 1;
          if (!list) {
            lists[keywordIndex] = [start];
            order.push(keywordIndex);
          } else if (list.length < cap) list.push(start);
          else (isDense ??= new Uint8Array(keywords.length))[keywordIndex] = 1;
        }
      }
    }
    const found = new Set<string>();
    const positions = new Map<string, number[]>();
    const dense = new Set<string>();
    for (const keywordIndex of order) {
      const keyword = keywords[keywordIndex] as string;
      found.add(keyword);
      positions.set(keyword, lists[keywordIndex] as number[]);
      if (isDense?.[keywordIndex] === 1) dense.add(keyword);
    }
    return { found, positions, dense };
  }

  /**
   * The WebAssembly pass, made when the automaton, having searched WASM_AFTER code units, is given
   * a text of WASM_FROM or more (none where WebAssembly is not available or `useWasmWalk(false)`).
   * Making it costs 2–3 ms once (writing the module about 1, compiling 0.3, filling its memory 0.5).
   * Moving to it late costs more than it saves, as the JavaScript pass is optimised by then (a cold
   * pass over 3.5 MB of sources: 34 ms with WebAssembly from the start, 43 from 256K code units on,
   * 52 from 1M, 43 in JavaScript); hence the small WASM_AFTER.
   */
  private walker(): BlockWalker | null {
    if (this.wasm === undefined) {
      this.wasm =
        (useWasm &&
          wasmWalker(
            {
              next: this.next,
              shift: this.shift,
              symbolOf: this.symbolOf,
              acceptFrom: this.acceptFrom,
              nonAscii: NON_ASCII,
              longest: this.keywords.reduce((longest, keyword) => Math.max(longest, keyword.length), 0),
            },
            BLOCK,
          )) ||
        null;
    }
    return this.wasm;
  }
}

/**
 * Texts this long or longer are walked in WebAssembly (see `walker`), shorter ones in JavaScript:
 * a scan of small files only (bench/.work/small-repo: 800 files of 1 KB, 41 alternating runs) took
 * 341 ms of CPU with every text walked in WebAssembly against 333 on main; with this limit 333.
 */
const WASM_FROM = 4096;

/**
 * …once the automaton has searched this many code units: a pre-commit scan (bench/.work/staged, 20
 * files of 5 KB) spent 2.6 ms in the JavaScript pass and 5.9 with the module made for it (2.8 ms
 * of that making it), 216.6 ms of CPU against 213.3 on main (41 alternating runs).
 */
const WASM_AFTER = 1 << 18;

let useWasm = true;
let wasmFrom = WASM_FROM;
let wasmAfter = WASM_AFTER;

/**
 * For tests: whether automata walk texts in WebAssembly where it is available (each one reads it
 * when it first walks a text in WebAssembly), from what length of text and after how many code
 * units searched.
 */
export function useWasmWalk(use: boolean, from = WASM_FROM, after = WASM_AFTER): void {
  useWasm = use;
  wasmFrom = from;
  wasmAfter = after;
}

/** Characters of a text walked at a time, and its accepting states noted before keywords are attributed. */
const BLOCK = 64 * 1024;

/**
 * A pass over part of a text: `walk` goes from `from` to `to` (at most BLOCK code units) starting in
 * `state`, notes in `pairs` the offset and state of each code unit where it reaches an accepting
 * state, and returns the number of pairs; `finalState()` is the state it ended in.
 */
export interface BlockWalker {
  walk(text: string, from: number, to: number, state: number): number;
  readonly pairs: Int32Array;
  finalState(): number;
}

/**
 * The automaton's pass in JavaScript (see BlockWalker; the WebAssembly one is in wasm-walk.ts).
 * Attributing keywords is left to a second loop, so that this one, which runs at every character,
 * stays small; and its table and numbers are the closure's constants, which V8 compiles into the
 * loop (about a fifth faster than reading them from the automaton's fields) when one automaton
 * serves the process, as the catalogue's does. Its pairs are in an Int32Array, as the WebAssembly
 * pass's are: `search` reads either the same way.
 */
function jsWalker(
  next: Uint16Array | Uint32Array,
  shift: number,
  symbolOf: Uint8Array,
  acceptFrom: number,
): BlockWalker {
  // Nothing after the loop needs type feedback (a property, an element, arithmetic): V8 first
  // optimises the loop on the stack, before the code after it has ever run, and such an operation
  // there sent every later call back to the interpreter at the loop's end (2,500 deoptimisations in
  // eight passes of the engine benchmark). A variable of the closure needs none.
  let last = 0;
  const walker = {
    pairs: new Int32Array(0),
    finalState: () => last,
    walk(text: string, from: number, to: number, start: number): number {
      let pairs = walker.pairs;
      if (pairs.length < 2 * (to - from)) {
        pairs = walker.pairs = new Int32Array(2 * Math.max(to - from, Math.min(BLOCK, 4096)));
      }
      let state = start;
      let found = 0;
      let count = 0;
      for (let index = from; index < to; index++) {
        const code = text.charCodeAt(index);
        // Indexes are in bounds by construction: the casts spare the hot loop undefined checks.
        const symbol = code < ASCII ? (symbolOf[code] as number) : NON_ASCII;
        state = next[(state << shift) | symbol] as number;
        if (state >= acceptFrom) {
          pairs[count++] = index;
          pairs[count++] = state;
          found++;
        }
      }
      last = state;
      return found;
    },
  };
  return walker;
}

/**
 * The same automaton with its accepting states (those with outputs) numbered after all others,
 * in their order; the start state stays 0 (no keyword is empty).
 */
function acceptingLast<Table extends Uint16Array | Uint32Array>(
  table: Table,
  shift: number,
  outputs: readonly (number[] | undefined)[],
): { next: Table; outputs: number[][]; acceptFrom: number } {
  const width = 1 << shift;
  const states = table.length >> shift;
  const accepting = (state: number) => (outputs[state]?.length ?? 0) > 0;
  const renumbered = new Int32Array(states);
  let count = 0;
  for (let state = 0; state < states; state++) if (!accepting(state)) renumbered[state] = count++;
  const acceptFrom = count;
  for (let state = 0; state < states; state++) if (accepting(state)) renumbered[state] = count++;
  const next = table.slice() as Table;
  const moved = new Array<number[]>(states);
  for (let state = 0; state < states; state++) {
    const row = (renumbered[state] ?? 0) << shift;
    for (let symbol = 0; symbol < width; symbol++)
      next[row | symbol] = renumbered[table[(state << shift) | symbol] ?? 0] ?? 0;
    const ending = outputs[state];
    if (ending && ending.length > 0) moved[renumbered[state] ?? 0] = ending;
  }
  return { next, outputs: moved, acceptFrom };
}

/** An automaton's parts other than its transition table, as JSON (see KeywordAutomaton.snapshot). */
export interface AutomatonSnapshot {
  keywords: string[];
  shift: number;
  symbolOf: number[];
  /** The table holds 32-bit states (more than 65,536 of them). */
  wide: boolean;
  /** [state, keyword indexes] for each state where keywords end. */
  outputs: [number, number[]][];
}

/** A symbol for each ASCII character the keywords use; A–Z share the symbols of a–z. */
function symbolTable(keywords: readonly string[]): Uint8Array {
  const symbolOf = new Uint8Array(ASCII);
  let symbols = NON_ASCII + 1;
  for (const keyword of keywords) {
    for (let at = 0; at < keyword.length; at++) {
      const code = keyword.charCodeAt(at);
      if (code < ASCII && symbolOf[code] === OTHER) symbolOf[code] = symbols++;
    }
  }
  for (let code = 65; code <= 90; code++) symbolOf[code] = symbolOf[code + 32] ?? OTHER;
  return symbolOf;
}

function symbolAt(symbolOf: Uint8Array, code: number): number {
  return code < ASCII ? (symbolOf[code] ?? OTHER) : NON_ASCII;
}
