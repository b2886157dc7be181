import type { Chunk, Segment } from '../sources/types.js';
import { DENSE_MIN, type KeywordHits } from './aho-corasick.js';

/** The end (exclusive) of segment `index`: just before the '\n' that joins the next one, or the content's end. */
const segmentEnd = (segments: readonly Segment[], index: number, length: number): number => {
  const next = segments[index + 1];
  return next === undefined ? length : next.start - 1;
};

/** Segment `index` of a chunk, as the chunk of its own that it is scanned as. */
export function segmentChunk(chunk: Chunk, segments: readonly Segment[], index: number): Chunk {
  const { start, startLine } = segments[index] as Segment;
  const content = chunk.content.slice(start, segmentEnd(segments, index, chunk.content.length));
  const part: Chunk = { path: chunk.path, content, startLine, origin: chunk.origin };
  if (chunk.commit) part.commit = chunk.commit;
  return part;
}

/** The hits of a text that holds no keyword (shared: hits are read, never changed). */
export const NO_HITS: KeywordHits = { found: new Set(), positions: new Map(), dense: new Set() };

/** A keyword's occurrences in one segment, at offsets in the segment. */
interface Occurrences {
  keyword: string;
  positions: number[];
}

/**
 * The keyword hits of each segment, cut from those of the whole content: what searching the
 * segment alone gives. A keyword that lies wholly inside a segment is found there at the same place
 * (the search finds every occurrence, whatever text comes before it), one that spans a joining '\n'
 * in none. Search lists keywords in the order their first occurrences end, the longer first where
 * two end together; where that leaves a tie (keywords that differ only in non-ASCII characters) a
 * segment's entry is undefined, to be searched on its own. Undefined when a keyword occurs so often
 * that its positions may not all be listed.
 */
export function hitsBySegment(
  hits: KeywordHits,
  segments: readonly Segment[],
  length: number,
): (KeywordHits | undefined)[] | undefined {
  if (hits.dense.size > 0) return undefined;
  for (const positions of hits.positions.values()) if (positions.length > DENSE_MIN) return undefined;
  const bySegment: (Occurrences[] | undefined)[] = new Array<Occurrences[] | undefined>(segments.length);
  for (const [keyword, positions] of hits.positions) {
    let index = -1;
    let start = 0;
    let end = -1;
    let current: number[] | undefined;
    for (const position of positions) {
      if (position >= end) {
        while (position >= end) end = segmentEnd(segments, ++index, length);
        start = (segments[index] as Segment).start;
        current = undefined;
      }
      if (position < start || position + keyword.length > end) continue;
      if (!current) {
        current = [];
        (bySegment[index] ??= []).push({ keyword, positions: current });
      }
      current.push(position - start);
    }
  }
  return Array.from(bySegment, (found) => (found ? inSearchOrder(found) : NO_HITS));
}

/** A segment's hits with keywords in the order a search of it lists them, or undefined on a tie. */
function inSearchOrder(found: Occurrences[]): KeywordHits | undefined {
  const firstEnd = (entry: Occurrences) => (entry.positions[0] as number) + entry.keyword.length;
  if (found.length > 1)
    found.sort((a, b) => firstEnd(a) - firstEnd(b) || b.keyword.length - a.keyword.length);
  const hits: KeywordHits = { found: new Set(), positions: new Map(), dense: new Set() };
  for (let at = 0; at < found.length; at++) {
    const entry = found[at] as Occurrences;
    const previous = found[at - 1];
    if (
      previous &&
      firstEnd(previous) === firstEnd(entry) &&
      previous.keyword.length === entry.keyword.length
    )
      return undefined;
    hits.found.add(entry.keyword);
    hits.positions.set(entry.keyword, entry.positions);
  }
  return hits;
}
