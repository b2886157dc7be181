import { severityRank, type CompiledRule } from '../rules/types.js';

/** A match that passed every check of its rule, before overlaps are resolved. */
export interface Candidate {
  rule: CompiledRule;
  start: number;
  end: number;
  secret: string;
  entropy: number;
  /** The whole regex match and where it starts (scoped fingerprints hash the match without the secret). */
  match: string;
  matchStart: number;
}

/** Orders candidates so that the one to keep comes first: provider over generic, then severity, span, catalogue order. */
function compareStrength(a: Candidate, b: Candidate): number {
  return (
    Number(a.rule.generic) - Number(b.rule.generic) ||
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
    if (!kept.some((other) => candidate.start < other.end && other.start < candidate.end))
      kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start || a.rule.index - b.rule.index);
}
