import type { CompiledAllowlist, CompiledRule, RuleSet } from '../rules/types.js';
import type { Chunk } from '../sources/types.js';
import { shannonEntropy } from './entropy.js';
import { fingerprint } from './fingerprint.js';
import { lineAround, lineStarts, locate } from './locate.js';
import { mergeOverlaps, type Candidate } from './merge.js';
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

/** Runs one rule over a chunk; returns candidates that pass entropy, validator, filters and allowlists. */
function matchRule(
  rule: CompiledRule,
  chunk: Chunk,
  globalAllowlist: CompiledAllowlist,
  counters: { suppressed: number },
): Candidate[] {
  const candidates: Candidate[] = [];
  const { regex } = rule;
  const content = chunk.content;
  regex.lastIndex = 0;
  let count = 0;
  let match: RegExpExecArray | null;
  while ((match = regex.exec(content)) !== null && count < MAX_MATCHES_PER_RULE) {
    count++;
    if (match[0] === '') regex.lastIndex++;
    const secret = match.groups?.secret;
    const span = match.indices?.groups?.secret;
    if (secret === undefined || secret === '' || span === undefined) continue;
    const [start, end] = span;
    const entropy = shannonEntropy(secret);
    if (rule.entropy !== undefined && entropy < rule.entropy) continue;
    if (rule.validate && !rule.validate(secret)) continue;
    const context = {
      match: match[0],
      before: content[start - 1] ?? '',
      after: content[end] ?? '',
      path: chunk.path,
    };
    if (!rule.filters.every((filter) => filter(secret, context))) continue;
    if (allowlisted(rule.allowlist, secret) || allowlisted(globalAllowlist, secret)) {
      counters.suppressed++;
      continue;
    }
    candidates.push({ rule, start, end, secret, entropy });
  }
  return candidates;
}

/** Scans one chunk with a rule set. Pure: no I/O, same input gives the same findings in the same order. */
export function scanChunk(chunk: Chunk, ruleSet: RuleSet): ChunkResult {
  const counters = { suppressed: 0 };
  if (ruleSet.allowlist.paths?.(chunk.path)) return { findings: [], suppressed: 0 };
  const found = keywordsIn(ruleSet, chunk.content);
  if (found.size === 0) return { findings: [], suppressed: 0 };
  const candidates: Candidate[] = [];
  for (const rule of ruleSet.rules) {
    if (!rule.keywords.some((keyword) => found.has(keyword))) continue;
    if (rule.allowlist.paths?.(chunk.path)) continue;
    candidates.push(...matchRule(rule, chunk, ruleSet.allowlist, counters));
  }
  if (candidates.length === 0) return { findings: [], suppressed: counters.suppressed };
  const starts = lineStarts(chunk.content);
  const findings = mergeOverlaps(candidates).map((candidate) => toFinding(candidate, chunk, starts));
  return { findings, suppressed: counters.suppressed };
}

function toFinding(candidate: Candidate, chunk: Chunk, starts: readonly number[]): Finding {
  const begin = locate(starts, candidate.start);
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
