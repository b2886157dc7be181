/**
 * The keyword automaton's pass over a text (see `endsFinder` in aho-corasick.ts) as a WebAssembly
 * loop: the text is copied into the module's memory block by block (UTF-16 code units, so that
 * offsets stay those of the string) and the same transition table is walked there, without the
 * bounds checks and tagged values of the JavaScript loop. The module is a few dozen bytes written
 * out here for each automaton, with its numbers as constants; no toolchain is involved.
 */

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** A walk over the code units copied in: the number of (offset, state) pairs it wrote. */
type Walk = (length: number, base: number, state: number) => number;

/** The pass over part of a text, as `endsFinder`'s, writing its pairs into `pairs`. */
export interface WasmWalker {
  /**
   * Walks `text` from `from` to `to` (at most `capacity` code units) starting in `state`: returns
   * the number of pairs written to `pairs` (offset, state, …); the state it ends in is then `final[0]`.
   */
  walk(text: string, from: number, to: number, state: number): number;
  readonly pairs: Int32Array;
  /** The state the last walk ended in, at 0. */
  readonly final: Int32Array;
  readonly capacity: number;
}

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
 * A walker over `table`, or undefined where WebAssembly is not available (`--jitless`) or fails:
 * the caller keeps its JavaScript pass.
 */
export function wasmWalker(table: WalkTable, capacity: number): WasmWalker | undefined {
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
    return {
      pairs: new Int32Array(buffer, out, capacity * 2),
      final: new Int32Array(buffer, stateAt, 1),
      capacity,
      walk(source, from, to, state) {
        const length = to - from;
        units.write(
          from === 0 && to === source.length ? source : source.slice(from, to),
          0,
          length * 2,
          'utf16le',
        );
        if (lanes < 2 || length < minimum) return walk16(length, from, state);
        const segment = Math.ceil(length / lanes);
        return walkLanes(segment, length - (lanes - 1) * segment, from, state);
      },
    };
  } catch {
    return undefined;
  }
}

/** Walks in step over a block's segments (`KEYFENCE_WASM_LANES` overrides it, for measurements). */
const LANES = Number(process.env.KEYFENCE_WASM_LANES ?? 4);
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
 * (see `wasmWalker`).
 */
export function moduleBytes(layout: Layout): Uint8Array {
  const { shift, acceptFrom, lanes, overlap } = layout;
  const stateWidth = layout.wide ? 2 : 1;
  const load = layout.wide ? [I32_LOAD, 2, ...uleb(layout.table)] : [I32_LOAD16_U, 1, ...uleb(layout.table)];
  const get = (local: number) => [LOCAL_GET, local];
  const set = (local: number) => [LOCAL_SET, local];
  const constant = (value: number) => [I32_CONST, ...sleb(value)];
  /** One character: the state from `state` and the code unit at `address + offset`. */
  const step = (state: number, address: number[], offset: number) => [
    ...get(state),
    ...constant(shift),
    I32_SHL,
    ...address,
    ...[I32_LOAD16_U, 1, ...uleb(offset)],
    ...[I32_LOAD8_U, 0, ...uleb(layout.symbols)],
    ...[I32_OR, ...constant(stateWidth), I32_SHL, ...load],
  ];
  /** …noting (index, state) at `pointer` when the state accepts. */
  const noted = (state: number, pointer: number, index: number[]) => [
    LOCAL_TEE,
    state,
    ...constant(acceptFrom),
    I32_GE_U,
    ...[IF, VOID],
    ...[...get(pointer), ...index, I32_STORE, 2, 0],
    ...[...get(pointer), ...get(state), I32_STORE, 2, 4],
    ...[...get(pointer), ...constant(8), I32_ADD, ...set(pointer)],
    END,
  ];
  /** `body` for i from `from` up to `to` (locals), with i2 = 2i. */
  const counted = (i: number, i2: number, from: number[], to: number[], body: number[]) => [
    ...from,
    LOCAL_TEE,
    i,
    ...constant(1),
    I32_SHL,
    ...set(i2),
    ...[BLOCK, VOID, ...get(i), ...to, I32_GE_U, BR_IF, 0],
    ...[LOOP, VOID, ...body],
    ...[...get(i2), ...constant(2), I32_ADD, ...set(i2)],
    ...[...get(i), ...constant(1), I32_ADD, LOCAL_TEE, i, ...to, I32_LT_U, BR_IF, 0],
    ...[END, END],
  ];

  // walk16: locals 0 length, 1 base, 2 state (parameters), 3 index, 4 index × 2, 5 pair pointer.
  const single = (() => {
    const [length, base, state, i, i2, pointer] = [0, 1, 2, 3, 4, 5];
    const body = [
      ...constant(layout.out),
      ...set(pointer),
      ...counted(i, i2, constant(0), get(length), [
        ...step(state, get(i2), layout.text),
        ...noted(state, pointer, [...get(base), ...get(i), I32_ADD]),
      ]),
      ...[...constant(layout.stateAt), ...get(state), I32_STORE, 2, 0],
      ...[...get(pointer), ...constant(layout.out), I32_SUB, ...constant(3), I32_SHR_U],
      END,
    ];
    return [...vector([[3, I32]]), ...body];
  })();

  // lanes: 0 segment, 1 last, 2 base, 3 state (parameters); 4 i, 5 i2, 6 temporary, then for each
  // lane its state, pair pointer, text offset (bytes) and index base.
  const multi = (() => {
    const [segment, last, base, state0, i, i2, temporary] = [0, 1, 2, 3, 4, 5, 6];
    const lane = (j: number) => ({
      state: 7 + 4 * j,
      pointer: 8 + 4 * j,
      offset: 9 + 4 * j,
      first: 10 + 4 * j,
    });
    const all = Array.from({ length: lanes }, (_, j) => lane(j));
    const address = (j: number) => [...get(i2), ...get(lane(j).offset), I32_ADD];
    const index = (j: number) => [...get(lane(j).first), ...get(i), I32_ADD];
    const body = [
      // Lane j starts at j × segment, in state 0 `overlap` code units earlier (lane 0: at 0, in `state`).
      ...all.flatMap(({ state, pointer, offset, first }, j) => [
        ...(j === 0 ? [...get(state0), ...set(state)] : [...constant(0), ...set(state)]),
        ...[...get(segment), ...constant(j), I32_MUL, LOCAL_TEE, temporary],
        ...[...constant(1), I32_SHL, ...set(offset)],
        ...[...get(temporary), ...get(base), I32_ADD, ...set(first)],
        ...[...get(temporary), ...constant(3), I32_SHL, ...constant(layout.out), I32_ADD, ...set(pointer)],
      ]),
      ...counted(
        i,
        i2,
        constant(0),
        constant(overlap),
        all
          .slice(1)
          .flatMap((_, k) => [
            ...step(lane(k + 1).state, address(k + 1), layout.text - 2 * overlap),
            ...set(lane(k + 1).state),
          ]),
      ),
      ...counted(
        i,
        i2,
        constant(0),
        get(last),
        all.flatMap(({ state, pointer }, j) => [
          ...step(state, address(j), layout.text),
          ...noted(state, pointer, index(j)),
        ]),
      ),
      // Lanes before the last one go on alone to the end of their segments.
      ...all
        .slice(0, -1)
        .flatMap(({ state, pointer }, j) =>
          counted(i, i2, get(last), get(segment), [
            ...step(state, address(j), layout.text),
            ...noted(state, pointer, index(j)),
          ]),
        ),
      ...[...constant(layout.stateAt), ...get(lane(lanes - 1).state), I32_STORE, 2, 0],
      // The lanes' pairs moved up after lane 0's, in order.
      ...all
        .slice(1)
        .flatMap(({ pointer, offset }) => [
          ...[...get(lane(0).pointer)],
          ...[
            ...get(offset),
            ...constant(2),
            I32_SHL,
            ...constant(layout.out),
            I32_ADD,
            LOCAL_TEE,
            temporary,
          ],
          ...[...get(pointer), ...get(temporary), I32_SUB, LOCAL_TEE, temporary],
          ...[MEMORY_COPY_0, MEMORY_COPY_1, 0, 0],
          ...[...get(lane(0).pointer), ...get(temporary), I32_ADD, ...set(lane(0).pointer)],
        ]),
      ...[...get(lane(0).pointer), ...constant(layout.out), I32_SUB, ...constant(3), I32_SHR_U],
      END,
    ];
    return [...vector([[3 + 4 * lanes, I32]]), ...body];
  })();

  const i32s = (count: number) => vector(Array.from({ length: count }, () => [I32]));
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(
      1,
      vector([
        [0x60, ...i32s(3), ...i32s(1)],
        [0x60, ...i32s(4), ...i32s(1)],
      ]),
    ),
    ...section(3, vector([[0], [1]])),
    ...section(5, vector([[0x00, ...uleb(layout.pages)]])),
    ...section(
      7,
      vector([
        [...name('memory'), 0x02, 0],
        [...name('walk16'), 0x00, 0],
        [...name('lanes'), 0x00, 1],
      ]),
    ),
    ...section(10, vector([single, multi].map((code) => [...uleb(code.length), ...code]))),
  ]);
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  return vector(Array.from(Buffer.from(text, 'latin1'), (byte) => [byte]));
}

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function sleb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}
