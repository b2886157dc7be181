import { firstAfter, overlaps, sliceOf, tableOf, tryParseRegex } from './regex-parts.js';

/**
 * A regex read as a run and a tail: its first parts (the run) consume only some characters and at
 * least one, and what comes after them (the tail) cannot start with any of those characters. A
 * match starting at an offset then has its tail exactly where the run of those characters from
 * that offset ends. An assignment rule's name (`[\w.-]{0,40}?key[\w.-]{0,40}`) is such a run,
 * and its operator the tail's start: at most offsets where the generic rules are tried, the name
 * runs on into a `(` or a `,`, and the regex need not run at all.
 */
export interface RunEnd {
  /** The characters the run consumes, by code unit (entry 128 for every non-ASCII one). */
  run: Uint8Array;
  /** The most characters the run consumes (Infinity when unbounded). */
  longest: number;
  /** The characters the tail can start with, by code unit as `run`. */
  first: Uint8Array;
  /** The tail alone, sticky: where it does not match at the run's end, the regex does not match. */
  tail: RegExp;
}

/** A RunEnd as the bundle keeps it: sets as regex-parts.ts's words, the tail as its offset in the regex. */
export interface RunEndSpec {
  run: number[];
  first: number[];
  /** Absent when unbounded. */
  longest?: number;
  tail: number;
}

/**
 * The regex split as a run and a tail (the split with the shortest tail), or undefined when it has
 * none or uses syntax regex-parts.ts does not read. Worked out at build time for the built-in rules
 * (reading a long regex costs milliseconds of a short scan's start-up).
 */
export function runEndSpec(regex: string, flags = ''): RunEndSpec | undefined {
  const root = tryParseRegex(regex, flags);
  if (!root || root.kind !== 'sequence') return undefined;
  const { items } = root;
  for (let split = items.length - 1; split >= 1; split--) {
    const head = sliceOf(items, 0, split);
    if (head.empty) continue;
    const tail = sliceOf(items, split);
    const { first, empty } = firstAfter(tail, head.chars, flags.includes('m'));
    if (empty || overlaps(first, head.chars)) continue;
    return {
      run: Array.from(head.chars),
      first: Array.from(first),
      ...(head.longest !== Infinity && { longest: head.longest }),
      tail: tail.start,
    };
  }
  return undefined;
}

/** The RunEnd a spec describes, for the regex it was worked out from. */
export function fromSpec(spec: RunEndSpec, regex: string, flags = ''): RunEnd {
  return {
    run: tableOf(Uint32Array.from(spec.run)),
    longest: spec.longest ?? Infinity,
    first: tableOf(Uint32Array.from(spec.first)),
    tail: new RegExp(regex.slice(spec.tail), `${flags.replace(/[gy]/g, '')}y`),
  };
}

/** The regex split as a run and a tail (see runEndSpec), or undefined. */
export function runEnd(regex: string, flags = ''): RunEnd | undefined {
  const spec = runEndSpec(regex, flags);
  return spec && fromSpec(spec, regex, flags);
}

/** Whether a code unit is in one of RunEnd's tables. */
export const inTable = (table: Uint8Array, code: number): boolean => table[code < 128 ? code : 128] === 1;
