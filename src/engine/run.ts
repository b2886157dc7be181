import { released } from '../heap-relief.js';
import type { CompiledRule, RuleSet, RuleSetFor } from '../rules/types.js';
import { readingAhead } from '../sources/read-file.js';
import type { Chunk, FileToRead, Skip, Source, SourceContext } from '../sources/types.js';
import type { ItemResult, ScanPool, WorkItem } from './pool.js';
import { scanChunk, type ChunkResult } from './scan.js';
import type { Finding, Report, RuleInfo } from './types.js';

/** Scanning in worker threads once the input proves large. */
export interface Parallel {
  /** Characters scanned on this thread before the pool starts (starting workers costs ~100 ms). */
  after: number;
  start: () => ScanPool;
}

/** A batch closes at this many characters or chunks: large enough to amortise a message, small enough to spread. */
const BATCH_BYTES = 256 * 1024;
const BATCH_CHUNKS = 512;
/** Or at this many files for the worker to read (their sizes are not known before reading). */
const BATCH_FILES = 32;
/** Batches in flight per worker before the source waits. */
const IN_FLIGHT = 4;

/** A deadline for the whole scan: past it, the scan stops and says what it did not finish. */
export interface Deadline {
  ms: number;
  /** How the limit is named in messages, e.g. `--timeout 30m`. */
  label: string;
}

/**
 * What a scan keeps between runs (--cache): it is told the result of every chunk once that chunk
 * is scanned (here, by a worker, or recalled from an identical chunk), and of no other.
 */
export interface ScanCache {
  record(chunk: Chunk, result: ChunkResult): void;
}

/**
 * Scans every chunk a source yields and assembles the report (findings in source order). `rules`
 * is one rule set, or a function giving the rule set for a chunk's path (nested configs).
 * `observe` wraps the context that the source and the reading of files report to, to watch the
 * scan as it goes (a progress line).
 */
export async function scan(
  source: Source,
  rules: RuleSet | RuleSetFor,
  parallel?: Parallel,
  deadline?: Deadline,
  observe?: (context: SourceContext) => SourceContext,
  cache?: ScanCache,
): Promise<Report> {
  const ruleSetFor = typeof rules === 'function' ? rules : () => rules;
  // process.hrtime rather than performance.now(): the first use of `performance` loads perf_hooks (~0.6 ms).
  const started = process.hrtime.bigint();
  const findings: Finding[] = [];
  const skipped: Skip[] = [];
  const files = new Set<string>();
  const notes: string[] = [];
  let bytes = 0;
  let chunks = 0;
  let commits = 0;
  const suppressedBy = { inline: 0, allowlist: 0, ignore: 0, baseline: 0 };
  const used = new Set<RuleSet>();
  const counted: SourceContext = {
    skip: (path, reason) => skipped.push({ path, reason }),
    scanned: (path, size) => {
      files.add(path);
      bytes += size;
    },
    note: (message) => notes.push(message),
    commitScanned: () => {
      commits++;
    },
  };
  const context = observe ? observe(counted) : counted;
  const warnings = new Set<string>();
  const collect = (result: ChunkResult) => {
    // One by one: a chunk's findings can outnumber the arguments a call takes.
    for (const finding of result.findings) findings.push(finding);
    for (const warning of result.warnings ?? []) warnings.add(warning);
    suppressedBy.inline += result.suppressed.inline;
    suppressedBy.allowlist += result.suppressed.allowlist;
  };
  // Small inputs are scanned here; past `parallel.after` bytes the rest goes to worker threads in
  // batches, and results are collected in the order the batches were sent: source order either way.
  let pool: ScanPool | undefined;
  let batch: WorkItem[] = [];
  let batchBytes = 0;
  let batchFiles = 0;
  let seen = 0;
  const sent: { items: WorkItem[]; results: Promise<ItemResult[]> }[] = [];
  const memo = new ResultMemo();
  const fileScanned = async (file: FileToRead, bytes: number) => {
    context.scanned(file.path, bytes);
    chunks++;
    used.add(await ruleSetFor(file.path));
  };
  const send = async (limit: number) => {
    if (pool && batch.length > 0) {
      const results = pool.scan(batch);
      // Posted: the workers have their copies.
      released(batchBytes);
      // Awaited in order below; if the scan stops early, a failure must not go unhandled.
      results.catch(() => undefined);
      sent.push({ items: batch, results });
    }
    batch = [];
    batchBytes = 0;
    batchFiles = 0;
    while (sent.length > limit) {
      const done = sent.shift() as (typeof sent)[number];
      const results = await done.results;
      for (const [index, outcome] of results.entries()) {
        const item = done.items[index];
        if ('directory' in outcome) continue;
        if ('skip' in outcome) {
          if (item) context.skip(item.path, outcome.skip);
          continue;
        }
        if (item && 'content' in item) {
          memo.remember(item, outcome.result);
          cache?.record(item, outcome.result);
        } else if (item && outcome.bytes !== undefined) {
          await fileScanned(item, outcome.bytes);
          for (const skip of outcome.skips ?? []) context.skip(skip.path, skip.reason);
        }
        collect(outcome.result);
      }
    }
  };
  const scanHere = async (chunk: Chunk) => {
    chunks++;
    const ruleSet = await ruleSetFor(chunk.path);
    used.add(ruleSet);
    const known = memo.recall(chunk, ruleSet);
    if (known) cache?.record(chunk, known);
    if (known && !pool) {
      collect(known);
      return;
    }
    if (known) {
      // Behind the batches still in flight, to keep source order.
      await send(Infinity);
      sent.push({ items: [], results: Promise.resolve([{ result: known }]) });
      return;
    }
    seen += chunk.content.length;
    if (!pool && parallel && seen >= parallel.after) pool = parallel.start();
    if (!pool) {
      const result = scanChunk(chunk, ruleSet);
      released(chunk.content.length);
      memo.remember(chunk, result);
      cache?.record(chunk, result);
      collect(result);
      return;
    }
    batch.push(chunk);
    batchBytes += chunk.content.length;
    if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_CHUNKS) await send(IN_FLIGHT * pool.size);
  };
  const unread = parallel !== undefined && source.items !== undefined;
  const items = unread && source.items ? source.items(context) : source.chunks(context);
  const clock = deadline && startClock(deadline.ms);
  let incomplete: string | undefined;
  let last: string | undefined;
  try {
    // Files a source hands over unread are read here until the pool starts, and by the workers after.
    // Only a source that hands over unread files needs the read-ahead step (history: a chunk each).
    const iterator = (unread ? readingAhead(items, context, () => !pool) : items)[Symbol.asyncIterator]();
    let stopped = false;
    for (;;) {
      const next = clock ? await clock.race(iterator.next()) : await iterator.next();
      if (next !== EXPIRED && next.done) break;
      if (next === EXPIRED || clock?.expired() === true) {
        stopped = true;
        break;
      }
      const item = next.value;
      last = item.path;
      // Waiting for workers' answers (to keep source order) is raced against the deadline too.
      if ('content' in item) {
        stopped = (await within(clock, scanHere(item))) === EXPIRED;
        if (stopped && deadline) context.skip(item.path, `not finished: ${deadline.label} reached`);
      } else if (pool) {
        batch.push(item);
        if (++batchFiles >= BATCH_FILES)
          stopped = (await within(clock, send(IN_FLIGHT * pool.size))) === EXPIRED;
      }
      if (stopped) break;
    }
    if (!stopped) stopped = (await within(clock, send(0))) === EXPIRED;
    if (stopped && deadline) {
      // The source finishes (and stops its git processes) once it resumes; it is not awaited.
      void iterator.return?.(undefined).catch(() => undefined);
      // What was handed to workers and not answered is listed; what the source had not yet given is not known.
      for (const item of [...sent.flatMap((done) => done.items), ...batch])
        context.skip(item.path, `not scanned: ${deadline.label} reached`);
      incomplete = `${deadline.label} reached: the scan stopped ${last === undefined ? 'before its first file' : `at ${last}`}; what came after it was not scanned`;
    }
  } finally {
    clock?.stop();
    await pool?.close();
  }
  const ordered = source.order === 'oldest-first' ? newestCommitFirst(findings) : findings;
  return {
    findings: ordered,
    rules: ruleInfo(
      [...used].flatMap((ruleSet) => ruleSet.rules),
      ordered,
    ),
    summary: {
      files: files.size,
      commits,
      chunks,
      bytes,
      suppressed: suppressedBy.inline + suppressedBy.allowlist,
      suppressedBy,
      skipped,
      durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
      workers: pool?.size ?? 0,
      ...(incomplete !== undefined && { incomplete }),
    },
    target: source.label,
    notes: [...notes, ...warnings],
  };
}

/** Metadata of the rules that produced findings. */
export function ruleInfo(
  rules: readonly CompiledRule[],
  findings: readonly Finding[],
): Record<string, RuleInfo> {
  const used = new Set(findings.map((finding) => finding.ruleId));
  const info: Record<string, RuleInfo> = {};
  for (const rule of rules) {
    if (!used.has(rule.id) || info[rule.id]) continue;
    const { id, title, severity, provider, remediation, references } = rule;
    info[id] = { id, title, severity, provider, remediation, references };
  }
  return info;
}

/** Findings read oldest commit first, reordered newest commit first; each commit's own order is kept. */
function newestCommitFirst(findings: readonly Finding[]): Finding[] {
  const runs: Finding[][] = [];
  for (const finding of findings) {
    const run = runs[runs.length - 1];
    if (run && run[0]?.commit?.sha === finding.commit?.sha) run.push(finding);
    else runs.push([finding]);
  }
  return runs.reverse().flat();
}

/** Remembered results are dropped beyond this many, so that memory stays bounded on any history. */
const MEMO_LIMIT = 200_000;
const NO_RESULT: ChunkResult = { findings: [], suppressed: { allowlist: 0, inline: 0 } };

/**
 * Results of chunks a source marked with a `reuseKey` (history: the same change to the same file,
 * reached again through a cherry-pick or a rebased branch), so that each distinct added content is
 * scanned once. A recalled result is given the new chunk's commit. Rule sets that allowlist commits
 * give results that depend on the commit, and are never recalled.
 */
class ResultMemo {
  private readonly results = new Map<string, ChunkResult>();
  private readonly commitFree = new WeakMap<RuleSet, boolean>();

  recall(chunk: Chunk, ruleSet: RuleSet): ChunkResult | undefined {
    if (chunk.reuseKey === undefined || !this.reusable(ruleSet)) return undefined;
    const known = this.results.get(chunk.reuseKey);
    if (!known || known.findings.length === 0 || !chunk.commit) return known;
    const commit = chunk.commit;
    return { ...known, findings: known.findings.map((finding) => ({ ...finding, commit })) };
  }

  remember(chunk: Chunk, result: ChunkResult): void {
    if (chunk.reuseKey === undefined) return;
    if (this.results.size >= MEMO_LIMIT) this.results.clear();
    const empty =
      result.findings.length === 0 && result.suppressed.allowlist + result.suppressed.inline === 0;
    this.results.set(chunk.reuseKey, empty ? NO_RESULT : result);
  }

  private reusable(ruleSet: RuleSet): boolean {
    let free = this.commitFree.get(ruleSet);
    if (free === undefined) {
      free = !ruleSet.allowlist.commits && ruleSet.rules.every((rule) => !rule.allowlist.commits);
      this.commitFree.set(ruleSet, free);
    }
    return free;
  }
}

const EXPIRED = Symbol('expired');

/** `promise`, or EXPIRED if the deadline passes first (no clock: the promise). */
async function within<T>(clock: Clock | undefined, promise: Promise<T>): Promise<T | typeof EXPIRED> {
  return clock ? clock.race(promise) : promise;
}

type Clock = ReturnType<typeof startClock>;

/** A timer for a deadline: whether it has passed, and a race of any promise against it. */
function startClock(ms: number) {
  const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<typeof EXPIRED>((resolve) => {
    timer = setTimeout(() => {
      resolve(EXPIRED);
    }, ms);
  });
  return {
    expired: () => process.hrtime.bigint() >= end,
    race: <T>(promise: Promise<T>): Promise<T | typeof EXPIRED> => {
      // A promise that loses the race must not end as an unhandled rejection.
      promise.catch(() => undefined);
      return Promise.race([promise, expiry]);
    },
    stop: () => {
      clearTimeout(timer);
    },
  };
}
