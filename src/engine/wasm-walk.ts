import type { BlockWalker } from './aho-corasick.js';

/**
 * The keyword automaton's pass over a text (see `jsWalker` in aho-corasick.ts) as a WebAssembly
 * loop: the text is copied into the module's memory block by block (UTF-16 code units, so that
 * offsets stay those of the string) and the same transition table is walked there, without the
 * bounds checks and tagged values of the JavaScript loop, as four independent walks in step. The
 * module (about a kilobyte) is written out here for each automaton, with its numbers as
 * constants; no toolchain is involved.
 */

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** A walk over the code units copied in: the number of (offset, state) pairs it wrote. */
type Walk = (length: number, base: number, state: number) => number;

/** What the automaton gives the module. */
export interface WalkTable {
  next: Uint16Array | Uint32Array;
  shift: number;
  symbolOf: Uint8Array;
  acceptFrom: number;
  /** The symbol of every code unit of 128 and above. */
  nonAscii: number;
  /** The longest keyword's length (no state is deeper). */
  longest: number;
}

const PAGE = 65536;

/**
 * A walker over `table` (blocks of at most `capacity` code units), or undefined where WebAssembly is not available (`--jitless`) or fails:
 * the caller keeps its JavaScript pass.
 */
export function wasmWalker(table: WalkTable, capacity: number): BlockWalker | undefined {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return undefined;
  const lanes = LANES;
  const overlap = Math.max(0, table.longest - 1);
  // Memory: a symbol per UTF-16 code unit (64 KB, so that the loop needs no branch for non-ASCII
  // ones), the final state, the pairs (each lane's area is a segment's worth), the text, the table.
  const symbols = 0;
  const stateAt = PAGE;
  const out = PAGE + 8;
  const text = align(out + (capacity + lanes) * 8 + 2 * overlap, 8);
  const tableAt = align(text + capacity * 2, 8);
  const end = tableAt + table.next.byteLength;
  const pages = Math.ceil(end / PAGE);
  const wide = table.next instanceof Uint32Array;
  // Lanes pay when each has a few times the overlap to walk.
  const minimum = Math.max(LANE_MINIMUM, lanes * overlap * 4);
  try {
    const bytes = moduleBytes({
      pages,
      shift: table.shift,
      acceptFrom: table.acceptFrom,
      wide,
      symbols,
      out,
      text,
      table: tableAt,
      stateAt,
      lanes,
      overlap,
    });
    const instance = new api.Instance(new api.Module(bytes), {});
    const memory = instance.exports.memory as { buffer: ArrayBuffer };
    const walk16 = instance.exports.walk16 as Walk;
    const walkLanes = instance.exports.lanes as LanesWalk;
    const buffer = memory.buffer;
    const symbolsOf = new Uint8Array(buffer, symbols, PAGE);
    symbolsOf.fill(table.nonAscii, 128);
    symbolsOf.set(table.symbolOf.subarray(0, 128));
    new Uint8Array(buffer, tableAt, table.next.byteLength).set(
      new Uint8Array(table.next.buffer, table.next.byteOffset, table.next.byteLength),
    );
    const units = Buffer.from(buffer, text, capacity * 2);
    const final = new Int32Array(buffer, stateAt, 1);
    return {
      pairs: new Int32Array(buffer, out, capacity * 2),
      finalState: () => final[0] as number,
      walk(source, from, to, state) {
        const length = to - from;
        units.write(
          from === 0 && to === source.length ? source : source.slice(from, to),
          0,
          length * 2,
          'utf16le',
        );
        if (length < minimum) return walk16(length, from, state);
        const segment = Math.ceil(length / lanes);
        return walkLanes(segment, length - (lanes - 1) * segment, from, state);
      },
    };
  } catch {
    return undefined;
  }
}

/**
 * Walks in step over a block's segments: over the engine benchmark's sources, 2 lanes take the walk
 * from 33 ms to 20, 3 to 15, 4 to 14; more gain nothing.
 */
const LANES = 4;
/** Blocks shorter than this are walked in one lane. */
const LANE_MINIMUM = 256;

/** The lanes' walk: segment length, the last segment's length, the offset of the block, its state. */
type LanesWalk = (segment: number, last: number, base: number, state: number) => number;

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}

interface Layout {
  pages: number;
  shift: number;
  acceptFrom: number;
  wide: boolean;
  symbols: number;
  out: number;
  text: number;
  table: number;
  stateAt: number;
  /** Walks in step in `lanes`. */
  lanes: number;
  /** Code units a lane reads before its segment: the longest keyword's length less one. */
  overlap: number;
}

// Opcodes used.
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const END = 0x0b;
const BR_IF = 0x0d;
const VOID = 0x40;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_LOAD = 0x28;
const I32_LOAD8_U = 0x2d;
const I32_LOAD16_U = 0x2f;
const I32_STORE = 0x36;
const I32_CONST = 0x41;
const I32_LT_U = 0x49;
const I32_GE_U = 0x4f;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_OR = 0x72;
const I32_SHL = 0x74;
const I32_SHR_U = 0x76;
const I32_MUL = 0x6c;
/** memory.copy: 0xfc 10. */
const MEMORY_COPY_0 = 0xfc;
const MEMORY_COPY_1 = 10;
const I32 = 0x7f;

/**
 * The module: memory; `walk16(length, base, state) → pairs` over the code units at `text`; and
 * `lanes(segment, last, base, state) → pairs`, the same walk as `lanes` independent walks in step
 * (see `wasmWalker`). Written with pushes into one array: this runs once per process in code not
 * yet optimised, where spreading small arrays cost milliseconds.
 */
export function moduleBytes(layout: Layout): Uint8Array {
  const { shift, acceptFrom, lanes, overlap } = layout;
  let code: number[] = [];
  const op = (byte: number) => code.push(byte);
  const uleb = (value: number) => {
    do {
      const byte = value & 0x7f;
      value >>>= 7;
      code.push(value === 0 ? byte : byte | 0x80);
    } while (value !== 0);
  };
  const constant = (value: number) => {
    code.push(I32_CONST);
    for (;;) {
      const byte = value & 0x7f;
      value >>= 7;
      if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
        code.push(byte);
        return;
      }
      code.push(byte | 0x80);
    }
  };
  const get = (local: number) => code.push(LOCAL_GET, local);
  const set = (local: number) => code.push(LOCAL_SET, local);
  const tee = (local: number) => code.push(LOCAL_TEE, local);
  const memory = (opcode: number, align: number, offset: number) => {
    code.push(opcode, align);
    uleb(offset);
  };
  /** Leaves the next state: the one after `state` on the code unit at `address() + offset`. */
  const step = (state: number, address: () => void, offset: number) => {
    get(state);
    constant(shift);
    op(I32_SHL);
    address();
    memory(I32_LOAD16_U, 1, offset);
    memory(I32_LOAD8_U, 0, layout.symbols);
    op(I32_OR);
    constant(layout.wide ? 2 : 1);
    op(I32_SHL);
    if (layout.wide) memory(I32_LOAD, 2, layout.table);
    else memory(I32_LOAD16_U, 1, layout.table);
  };
  /** Keeps the state left by `step` and notes (index, state) at `pointer` when it accepts. */
  const noted = (state: number, pointer: number, index: () => void) => {
    tee(state);
    constant(acceptFrom);
    code.push(I32_GE_U, IF, VOID);
    get(pointer);
    index();
    memory(I32_STORE, 2, 0);
    get(pointer);
    get(state);
    memory(I32_STORE, 2, 4);
    get(pointer);
    constant(8);
    op(I32_ADD);
    set(pointer);
    op(END);
  };
  /** `body` for `i` from `from` up to `to`, with `i2` = 2 `i`. */
  const counted = (i: number, i2: number, from: () => void, to: () => void, body: () => void) => {
    from();
    tee(i);
    constant(1);
    op(I32_SHL);
    set(i2);
    code.push(BLOCK, VOID);
    get(i);
    to();
    code.push(I32_GE_U, BR_IF, 0, LOOP, VOID);
    body();
    get(i2);
    constant(2);
    op(I32_ADD);
    set(i2);
    get(i);
    constant(1);
    op(I32_ADD);
    tee(i);
    to();
    code.push(I32_LT_U, BR_IF, 0, END, END);
  };
  /** The function's body, with its locals (beyond the parameters) all i32. */
  const body = (locals: number, emit: () => void): number[] => {
    code = [];
    code.push(1);
    uleb(locals);
    op(I32);
    emit();
    op(END);
    const content = code;
    code = [];
    uleb(content.length);
    return code.concat(content);
  };

  // walk16: 0 length, 1 base, 2 state (parameters); 3 index, 4 index × 2, 5 pair pointer.
  const single = body(3, () => {
    const [length, base, state, i, i2, pointer] = [0, 1, 2, 3, 4, 5];
    constant(layout.out);
    set(pointer);
    counted(
      i,
      i2,
      () => {
        constant(0);
      },
      () => get(length),
      () => {
        step(state, () => get(i2), layout.text);
        noted(state, pointer, () => {
          get(base);
          get(i);
          op(I32_ADD);
        });
      },
    );
    constant(layout.stateAt);
    get(state);
    memory(I32_STORE, 2, 0);
    get(pointer);
    constant(layout.out);
    op(I32_SUB);
    constant(3);
    op(I32_SHR_U);
  });

  // lanes: 0 segment, 1 last, 2 base, 3 state (parameters); 4 i, 5 i2, 6 temporary, then for each
  // lane its state, pair pointer, text offset (bytes) and index base.
  const multi = body(3 + 4 * lanes, () => {
    const [segment, last, base, state0, i, i2, temporary] = [0, 1, 2, 3, 4, 5, 6];
    const stateOf = (j: number) => 7 + 4 * j;
    const pointerOf = (j: number) => 8 + 4 * j;
    const offsetOf = (j: number) => 9 + 4 * j;
    const firstOf = (j: number) => 10 + 4 * j;
    const address = (j: number) => () => {
      get(i2);
      get(offsetOf(j));
      op(I32_ADD);
    };
    const index = (j: number) => () => {
      get(firstOf(j));
      get(i);
      op(I32_ADD);
    };
    // Lane j starts at j × segment, in state 0 `overlap` code units earlier (lane 0: at 0, in `state`).
    for (let j = 0; j < lanes; j++) {
      if (j === 0) get(state0);
      else constant(0);
      set(stateOf(j));
      get(segment);
      constant(j);
      op(I32_MUL);
      tee(temporary);
      constant(1);
      op(I32_SHL);
      set(offsetOf(j));
      get(temporary);
      get(base);
      op(I32_ADD);
      set(firstOf(j));
      get(temporary);
      constant(3);
      op(I32_SHL);
      constant(layout.out);
      op(I32_ADD);
      set(pointerOf(j));
    }
    counted(
      i,
      i2,
      () => {
        constant(0);
      },
      () => {
        constant(overlap);
      },
      () => {
        for (let j = 1; j < lanes; j++) {
          step(stateOf(j), address(j), layout.text - 2 * overlap);
          set(stateOf(j));
        }
      },
    );
    counted(
      i,
      i2,
      () => {
        constant(0);
      },
      () => get(last),
      () => {
        for (let j = 0; j < lanes; j++) {
          step(stateOf(j), address(j), layout.text);
          noted(stateOf(j), pointerOf(j), index(j));
        }
      },
    );
    // Lanes before the last one go on alone to the end of their segments.
    for (let j = 0; j < lanes - 1; j++) {
      counted(
        i,
        i2,
        () => get(last),
        () => get(segment),
        () => {
          step(stateOf(j), address(j), layout.text);
          noted(stateOf(j), pointerOf(j), index(j));
        },
      );
    }
    constant(layout.stateAt);
    get(stateOf(lanes - 1));
    memory(I32_STORE, 2, 0);
    // The lanes' pairs moved up after lane 0's, in order: memory.copy(lane 0's pointer, start, length).
    for (let j = 1; j < lanes; j++) {
      get(pointerOf(0));
      get(offsetOf(j));
      constant(2);
      op(I32_SHL);
      constant(layout.out);
      op(I32_ADD);
      tee(temporary);
      get(pointerOf(j));
      get(temporary);
      op(I32_SUB);
      tee(temporary);
      code.push(MEMORY_COPY_0, MEMORY_COPY_1, 0, 0);
      get(pointerOf(0));
      get(temporary);
      op(I32_ADD);
      set(pointerOf(0));
    }
    get(pointerOf(0));
    constant(layout.out);
    op(I32_SUB);
    constant(3);
    op(I32_SHR_U);
  });

  code = [];
  const section = (id: number, content: number[]) => {
    op(id);
    uleb(content.length);
    for (const byte of content) op(byte);
  };
  const I = I32;
  const memoryLimits = [0x00, ...lebOf(layout.pages)];
  code.push(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  // Types: (i32 × 3) → i32, (i32 × 4) → i32.
  section(1, [2, 0x60, 3, I, I, I, 1, I, 0x60, 4, I, I, I, I, 1, I]);
  section(3, [2, 0, 1]);
  section(5, [1, ...memoryLimits]);
  // Exports: memory, walk16, lanes.
  const exported = [3, 6, 109, 101, 109, 111, 114, 121, 0x02, 0];
  exported.push(6, 119, 97, 108, 107, 49, 54, 0x00, 0, 5, 108, 97, 110, 101, 115, 0x00, 1);
  section(7, exported);
  section(10, [2, ...single, ...multi]);
  return new Uint8Array(code);
}

function lebOf(value: number): number[] {
  const bytes: number[] = [];
  do {
    const byte = value & 0x7f;
    value >>>= 7;
    bytes.push(value === 0 ? byte : byte | 0x80);
  } while (value !== 0);
  return bytes;
}
