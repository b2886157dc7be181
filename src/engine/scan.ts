import {
  LINE_BEFORE_LIMIT,
  type CompiledAllowlist,
  type CompiledRule,
  type RuleSet,
} from '../rules/types.js';
import type { Chunk } from '../sources/types.js';
import { shannonEntropy } from './entropy.js';
import { fingerprint } from './fingerprint.js';
import { lineAround, lineStarts, locate } from './locate.js';
import { mergeOverlaps, type Candidate } from './merge.js';
import type { KeywordHits } from './aho-corasick.js';
import { allowedInline } from './inline-allow.js';
import { keywordsIn } from './prefilter.js';
import type { Finding } from './types.js';

/** Bounds the work one rule can do on one chunk (minified bundles full of near-matches). */
const MAX_MATCHES_PER_RULE = 1000;

/** What scanning a chunk produced. */
export interface ChunkResult {
  findings: Finding[];
  /** Candidates dropped by an allowlist (not by heuristics, which decide that a match is no secret). */
  suppressed: number;
}

function allowlisted(allowlist: CompiledAllowlist, secret: string): boolean {
  if (allowlist.secrets.some((pattern) => pattern.test(secret))) return true;
  if (allowlist.stopwords.length === 0) return false;
  const lower = secret.toLowerCase();
  return allowlist.stopwords.some((word) => lower.includes(word));
}

interface MatchState {
  chunk: Chunk;
  globalAllowlist: CompiledAllowlist;
  suppressed: number;
}

/** A regex match as a candidate, if it passes entropy, validator, filters and allowlists. */
function candidateOf(rule: CompiledRule, match: RegExpExecArray, state: MatchState): Candidate | undefined {
  const secret = match.groups?.secret;
  const span = match.indices?.groups?.secret;
  if (secret === undefined || secret === '' || span === undefined) return undefined;
  const [start, end] = span;
  const entropy = shannonEntropy(secret);
  if (rule.entropy !== undefined && entropy < rule.entropy) return undefined;
  if (rule.validate && !rule.validate(secret)) return undefined;
  const content = state.chunk.content;
  const lineStart = Math.max(content.lastIndexOf('\n', match.index) + 1, match.index - LINE_BEFORE_LIMIT);
  const context = {
    match: match[0],
    before: content[start - 1] ?? '',
    after: content[end] ?? '',
    lineBefore: content.slice(lineStart, match.index),
    path: state.chunk.path,
  };
  if (!rule.filters.every((filter) => filter(secret, context))) return undefined;
  if (allowlisted(rule.allowlist, secret) || allowlisted(state.globalAllowlist, secret)) {
    state.suppressed++;
    return undefined;
  }
  return { rule, start, end, secret, entropy };
}

/** Runs one rule over the whole chunk. */
function matchEverywhere(rule: CompiledRule, state: MatchState): Candidate[] {
  const candidates: Candidate[] = [];
  const { regex } = rule;
  regex.lastIndex = 0;
  let count = 0;
  let match: RegExpExecArray | null;
  while ((match = regex.exec(state.chunk.content)) !== null && count < MAX_MATCHES_PER_RULE) {
    count++;
    if (match[0] === '') regex.lastIndex++;
    const candidate = candidateOf(rule, match, state);
    if (candidate) candidates.push(candidate);
  }
  return candidates;
}

/**
 * Runs a rule whose matches start at most `window` characters before one of its keywords: a
 * sticky regex is tried only at those start offsets, each offset once, instead of over the chunk.
 */
function matchNearKeywords(
  rule: CompiledRule,
  window: number,
  hits: KeywordHits,
  state: MatchState,
): Candidate[] {
  const starts = rule.keywords.flatMap((keyword) => hits.positions.get(keyword) ?? []).sort((a, b) => a - b);
  const candidates: Candidate[] = [];
  const sticky = rule.stickyRegex;
  let next = 0;
  for (const hit of starts) {
    let offset = Math.max(next, hit - window);
    while (offset <= hit && candidates.length < MAX_MATCHES_PER_RULE) {
      sticky.lastIndex = offset;
      const match = sticky.exec(state.chunk.content);
      if (!match) {
        offset++;
        continue;
      }
      const candidate = candidateOf(rule, match, state);
      if (candidate) candidates.push(candidate);
      offset = Math.max(offset + 1, sticky.lastIndex);
    }
    next = Math.max(next, offset);
  }
  return candidates;
}

/** Scans one chunk with a rule set. Pure: no I/O, same input gives the same findings in the same order. */
export function scanChunk(chunk: Chunk, ruleSet: RuleSet): ChunkResult {
  if (ruleSet.allowlist.paths?.(chunk.path)) return { findings: [], suppressed: 0 };
  const hits = keywordsIn(ruleSet, chunk.content);
  if (hits.found.size === 0) return { findings: [], suppressed: 0 };
  const state: MatchState = { chunk, globalAllowlist: ruleSet.allowlist, suppressed: 0 };
  const candidates: Candidate[] = [];
  for (const rule of ruleSet.rules) {
    if (!rule.keywords.some((keyword) => hits.found.has(keyword))) continue;
    if (rule.allowlist.paths?.(chunk.path)) continue;
    const matched =
      rule.window === undefined
        ? matchEverywhere(rule, state)
        : matchNearKeywords(rule, rule.window, hits, state);
    candidates.push(...matched);
  }
  if (candidates.length === 0) return { findings: [], suppressed: state.suppressed };
  const starts = lineStarts(chunk.content);
  const lines = { text: (index: number) => lineText(chunk.content, starts, index) };
  const known = ruleIds(ruleSet);
  const findings: Finding[] = [];
  for (const candidate of mergeOverlaps(candidates)) {
    const begin = locate(starts, candidate.start);
    if (allowedInline(lines, begin.lineIndex, candidate.rule.id, known)) state.suppressed++;
    else findings.push(toFinding(candidate, begin, chunk, starts));
  }
  return { findings, suppressed: state.suppressed };
}

const idSets = new WeakMap<RuleSet, ReadonlySet<string>>();

/** The ids of a rule set, built once (inline markers name them). */
function ruleIds(ruleSet: RuleSet): ReadonlySet<string> {
  let ids = idSets.get(ruleSet);
  if (!ids) {
    ids = new Set(ruleSet.rules.map((rule) => rule.id));
    idSets.set(ruleSet, ids);
  }
  return ids;
}

/** Line `index` of the chunk without its line ending, or undefined past the end. */
function lineText(content: string, starts: readonly number[], index: number): string | undefined {
  const start = starts[index];
  if (start === undefined) return undefined;
  const end = starts[index + 1] ?? content.length + 1;
  return content.slice(start, end - 1);
}

function toFinding(
  candidate: Candidate,
  begin: { lineIndex: number; column: number },
  chunk: Chunk,
  starts: readonly number[],
): Finding {
  const finish = locate(starts, candidate.end);
  const line = lineAround(chunk.content, starts, begin.lineIndex, candidate.start, candidate.end);
  return {
    ruleId: candidate.rule.id,
    severity: candidate.rule.severity,
    path: chunk.path,
    line: chunk.startLine + begin.lineIndex,
    column: begin.column,
    endLine: chunk.startLine + finish.lineIndex,
    endColumn: finish.column,
    secret: candidate.secret,
    lineText: line.text,
    lineTextColumn: line.column,
    entropy: Math.round(candidate.entropy * 100) / 100,
    fingerprint: fingerprint(candidate.rule.id, candidate.secret),
    origin: chunk.origin,
    ...(chunk.commit && { commit: chunk.commit }),
  };
}
