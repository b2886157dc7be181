import {
  canBeEmpty,
  consumable,
  firstAfter,
  longest,
  overlaps,
  tryParseRegex,
  type CharTable,
  type Part,
} from './regex-parts.js';

/**
 * A regex read as a run and a tail: its first parts (the run) consume only some characters and at
 * least one, and what comes after them (the tail) cannot start with any of those characters. A
 * match starting at an offset then has its tail exactly where the run of those characters from
 * that offset ends. An assignment rule's name (`[\w.-]{0,40}?key[\w.-]{0,40}`) is such a run,
 * and its operator the tail's start: at most offsets where the generic rules are tried, the name
 * runs on into a `(` or a `,`, and the regex need not run at all.
 */
export interface RunEnd {
  /** The characters the run consumes. */
  run: CharTable;
  /** The most characters the run consumes (Infinity when unbounded). */
  longest: number;
  /** The characters the tail can start with. */
  first: CharTable;
  /** The tail alone, sticky: where it does not match at the run's end, the regex does not match. */
  tail: RegExp;
}

const sequence = (items: Part[]): Part => ({
  kind: 'sequence',
  items,
  start: items[0]?.start ?? 0,
  end: items[items.length - 1]?.end ?? 0,
});

/**
 * The regex split as a run and a tail (the split with the shortest tail), or undefined when it has
 * none or uses syntax regex-parts.ts does not read.
 */
export function runEnd(regex: string, flags = ''): RunEnd | undefined {
  const root = tryParseRegex(regex, flags);
  if (!root || root.kind !== 'sequence') return undefined;
  const { items } = root;
  for (let split = items.length - 1; split >= 1; split--) {
    const head = sequence(items.slice(0, split));
    if (canBeEmpty(head)) continue;
    const run = consumable(head);
    const tail = sequence(items.slice(split));
    const { first, empty } = firstAfter(tail, run, flags.includes('m'));
    if (empty || overlaps(first, run)) continue;
    return {
      run,
      longest: longest(head),
      first,
      tail: new RegExp(regex.slice(tail.start), `${flags.replace(/[gy]/g, '')}y`),
    };
  }
  return undefined;
}
