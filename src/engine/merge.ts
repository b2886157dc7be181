import { severityRank, type CompiledRule } from '../rules/types.js';

/** A match that passed every check of its rule, before overlaps are resolved. */
export interface Candidate {
  rule: CompiledRule;
  start: number;
  end: number;
  /** Where the finding starts: the secret's start, or the match's for rules that report there (a key block's BEGIN marker). */
  from: number;
  secret: string;
  entropy: number;
  /** The whole regex match and where it starts (scoped fingerprints hash the match without the secret). */
  match: string;
  matchStart: number;
  /** Found by decoding the text at start..end (the secret is the decoded value). */
  encoding?: 'base64' | 'hex';
  /**
   * Where the secret starts in the decoded text, when that text holds several (a whole `.env` in
   * one Secret value): parts of one encoded span are apart when they were apart decoded.
   */
  part?: number;
}

/** Whether two candidates claim the same text (decoded parts of one encoded value only when they are the same part). */
function overlaps(a: Candidate, b: Candidate): boolean {
  if (!(a.start < b.end && b.start < a.end)) return false;
  return a.part === undefined || b.part === undefined || a.part === b.part;
}

/** Orders candidates so that the one to keep comes first: provider over generic, then (among generic ones) decoded over encoded, severity, span, catalogue order. */
function compareStrength(a: Candidate, b: Candidate): number {
  return (
    Number(a.rule.generic) - Number(b.rule.generic) ||
    // Between heuristics, what a decoded value holds says more than a match on its encoded text.
    (a.rule.generic && b.rule.generic
      ? Number(b.encoding !== undefined) - Number(a.encoding !== undefined)
      : 0) ||
    severityRank(b.rule.severity) - severityRank(a.rule.severity) ||
    b.end - b.start - (a.end - a.start) ||
    a.rule.index - b.rule.index ||
    a.start - b.start
  );
}

/**
 * Resolves overlapping secrets: the strongest candidate of each overlapping group wins; result in text order.
 * The candidates kept so far are looked up in Fenwick trees of the largest end among those starting
 * before a point: a chunk of many settings gives tens of thousands of candidates, and comparing each
 * with every one kept was quadratic (a 2 MB property list of passwords took 5 s). Decoded parts of
 * one encoded value are kept apart from each other (see overlaps()): a tree of the kept candidates
 * that are no part serves them, and the kept parts are compared within their part.
 */
export function mergeOverlaps(candidates: readonly Candidate[]): Candidate[] {
  if (candidates.length < 2) return [...candidates];
  const starts = [...new Set(candidates.map((candidate) => candidate.start))].sort((a, b) => a - b);
  /** How many distinct starts are below `offset`. */
  const startsBelow = (offset: number): number => {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((starts[middle] ?? 0) < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  // tree[i] (1-based) holds the largest end of the kept candidates whose start is among the i's range.
  const newTree = () => new Float64Array(starts.length + 1).fill(-Infinity);
  /** Whether a candidate in `tree` starts before `candidate` ends and ends after it starts. */
  const overlapsIn = (tree: Float64Array, candidate: Candidate): boolean => {
    let end = -Infinity;
    for (let index = startsBelow(candidate.end); index > 0; index -= index & -index)
      end = Math.max(end, tree[index] ?? -Infinity);
    return end > candidate.start;
  };
  const add = (tree: Float64Array, candidate: Candidate): void => {
    for (let index = startsBelow(candidate.start) + 1; index <= starts.length; index += index & -index)
      tree[index] = Math.max(tree[index] ?? -Infinity, candidate.end);
  };
  const everyKept = newTree();
  const keptWhole = newTree();
  const keptParts = new Map<number, Candidate[]>();
  const kept: Candidate[] = [];
  for (const candidate of [...candidates].sort(compareStrength)) {
    if (candidate.part === undefined) {
      if (overlapsIn(everyKept, candidate)) continue;
    } else {
      if (overlapsIn(keptWhole, candidate)) continue;
      let samePart = keptParts.get(candidate.part);
      if (samePart?.some((other) => overlaps(candidate, other))) continue;
      if (!samePart) keptParts.set(candidate.part, (samePart = []));
      samePart.push(candidate);
    }
    kept.push(candidate);
    add(everyKept, candidate);
    if (candidate.part === undefined) add(keptWhole, candidate);
  }
  return kept.sort(
    (a, b) => a.start - b.start || (a.part ?? 0) - (b.part ?? 0) || a.rule.index - b.rule.index,
  );
}
