import { NAME_CHARS } from '../ascii-table.js';
import {
  LINE_BEFORE_LIMIT,
  type CompiledAllowlist,
  type CompiledRule,
  type PairSpec,
  type RuleSet,
} from '../rules/types.js';
import type { Chunk, CommitInfo, Segment } from '../sources/types.js';
import { inTable, type RunEnd } from '../rules/run-end.js';
import { belowEntropyFloor, shannonEntropy } from './entropy.js';
import { fingerprint, scopedFingerprint } from './fingerprint.js';
import { lineAround, lineStarts, locate } from './locate.js';
import { mergeOverlaps, type Candidate } from './merge.js';
import type { KeywordHits } from './aho-corasick.js';
import { allowedInline, UnknownRuleWarnings } from './inline-allow.js';
import { encodedValues } from './encoded.js';
import { escapedLines, namedInCode, settingViews } from './escaped.js';
import { pairFindings } from './pairs.js';
import { hitsBySegment, segmentChunk } from './segments.js';
import { detached } from './detached.js';
import { keywordsIn } from './prefilter.js';
import { secretsOnLines, type MatchedSpan, type Shown } from './line-secrets.js';
import type { Finding, SecretSpan } from './types.js';

/** Bounds the work one rule can do on one chunk (minified bundles full of near-matches). */
const MAX_MATCHES_PER_RULE = 1000;

/** What scanning a chunk produced. */
export interface ChunkResult {
  findings: Finding[];
  /**
   * Candidates dropped by an allowlist or an inline allow comment (not those dropped by
   * heuristics, which decide that a match is no secret).
   */
  suppressed: { allowlist: number; inline: number };
  /** Inline allow comments that name an unknown rule id (absent when there are none). */
  warnings?: string[];
}

/** The text an allowlist's `matches` and `lines` regexes are tested against. */
interface AllowTarget {
  secret: string;
  match: string;
  line: () => string;
}

function allowlisted(allowlist: CompiledAllowlist, target: AllowTarget): boolean {
  const { secret } = target;
  if (allowlist.secrets.some((pattern) => pattern.test(secret))) return true;
  if (allowlist.matches.some((pattern) => pattern.test(target.match))) return true;
  if (allowlist.lines.length > 0) {
    const line = target.line();
    if (allowlist.lines.some((pattern) => pattern.test(line))) return true;
  }
  if (allowlist.stopwords.length === 0) return false;
  const lower = secret.toLowerCase();
  return allowlist.stopwords.some((word) => lower.includes(word));
}

interface MatchState {
  chunk: Chunk;
  globalAllowlist: CompiledAllowlist;
  suppressed: number;
  /** The lines linesOf found last. */
  lastLines?: { from: number; to: number; text: string };
  /** Every secret a rule matched, reported or not: the lines a report prints mask them all. */
  spans: MatchedSpan[];
  /** A rule allowlisted for the chunk's path or commit was not run (its secrets are sought only if the chunk has findings). */
  leftOut?: boolean;
  /** Rules that stopped at MAX_MATCHES_PER_RULE with text left to match: the report says so. */
  capped?: Set<string>;
}

/** Rules run to report their findings, or (those allowlisted for the chunk's path or commit) only to mask their secrets. */
type Purpose = 'report' | 'mask';

/**
 * The whole line(s) a match spans, for allowlist `lines` regexes. The last answer is kept: the
 * matches on one long line would otherwise each search the whole line again.
 */
function linesOf(state: MatchState, start: number, end: number): string {
  const last = state.lastLines;
  if (last && last.from <= start && end <= last.to) return last.text;
  const content = state.chunk.content;
  const from = content.lastIndexOf('\n', start - 1) + 1;
  const newline = content.indexOf('\n', end);
  const to = newline === -1 ? content.length : newline;
  state.lastLines = { from, to, text: content.slice(from, to) };
  return state.lastLines.text;
}

/** The secret of a rule without a `secret` group: the first non-empty capturing group, else the whole match. */
function unnamedSecret(match: RegExpExecArray): [string | undefined, [number, number] | undefined] {
  for (let group = 1; group < match.length; group++) {
    const text = match[group];
    if (text !== undefined && text !== '') return [text, match.indices?.[group]];
  }
  return [match[0], [match.index, match.index + match[0].length]];
}

/** The secret of a match: its group, or what the rule's extractor finds in the group. */
function secretOf(
  rule: CompiledRule,
  match: RegExpExecArray,
  lineBefore: string,
): { secret: string; start: number; end: number; checked: string } | undefined {
  const [secret, span] = rule.namedSecret
    ? [match.groups?.secret, match.indices?.groups?.secret]
    : unnamedSecret(match);
  if (secret === undefined || secret === '' || span === undefined) return undefined;
  const [start, end] = span;
  if (!rule.extract) return { secret, start, end, checked: secret };
  const found = rule.extract(secret, { lineBefore });
  if (!found || found.start >= found.end) return undefined;
  return {
    secret: secret.slice(found.start, found.end),
    start: start + found.start,
    end: start + found.end,
    checked: found.value,
  };
}

/** A regex match as a candidate, if it passes entropy, validator, filters and allowlists. */
function candidateOf(rule: CompiledRule, match: RegExpExecArray, state: MatchState): Candidate | undefined {
  const content = state.chunk.content;
  // Only the last LINE_BEFORE_LIMIT characters are searched for the line start: a search back to
  // the start of a megabyte line, for each of its matches, would be quadratic.
  const limit = Math.max(0, match.index - LINE_BEFORE_LIMIT);
  const lineStart = limit + content.slice(limit, match.index).lastIndexOf('\n') + 1;
  const lineBefore = content.slice(lineStart, match.index);
  const found = secretOf(rule, match, lineBefore);
  if (!found) return undefined;
  const { secret, start, end } = found;
  const entropy = shannonEntropy(secret);
  if (belowEntropyFloor(rule, secret, entropy)) return undefined;
  if (rule.validate && !rule.validate(found.checked)) return undefined;
  const context = {
    match: match[0],
    before: content[start - 1] ?? '',
    after: content[end] ?? '',
    lineBefore,
    path: state.chunk.path,
  };
  if (!rule.filters.every((filter) => filter(secret, context))) return undefined;
  state.spans.push({ start, end, secret });
  const target: AllowTarget = {
    secret,
    match: match[0],
    line: () => linesOf(state, match.index, match.index + match[0].length),
  };
  if (allowlisted(rule.allowlist, target) || allowlisted(state.globalAllowlist, target)) {
    state.suppressed++;
    return undefined;
  }
  const from = rule.reportAt === 'match' ? match.index : start;
  return { rule, start, end, from, secret, entropy, match: match[0], matchStart: match.index };
}

/**
 * What a try of a sticky regex at an offset near a keyword costs, in characters of the same regex
 * run over the text, for a regex whose matches start with one of a few characters (V8 skips to
 * those in a pass, as a try skips offsets without them): 4 took the rules' share of the engine
 * benchmark from 31 to 24 ms (8 and 16 gave the same; 1, an even split, left the JWK rules 1.7 ms on
 * a 300 KB file of 19 `kty`). A regex that can start at any letter (a name before its secret) costs
 * as much per character of a pass as a try: the same 4 for those made a scan of node_modules 16%
 * slower (twilio-auth-token, statsig, cloudflare run over whole minified files).
 */
const TRY_COST = 4;
/** Characters a match may start with, at most, for TRY_COST to apply. */
const FEW_STARTS = 16;

const tryCosts = new WeakMap<Uint8Array, number>();

/** TRY_COST for a rule whose matches start with FEW_STARTS characters or fewer, else 1. */
function tryCost(first: Uint8Array | undefined): number {
  if (first === undefined) return 1;
  let cost = tryCosts.get(first);
  if (cost === undefined) {
    let starts = 0;
    for (const allowed of first) starts += allowed;
    cost = starts <= FEW_STARTS ? TRY_COST : 1;
    tryCosts.set(first, cost);
  }
  return cost;
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
    else regex.lastIndex = resumeAfterDropped(rule, match) ?? regex.lastIndex;
  }
  // Dropped matches count too (a thousand placeholders could hide the secret after them): a rule
  // stopped with a match left is named in the report, never passed over without a word.
  if (match !== null) (state.capped ??= new Set()).add(rule.id);
  return candidates;
}

/**
 * Where a generic assignment rule goes on after a match that yielded no candidate: at the value it
 * dropped, which may start the assignment that holds the secret (`key = process.env.KEY || "…"`).
 * Only those rules do (their names and values are bounded, so text is read again at most once per
 * match); a rule whose secret can run to the end of the chunk would turn quadratic.
 */
function resumeAfterDropped(rule: CompiledRule, match: RegExpExecArray): number | undefined {
  if (!rule.generic || !rule.startsAtNameRun) return undefined;
  const start = match.indices?.groups?.secret?.[0];
  return start !== undefined && start > match.index ? start : undefined;
}

/**
 * Runs a rule whose matches start at most `window` characters before one of its keywords (or
 * `windowAfter` after it): a sticky regex is tried only at those start offsets, each offset once,
 * instead of over the chunk.
 */
function matchNearKeywords(
  rule: CompiledRule,
  window: number,
  hits: KeywordHits,
  state: MatchState,
): Candidate[] {
  const starts = keywordStarts(rule, hits);
  const content = state.chunk.content;
  // Tries at every offset of wide windows around many keywords would cost more than one pass of the
  // regex over the text (a JWK rule's 7,000 offsets around each `kty`, Duo's `skey` in `isKeyword`).
  // A try costs several times what the regex spends on a character when it runs over the text; an
  // assignment's name is tried once per keyword, whatever its window.
  const tries =
    starts.length * (window + rule.windowAfter + 1) * (rule.startsAtNameRun ? 1 : tryCost(rule.firstChars));
  if (tries > content.length) return matchEverywhere(rule, state);
  const candidates: Candidate[] = [];
  const sticky = rule.stickyRegex;
  const excluded = rule.excludedBefore;
  const first = rule.firstChars;
  const after = rule.startsAfter;
  const ends = rule.runEnd;
  // The last run found (offsets in it end it at the same place) and the last place the tail was tried.
  let runFrom = -1;
  let runTo = -1;
  let tailAt = -1;
  let tailMatches = false;
  let next = 0;
  for (const hit of starts) {
    let offset = Math.max(next, hit - window);
    let last = Math.min(hit + rule.windowAfter, content.length);
    if (rule.startsAtNameRun) {
      // The only start that can reach this keyword through name characters is where their run
      // starts: any later one follows a name character, which the leading lookbehind rules out.
      const run = nameRunStart(content, hit, hit - window);
      if (run === undefined) continue;
      offset = Math.max(offset, run);
      last = run;
    }
    while (offset <= last && candidates.length < MAX_MATCHES_PER_RULE) {
      // The regex's leading lookbehind would fail here: skip the offset without running it (the
      // generic rules try up to 40 offsets before each "key" or "token" in the text).
      if (excluded && offset > 0 && excluded[content.charCodeAt(offset - 1)] === 1) {
        offset++;
        continue;
      }
      // Nor can a match start with this character (bitcoin-wif's `private` is in most TypeScript),
      // or with it after the one before (a name starts no match inside a word).
      if (after && offset > 0) {
        const before = content.charCodeAt(offset - 1);
        const at = content.charCodeAt(offset);
        if (
          after.starts[
            (after.classOf[before < 128 ? before : 128] as number) * 129 + (at < 128 ? at : 128)
          ] !== 1
        ) {
          offset++;
          continue;
        }
      } else if (first && first[Math.min(content.charCodeAt(offset), 128)] === 0) {
        offset++;
        continue;
      }
      if (ends) {
        if (offset < runFrom || offset > runTo) {
          runFrom = offset;
          runTo = runEndFrom(content, offset, ends.run);
        }
        if (runTo - offset > ends.longest) {
          // The run is longer than the regex's: only offsets nearer its end can match.
          offset = runTo - ends.longest;
          continue;
        }
        if (runTo !== tailAt) {
          tailAt = runTo;
          tailMatches = tailStartsAt(content, runTo, ends);
        }
        if (!tailMatches) {
          // Every offset up to the run's end ends the run there too.
          offset = runTo + 1;
          continue;
        }
      }
      sticky.lastIndex = offset;
      const match = sticky.exec(content);
      if (!match) {
        offset++;
        continue;
      }
      const candidate = candidateOf(rule, match, state);
      if (candidate) candidates.push(candidate);
      offset = Math.max(
        offset + 1,
        (candidate ? undefined : resumeAfterDropped(rule, match)) ?? sticky.lastIndex,
      );
    }
    next = Math.max(next, offset, last === hit ? 0 : hit + 1);
    if (candidates.length >= MAX_MATCHES_PER_RULE) {
      (state.capped ??= new Set()).add(rule.id);
      break;
    }
  }
  return candidates;
}

/** Where a rule's keywords start in the text, in order (most rules have one keyword, its list as it is). */
function keywordStarts(rule: CompiledRule, hits: KeywordHits): readonly number[] {
  let only: number[] | undefined;
  let several: number[][] | undefined;
  for (const keyword of rule.keywords) {
    const list = hits.positions.get(keyword);
    if (!list) continue;
    if (!only) only = list;
    else (several ??= [only]).push(list);
  }
  return several ? several.reduce(merged) : (only ?? []);
}

/** Two sorted lists as one (a keyword's hits are in order: merging costs less than sorting them all). */
function merged(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] = (a[i] as number) <= (b[j] as number) ? (a[i++] as number) : (b[j++] as number);
  while (i < a.length) out[k++] = a[i++] as number;
  while (j < b.length) out[k++] = b[j++] as number;
  return out;
}

/** Where the run of `run` characters that starts at `from` ends. */
function runEndFrom(content: string, from: number, run: Uint8Array): number {
  let end = from;
  while (end < content.length && inTable(run, content.charCodeAt(end))) end++;
  return end;
}

/** Whether a rule's tail matches at `at`: its first character first, then its regex. */
function tailStartsAt(content: string, at: number, ends: RunEnd): boolean {
  if (at >= content.length || !inTable(ends.first, content.charCodeAt(at))) return false;
  ends.tail.lastIndex = at;
  return ends.tail.test(content);
}

/**
 * Where the run of name characters (`[\w.-]`) that ends just before `hit` starts, or undefined
 * when it starts before `limit` (no match can start in the window there).
 */
function nameRunStart(content: string, hit: number, limit: number): number | undefined {
  let start = hit;
  while (start > 0 && NAME_CHARS[content.charCodeAt(start - 1)] === 1) {
    if (start <= limit) return undefined;
    start--;
  }
  return start;
}

/** Whether a chunk is excluded as a whole by an allowlist's paths or commits. */
function chunkAllowed(allowlist: CompiledAllowlist, chunk: Chunk): boolean {
  if (allowlist.paths?.(chunk.path)) return true;
  return chunk.commit !== undefined && allowlist.commits?.(chunk.commit.sha) === true;
}

const NOTHING = (): ChunkResult => ({ findings: [], suppressed: { allowlist: 0, inline: 0 } });

/** The rules to run on a chunk: those with no keywords and those whose keywords occur, in rule order. */
function rulesToRun(plan: Plan, hits: KeywordHits): CompiledRule[] {
  const indexes = new Set(plan.keywordless);
  for (const keyword of hits.found) for (const index of plan.byKeyword.get(keyword) ?? []) indexes.add(index);
  return [...indexes].sort((a, b) => a - b).map((index) => plan.rules[index] as CompiledRule);
}

/**
 * One rule's candidates in the chunk. A keyword at nearly every offset makes one regex pass over the
 * text cheaper than a try at each.
 */
const ruleMatches = (rule: CompiledRule, hits: KeywordHits, state: MatchState): Candidate[] =>
  rule.window === undefined || rule.keywords.some((keyword) => hits.dense.has(keyword))
    ? matchEverywhere(rule, state)
    : matchNearKeywords(rule, rule.window, hits, state);

/** Every rule whose keywords occur and that serves the purpose, run over the chunk. */
function ruleCandidates(plan: Plan, hits: KeywordHits, state: MatchState, purpose: Purpose): Candidate[] {
  const { chunk } = state;
  const candidates: Candidate[] = [];
  for (const rule of rulesToRun(plan, hits)) {
    if (rule.paths && !rule.paths(chunk.path)) continue;
    const allowed = chunkAllowed(rule.allowlist, chunk);
    if (allowed && purpose === 'report') {
      state.leftOut = true;
      // What the rule finds where its paths or commits allowlist applies is suppressed: counted
      // (on a scratch state, so that the masking pass below stays as it is), not reported.
      const scratch: MatchState = { ...state, suppressed: 0, spans: [] };
      const matched = ruleMatches(rule, hits, scratch).length;
      state.suppressed += scratch.suppressed + matched;
      continue;
    }
    if (allowed !== (purpose === 'mask')) continue;
    candidates.push(...ruleMatches(rule, hits, state));
  }
  return candidates;
}

/**
 * The rules run over text read from the chunk (a decoded value, a line unescaped), on a state of
 * its own: what they find and the secrets they matched are in that text's offsets, for the caller
 * to place in the chunk. What they suppressed, and whether a rule was left out, count for the chunk.
 */
function viewMatches(
  ruleSet: RuleSet,
  plan: Plan,
  state: MatchState,
  purpose: Purpose,
  content: string,
): { found: Candidate[]; spans: MatchedSpan[] } | undefined {
  const hits = keywordsIn(ruleSet, content);
  if (hits.found.size === 0 && plan.keywordless.length === 0) return undefined;
  const inner: MatchState = {
    chunk: { ...state.chunk, content },
    globalAllowlist: state.globalAllowlist,
    suppressed: 0,
    spans: [],
  };
  const found = ruleCandidates(plan, hits, inner, purpose);
  if (inner.leftOut) state.leftOut = true;
  state.suppressed += inner.suppressed;
  return { found, spans: inner.spans };
}

/**
 * Secrets inside base64 values: each decoded value is scanned behind its assignment's name, and a
 * secret found in the decoded part is reported at the encoded span.
 */
function decodedCandidates(ruleSet: RuleSet, plan: Plan, state: MatchState, purpose: Purpose): Candidate[] {
  const candidates: Candidate[] = [];
  for (const value of encodedValues(state.chunk.content)) {
    const view = viewMatches(ruleSet, plan, state, purpose, value.prefix + value.decoded);
    if (!view) continue;
    // A secret in the decoded part is masked by masking the encoded text that holds it.
    for (const span of view.spans) {
      if (span.start >= value.prefix.length)
        state.spans.push({ start: value.start, end: value.end, secret: span.secret });
    }
    // Overlaps are resolved in the decoded text, where a decoded config's secrets lie apart: each
    // is reported, at the encoded span (a provider rule still wins the secret it shares with a generic one).
    const found = mergeOverlaps(view.found.filter((candidate) => candidate.start >= value.prefix.length));
    for (const candidate of found) {
      const offsetInMatch = candidate.start - candidate.matchStart;
      candidates.push({
        ...candidate,
        start: value.start,
        end: value.end,
        from: value.start,
        matchStart: value.start - offsetInMatch,
        encoding: value.encoding,
        ...(found.length > 1 ? { part: candidate.start } : {}),
      });
    }
  }
  return candidates;
}

/**
 * Candidates in the views of lines that escaped.ts gives (code held as a JSON string, settings
 * written apart, names and values passed to calls), at the places in the chunk they were read from.
 * Where a secret is found in the line as it is too, the overlap is merged.
 */
function escapedCandidates(
  ruleSet: RuleSet,
  plan: Plan,
  hits: KeywordHits,
  state: MatchState,
  purpose: Purpose,
): Candidate[] {
  const candidates: Candidate[] = [];
  const { content, path } = state.chunk;
  const views = [
    ...escapedLines(content, path),
    ...settingViews(content, path),
    ...namedInCode(content, namedKeywordHits(plan, hits), providerNameHits(plan, hits)),
  ];
  for (const { text, offsets, providerOnly } of views) {
    const view = viewMatches(ruleSet, plan, state, purpose, text);
    if (!view) continue;
    const at = (offset: number) => offsets[offset] ?? offsets[offsets.length - 1] ?? 0;
    // A view made up from a provider client's call is evidence for its provider's rules alone.
    const found = providerOnly ? view.found.filter((candidate) => !candidate.rule.generic) : view.found;
    const spans = providerOnly
      ? view.spans.filter((span) => found.some((candidate) => candidate.secret === span.secret))
      : view.spans;
    for (const span of spans) state.spans.push({ ...span, start: at(span.start), end: at(span.end) });
    for (const candidate of found) {
      candidates.push({
        ...candidate,
        start: at(candidate.start),
        end: at(candidate.end),
        from: at(candidate.from),
        matchStart: at(candidate.matchStart),
      });
    }
  }
  return candidates;
}

/** Where the keywords of provider rules that key on a name occur (those too dense to be listed left out). */
function namedKeywordHits(plan: Plan, hits: KeywordHits): number[] {
  const offsets: number[] = [];
  for (const keyword of hits.found) {
    if (!plan.namedKeywords.has(keyword) || hits.dense.has(keyword)) continue;
    for (const offset of hits.positions.get(keyword) ?? []) offsets.push(offset);
  }
  return offsets;
}

/**
 * Where the keywords that name a provider occur (a client named for it may be called with its key),
 * not the words generic rules key on too (`token`, `key`, `auth`), which name no provider and are in
 * every other call of source code (`getTokenBefore(node)`).
 */
function providerNameHits(plan: Plan, hits: KeywordHits): Set<number> {
  const offsets = new Set<number>();
  for (const keyword of hits.found) {
    if (!plan.providerKeywords.has(keyword) || hits.dense.has(keyword)) continue;
    for (const offset of hits.positions.get(keyword) ?? []) offsets.add(offset);
  }
  return offsets;
}

/** Each rule set without its global paths and commits allowlist (cached: a rule set's plan is too). */
const withoutChunkAllowlist = new WeakMap<RuleSet, RuleSet>();

/**
 * What a chunk the global allowlist excludes by path or commit would have given, all counted as
 * suppressed by the allowlist: the summary's suppressed total counts them like any other.
 */
function allowedChunk(chunk: Chunk, ruleSet: RuleSet): ChunkResult {
  let open = withoutChunkAllowlist.get(ruleSet);
  if (!open) {
    open = { ...ruleSet, allowlist: { ...ruleSet.allowlist, paths: undefined, commits: undefined } };
    withoutChunkAllowlist.set(ruleSet, open);
  }
  const { findings, suppressed } = scanChunk(chunk, open);
  return { findings: [], suppressed: { ...suppressed, allowlist: suppressed.allowlist + findings.length } };
}

/** Scans one chunk with a rule set. Pure: no I/O, same input gives the same findings in the same order. */
export function scanChunk(chunk: Chunk, ruleSet: RuleSet): ChunkResult {
  if (chunk.unpacked !== undefined) return archiveEntryResult(chunk, chunk.unpacked, ruleSet);
  if (chunkAllowed(ruleSet.allowlist, chunk)) return allowedChunk(chunk, ruleSet);
  const hits = keywordsIn(ruleSet, chunk.content);
  return chunk.segments ? scanSegments(chunk, chunk.segments, ruleSet, hits) : scanText(chunk, ruleSet, hits);
}

/**
 * An archive's entry is scanned as the file it would be unpacked (`app.zip/config/.env`, so that
 * paths, file-name views and filters see `/` between the archive and the entry), and reported
 * under its own name (`app.zip!config/.env`).
 */
function archiveEntryResult(chunk: Chunk, unpacked: string, ruleSet: RuleSet): ChunkResult {
  const { unpacked: _, ...rest } = chunk;
  const result = scanChunk({ ...rest, path: unpacked }, ruleSet);
  const named = (text: string) => text.split(unpacked).join(chunk.path);
  return {
    ...result,
    findings: result.findings.map((finding) => ({ ...finding, path: chunk.path })),
    ...(result.warnings && { warnings: result.warnings.map(named) }),
  };
}

/**
 * Scans each segment as the chunk of its own it stands for, and gives their results as one. The
 * keywords were sought once in the whole content: each segment's are cut from them.
 */
function scanSegments(
  chunk: Chunk,
  segments: readonly Segment[],
  ruleSet: RuleSet,
  hits: KeywordHits,
): ChunkResult {
  const bySegment = hitsBySegment(hits, segments, chunk.content.length);
  const results: ChunkResult[] = [];
  for (let index = 0; index < segments.length; index++) {
    const part = segmentChunk(chunk, segments, index);
    results.push(scanText(part, ruleSet, bySegment?.[index] ?? keywordsIn(ruleSet, part.content)));
  }
  return combinedResults(results);
}

/** The results of texts scanned apart (a change's segments, an archive's entries) as one, in order. */
export function combinedResults(results: readonly ChunkResult[]): ChunkResult {
  if (results.length === 1) return results[0] as ChunkResult;
  const findings: Finding[] = [];
  const suppressed = { allowlist: 0, inline: 0 };
  const warnings: string[] = [];
  for (const result of results) {
    for (const finding of result.findings) findings.push(finding);
    suppressed.allowlist += result.suppressed.allowlist;
    suppressed.inline += result.suppressed.inline;
    if (result.warnings) warnings.push(...result.warnings);
  }
  return warnings.length > 0 ? { findings, suppressed, warnings } : { findings, suppressed };
}

/** Scans one text (a chunk without segments, or one segment) given where its keywords lie. */
function scanText(chunk: Chunk, ruleSet: RuleSet, hits: KeywordHits): ChunkResult {
  const plan = planOf(ruleSet);
  if (hits.found.size === 0 && plan.keywordless.length === 0) return NOTHING();
  const state: MatchState = { chunk, globalAllowlist: ruleSet.allowlist, suppressed: 0, spans: [] };
  const candidates = ruleCandidates(plan, hits, state, 'report');
  // One by one: the views of a chunk of settings can give more candidates than a call takes arguments.
  for (const candidate of decodedCandidates(ruleSet, plan, state, 'report')) candidates.push(candidate);
  for (const candidate of escapedCandidates(ruleSet, plan, hits, state, 'report')) candidates.push(candidate);
  const suppressed = { allowlist: state.suppressed, inline: 0 };
  const capped = [...(state.capped ?? [])].map(
    (id) =>
      `warning: ${chunk.path}: rule ${id} matched ${MAX_MATCHES_PER_RULE} times, the most checked per rule and file: the rest of the file was not checked for it`,
  );
  if (candidates.length === 0)
    return capped.length > 0 ? { findings: [], suppressed, warnings: capped } : { findings: [], suppressed };
  const starts = lineStarts(chunk.content);
  const lines = { text: (index: number) => lineText(chunk.content, starts, index) };
  const warnings = new UnknownRuleWarnings(chunk, plan.ids, () =>
    candidates.flatMap((candidate) => [
      candidate.secret.toLowerCase(),
      chunk.content.slice(candidate.start, candidate.end).toLowerCase(),
    ]),
  );
  const reported: { candidate: Candidate; begin: { lineIndex: number; column: number } }[] = [];
  // One answer per line and rule: a minified line can hold a thousand matches, and reading its
  // markers again for each would make the scan quadratic in the line's length.
  const allowedOnLine = new Map<string, boolean>();
  for (const candidate of mergeOverlaps(candidates)) {
    const begin = locate(starts, candidate.from);
    const key = `${begin.lineIndex}:${candidate.rule.id}`;
    let allowed = allowedOnLine.get(key);
    if (allowed === undefined) {
      allowed = allowedInline(lines, begin.lineIndex, candidate.rule.id, plan.ids, warnings);
      allowedOnLine.set(key, allowed);
    }
    if (allowed) suppressed.inline++;
    else reported.push({ candidate, begin });
  }
  const notes = [...capped, ...(warnings.list() ?? [])];
  const withWarnings = (result: ChunkResult): ChunkResult =>
    notes.length > 0 ? { ...result, warnings: notes } : result;
  if (reported.length === 0) return withWarnings({ findings: [], suppressed });
  if (state.leftOut) {
    // Secrets of rules allowlisted for this path may share a printed line: find them to mask them.
    const masking: MatchState = { ...state, suppressed: 0 };
    ruleCandidates(plan, hits, masking, 'mask');
    decodedCandidates(ruleSet, plan, masking, 'mask');
    escapedCandidates(ruleSet, plan, hits, masking, 'mask');
  }
  const printed = reported.map(({ candidate, begin }) => ({
    lineIndex: begin.lineIndex,
    shown: lineAround(chunk.content, starts, begin.lineIndex, candidate.from, candidate.end),
  }));
  const secretsOn = secretsOnLines(state.spans, chunk.content, starts, chunk.startLine, printed);
  const located = chunk.commit ? { ...chunk, commit: withMessageSecrets(chunk, ruleSet) } : chunk;
  const findings = reported.map(({ candidate, begin }, index) => {
    const { shown } = printed[index] ?? { shown: { text: '', column: 1 } };
    return toFinding(candidate, begin, located, starts, shown, secretsOn(begin.lineIndex, shown));
  });
  return withWarnings({ findings: pairFindings(findings, plan.pairs), suppressed });
}

/** Facts about a rule set that every chunk needs, computed once. */
interface Plan {
  /** Rule ids (inline markers name them). */
  ids: ReadonlySet<string>;
  rules: readonly CompiledRule[];
  /** Indexes of the rules without keywords, which run on every chunk. */
  keywordless: number[];
  /** Indexes of the rules each (lower-case) keyword belongs to. */
  byKeyword: ReadonlyMap<string, number[]>;
  /** Rules that pair with an identifier (rule `pair`), by id. */
  pairs: ReadonlyMap<string, PairSpec>;
  /**
   * Keywords that may be part of a provider rule's name (its match may start before them: its
   * stated window is not 0; working windows out for every rule would cost start-up 2 ms),
   * not of a token's prefix: the names code passes around.
   */
  namedKeywords: ReadonlySet<string>;
  /** The named keywords that no generic rule has: a provider's name, not a word such as `token`. */
  providerKeywords: ReadonlySet<string>;
}

const plans = new WeakMap<RuleSet, Plan>();

function planOf(ruleSet: RuleSet): Plan {
  let plan = plans.get(ruleSet);
  if (!plan) {
    // A window of 0 stated alone: the keyword starts the token (`ghp_`), it names nothing.
    const namedKeywords = new Set(
      ruleSet.rules.flatMap((rule) =>
        !rule.generic && (rule.statedWindow !== 0 || rule.windowAfter > 0) ? rule.keywords : [],
      ),
    );
    const genericKeywords = new Set(ruleSet.rules.flatMap((rule) => (rule.generic ? rule.keywords : [])));
    plan = {
      ids: new Set(ruleSet.rules.map((rule) => rule.id)),
      rules: ruleSet.rules,
      keywordless: ruleSet.rules.flatMap((rule, index) => (rule.keywords.length === 0 ? [index] : [])),
      byKeyword: keywordIndex(ruleSet.rules),
      pairs: new Map(ruleSet.rules.flatMap((rule) => (rule.pair ? [[rule.id, rule.pair] as const] : []))),
      namedKeywords,
      providerKeywords: new Set([...namedKeywords].filter((keyword) => !genericKeywords.has(keyword))),
    };
    plans.set(ruleSet, plan);
  }
  return plan;
}

function keywordIndex(rules: readonly CompiledRule[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  rules.forEach((rule, position) => {
    for (const keyword of new Set(rule.keywords)) {
      const list = index.get(keyword);
      if (list) list.push(position);
      else index.set(keyword, [position]);
    }
  });
  return index;
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
  line: Shown,
  lineSecrets: SecretSpan[],
): Finding {
  const finish = locate(starts, candidate.end);
  const secretStart = candidate.from === candidate.start ? undefined : locate(starts, candidate.start);
  return {
    ruleId: candidate.rule.id,
    severity: candidate.rule.severity,
    path: detached(chunk.path),
    line: chunk.startLine + begin.lineIndex,
    column: begin.column,
    endLine: chunk.startLine + finish.lineIndex,
    endColumn: finish.column,
    secret: detached(candidate.secret),
    ...(secretStart && {
      secretStart: { line: chunk.startLine + secretStart.lineIndex, column: secretStart.column },
    }),
    lineText: detached(line.text),
    lineTextColumn: line.column,
    ...(line.continues === true && { lineContinues: true }),
    lineSecrets,
    entropy: Math.round(candidate.entropy * 100) / 100,
    fingerprint:
      candidate.rule.fingerprint === 'scoped'
        ? scopedFingerprint(
            candidate.rule.id,
            candidate.match,
            candidate.secret,
            candidate.start - candidate.matchStart,
          )
        : fingerprint(candidate.rule.id, candidate.secret),
    origin: chunk.origin,
    ...(candidate.encoding && { encoding: candidate.encoding }),
    ...(chunk.commit && { commit: chunk.commit }),
  };
}

/** Secrets of recent commits' messages, by commit: each message is scanned once, when it has a finding. */
const messageSecretsBySha = new Map<string, NonNullable<CommitInfo['messageSecrets']>>();
const MESSAGE_CACHE = 256;

/** The chunk's commit, with the secrets its message holds for reporters to mask. */
function withMessageSecrets(chunk: Chunk, ruleSet: RuleSet): CommitInfo | undefined {
  const commit = chunk.commit;
  if (!commit || commit.message === '') return commit;
  let spans = messageSecretsBySha.get(commit.sha);
  if (!spans) {
    const { message } = commit;
    const found = scanChunk(
      { path: chunk.path, content: message, startLine: 1, origin: chunk.origin },
      ruleSet,
    );
    // The subject is one line: line 1 of its own chunk, as reporters mask it.
    spans = found.findings.flatMap((finding) => [
      {
        line: finding.secretStart?.line ?? finding.line,
        column: finding.secretStart?.column ?? finding.column,
        endLine: finding.endLine,
        endColumn: finding.endColumn,
        length: finding.secret.length,
      },
      ...finding.lineSecrets,
    ]);
    if (messageSecretsBySha.size >= MESSAGE_CACHE) messageSecretsBySha.clear();
    messageSecretsBySha.set(commit.sha, spans);
  }
  return spans.length === 0 ? commit : { ...commit, messageSecrets: spans };
}
