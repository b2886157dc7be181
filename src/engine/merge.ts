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

/** Resolves overlapping secrets: the strongest candidate of each overlapping group wins; result in text order. */
export function mergeOverlaps(candidates: readonly Candidate[]): Candidate[] {
  if (candidates.length < 2) return [...candidates];
  const kept: Candidate[] = [];
  for (const candidate of [...candidates].sort(compareStrength)) {
    if (!kept.some((other) => overlaps(candidate, other))) kept.push(candidate);
  }
  return kept.sort(
    (a, b) => a.start - b.start || (a.part ?? 0) - (b.part ?? 0) || a.rule.index - b.rule.index,
  );
}
