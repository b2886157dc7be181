import type { ScanCache } from '../engine/run.js';
import type { ChunkResult } from '../engine/scan.js';
import {
  rescanKey,
  type CommitTrace,
  type HistoryMemory,
  type RememberedCommit,
} from '../sources/history-memory.js';
import type { Chunk } from '../sources/types.js';
import {
  parseSummaries,
  storeSummary,
  summarize,
  type SummarizedCommit,
  type WalkSummary,
} from './walk-summary.js';
import {
  cacheFileLooksCurrent,
  readCacheFile,
  touchCacheFile,
  writeCacheFile,
  type CacheFile,
} from './store.js';

/** A commit as recorded: what it skipped, what it scanned clean (under which rules), what to scan again. */
interface Recorded {
  skips: readonly { path: string; reason: string }[];
  clean: readonly { path: string; bytes: number; rules: string }[];
  /** `path\0blob` keys (see rescanKey). */
  rescan: ReadonlySet<string>;
}

/**
 * The file's body. Strings (paths, reasons, rule keys, blob ids) are kept once in `strings` and
 * named by index; each commit is `[identity, skips, clean, rescan]`, flat lists of
 * `path, reason` pairs, `path, bytes, rules` triples and `path, blob` pairs. No line of any file
 * is kept: a change that gave a finding is read and scanned again, so no secret, masked or not,
 * is ever written to the cache.
 */
interface Body {
  strings: string[];
  commits: [string, number[], number[], number[]][];
}

const NO_RESCAN: Set<string> = new Set();

/** At most this many walks' summaries are kept (a scheduled --history, the ranges of recent pushes). */
const MAX_SUMMARIES = 4;

/**
 * Whether `value` is a flat list of `width`-tuples of whole numbers, each an index into the
 * strings (`count` of them) except the tuple's member at `free` (a byte count).
 */
function isTupleList(value: unknown, width: number, count: number, free = -1): value is number[] {
  if (!Array.isArray(value) || value.length % width !== 0) return false;
  // A plain loop: a cache of a long history holds hundreds of thousands of numbers.
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (typeof item !== 'number' || !Number.isSafeInteger(item) || item < 0) return false;
    if (index % width !== free && item >= count) return false;
  }
  return true;
}

/** The file's first line (how many commits it records, each walk's summary) and the rest, unparsed. */
interface Head {
  count: number;
  summaries: WalkSummary[];
  rest: Buffer | undefined;
}

/** The commits the file holds, and its string table (which their lists index). */
interface Records {
  recorded: Map<string, Recorded | Stored>;
  strings: readonly string[];
}

/** A commit as the file holds it (Body's lists), expanded on recall: most are never asked for. */
type Stored = [identity: string, skips: number[], clean: number[], rescan: number[]];

/** The strings and commits of a body, or undefined when any part of it is not what this code writes. */
function parseBody(body: unknown): { strings: string[]; commits: Map<string, Stored> } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { strings, commits } = body as Partial<Body>;
  if (!Array.isArray(strings) || !strings.every((item) => typeof item === 'string')) return undefined;
  if (!Array.isArray(commits)) return undefined;
  const stored = new Map<string, Stored>();
  for (const entry of commits as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 4) return undefined;
    const [identity, skips, clean, rescan] = entry as unknown[];
    // `sha tree [parents]` as git printed it; one that is not is never asked for.
    if (typeof identity !== 'string') return undefined;
    if (!isTupleList(skips, 2, strings.length) || !isTupleList(clean, 3, strings.length, 1)) return undefined;
    if (!isTupleList(rescan, 2, strings.length)) return undefined;
    // The entry itself, checked: no copy per commit.
    stored.set(identity, entry as Stored);
  }
  return { strings, commits: stored };
}

/** A recorded commit as summarize reads it. */
function summarized(commit: Recorded | Stored, strings: readonly string[]): SummarizedCommit {
  if (!Array.isArray(commit)) return commit;
  const [, skips, clean, rescan] = commit;
  const at = (index: number | undefined) => strings[index as number] as string;
  const summary = { skips: [] as Recorded['skips'][number][], clean: [] as Recorded['clean'][number][] };
  for (let i = 0; i < skips.length; i += 2)
    summary.skips.push({ path: at(skips[i]), reason: at(skips[i + 1]) });
  for (let i = 0; i < clean.length; i += 3)
    summary.clean.push({ path: at(clean[i]), bytes: clean[i + 1] as number, rules: at(clean[i + 2]) });
  const keys = new Set<string>();
  for (let i = 0; i < rescan.length; i += 2) keys.add(rescanKey(at(rescan[i]), at(rescan[i + 1])));
  return { ...summary, rescan: keys };
}

function formatBody(commits: ReadonlyMap<string, Recorded | Stored>, before: readonly string[]): Body {
  const strings: string[] = [];
  const indices = new Map<string, number>();
  const index = (text: string): number => {
    let known = indices.get(text);
    if (known === undefined) {
      known = strings.push(text) - 1;
      indices.set(text, known);
    }
    return known;
  };
  const reindex = (list: readonly number[], free = -1, width = 1) =>
    list.map((item, position) => (position % width === free ? item : index(before[item] as string)));
  const body: Body = { strings, commits: [] };
  for (const [identity, commit] of commits) {
    if (Array.isArray(commit)) {
      const [, skips, clean, rescan] = commit;
      body.commits.push([identity, reindex(skips), reindex(clean, 1, 3), reindex(rescan)]);
      continue;
    }
    body.commits.push([
      identity,
      commit.skips.flatMap(({ path, reason }) => [index(path), index(reason)]),
      commit.clean.flatMap(({ path, bytes, rules }) => [index(path), bytes, index(rules)]),
      [...commit.rescan].flatMap((key) => key.split('\0').map(index)),
    ]);
  }
  return body;
}

/** One change of a commit being read: its chunks' bytes, how many are not yet scanned, whether any gave something. */
interface ChangeTrace {
  path: string;
  /** The path chunks carry, for the rules that apply to it. */
  shown: string;
  bytes: number;
  dirty: boolean;
}

/** A commit being read now. */
interface Trace {
  identity: string;
  skips: { path: string; reason: string }[];
  changes: Map<string, ChangeTrace>;
  outstanding: number;
  ended: boolean;
  unrecordable: boolean;
}

const clean = (result: ChunkResult): boolean =>
  result.findings.length === 0 &&
  result.suppressed.allowlist + result.suppressed.inline === 0 &&
  (result.warnings?.length ?? 0) === 0;

/**
 * The --cache of a history scan: which commits an earlier scan read, under which rules, and which
 * of their changes gave findings. It is the source's HistoryMemory and the engine's ScanCache: a
 * commit read now is recorded only once the engine has reported the result of every chunk it gave,
 * so a scan stopped by --timeout records none of the commits it did not finish.
 */
export class HistoryCache implements HistoryMemory, ScanCache {
  private readonly finished: Trace[] = [];
  private readonly owners = new Map<Chunk, { trace: Trace; change: ChangeTrace }>();

  private head: Promise<Head> | undefined;
  /** Set once the file has been read. */
  private headNow: Head | undefined;
  /** The per-commit records, parsed on first use: a warm scan of unchanged refs never needs them. */
  private records: Records | undefined;

  private constructor(
    private readonly file: CacheFile,
    private readonly ruleKeyFor: (path: string) => Promise<string>,
    private readonly warn: (problem: string) => void,
    readonly mayHaveRecords: boolean,
  ) {}

  /**
   * The cache of `file`'s scope, read when first asked (hasRecords, recall, save): the history
   * source starts its git processes first, so the file is parsed while they run. A file that
   * cannot be trusted (corrupt, truncated, another format, key or build) is ignored and `warn`
   * told why, in one line; the scan then reads everything and writes a new file.
   */
  static open(
    file: CacheFile,
    ruleKeyFor: (path: string) => Promise<string>,
    warn: (problem: string) => void,
  ): HistoryCache {
    return new HistoryCache(file, ruleKeyFor, warn, cacheFileLooksCurrent(file));
  }

  private load(): Promise<Head> {
    this.head ??= readCacheFile(this.file).then((loaded) => {
      let head: Head = { count: 0, summaries: [], rest: undefined };
      if ('body' in loaded) {
        const first = loaded.body as { commits?: unknown; walks?: unknown } | null;
        const summaries =
          typeof first === 'object' && first !== null ? parseSummaries(first.walks) : undefined;
        if (summaries === undefined || !Number.isSafeInteger(first?.commits))
          this.warn('corrupt (its records are not what keyfence writes)');
        else head = { count: first?.commits as number, summaries, rest: loaded.rest };
      } else if ('problem' in loaded) this.warn(loaded.problem);
      this.headNow = head;
      return head;
    });
    return this.head;
  }

  private recordsNow(): Records {
    if (this.records) return this.records;
    const rest = this.headNow?.rest;
    let parsed: ReturnType<typeof parseBody>;
    if (rest !== undefined && this.headNow?.count !== 0) {
      try {
        parsed = parseBody(JSON.parse(rest.toString('utf8')));
      } catch {
        parsed = undefined;
      }
      if (!parsed) this.warn('corrupt (its records are not what keyfence writes)');
    }
    this.records = {
      recorded: parsed?.commits ?? new Map<string, Recorded | Stored>(),
      strings: parsed?.strings ?? [],
    };
    return this.records;
  }

  async hasRecords(): Promise<boolean> {
    return (await this.load()).count > 0;
  }

  async replayable(
    walk: string,
    tips: string,
    display: (path: string) => string,
  ): Promise<WalkSummary | undefined> {
    const head = await this.load();
    const summary = head.summaries.find((known) => known.walk === walk && known.tips === tips);
    if (!summary) return undefined;
    // Recorded under other rules (a config changed where these files are): replay commit by commit.
    const keys = await Promise.all(summary.scanned.map(({ path }) => this.ruleKeyFor(display(path))));
    return summary.scanned.every(({ rules }, index) => keys[index] === rules) ? summary : undefined;
  }

  /** The rule key of each path of the file's string table that prepare() resolved. */
  private readonly keyOfPath = new Map<number, string>();
  /** Each path of the string table as chunks show it (see prepare's `display`), made once. */
  private shown: (string | undefined)[] = [];
  private display: (path: string) => string = (path) => path;

  async prepare(identities: readonly string[], display: (path: string) => string): Promise<void> {
    await this.load();
    const { recorded, strings } = this.recordsNow();
    this.display = display;
    const paths = new Set<number>();
    for (const identity of identities) {
      const stored = recorded.get(identity);
      if (!Array.isArray(stored)) continue;
      const clean = stored[2];
      for (let i = 0; i < clean.length; i += 3) paths.add(clean[i] as number);
    }
    // Each directory's configs are found once (ConfigResolver), whichever path asks first.
    await Promise.all(
      [...paths].map(async (path) => {
        this.keyOfPath.set(path, await this.ruleKeyFor(this.shownPath(path, strings)));
      }),
    );
  }

  private shownPath(index: number, strings: readonly string[]): string {
    return (this.shown[index] ??= this.display(strings[index] as string));
  }

  recall(identity: string): RememberedCommit | undefined {
    const stored = this.recordsNow().recorded.get(identity);
    // Not recorded, or recorded by this run (never asked again): read it.
    if (!Array.isArray(stored)) return undefined;
    const strings = (this.records as Records).strings;
    const [, skips, clean, rescan] = stored;
    // Recorded under other rules (a config changed where this commit's files are): read it again.
    for (let i = 0; i < clean.length; i += 3) {
      if (this.keyOfPath.get(clean[i] as number) !== strings[clean[i + 2] as number]) return undefined;
    }
    // Most commits have nothing to read again: they share one empty set.
    const keys = rescan.length === 0 ? NO_RESCAN : new Set<string>();
    for (let i = 0; i < rescan.length; i += 2)
      keys.add(rescanKey(strings[rescan[i] as number] as string, strings[rescan[i + 1] as number] as string));
    return {
      rescan: keys,
      replay: (skip, scanned) => {
        for (let i = 0; i < skips.length; i += 2)
          skip(this.shownPath(skips[i] as number, strings), strings[skips[i + 1] as number] as string);
        for (let i = 0; i < clean.length; i += 3)
          scanned(this.shownPath(clean[i] as number, strings), clean[i + 1] as number);
      },
    };
  }

  /** A walk's listing learnt by this run: its summary is made by save(). */
  private learnt: { walk: string; tips: string; identities: readonly string[] } | undefined;

  listed(walk: string, tips: string, identities: readonly string[]): void {
    this.learnt = { walk, tips, identities };
  }

  begin(identity: string): CommitTrace {
    const trace: Trace = {
      identity,
      skips: [],
      changes: new Map(),
      outstanding: 0,
      ended: false,
      unrecordable: false,
    };
    return {
      skip: (path, reason) => trace.skips.push({ path, reason }),
      chunk: (chunk, path, next, bytes) => {
        const key = rescanKey(path, next);
        let change = trace.changes.get(key);
        if (!change) {
          change = { path, shown: chunk.path, bytes: 0, dirty: false };
          trace.changes.set(key, change);
        }
        change.bytes += bytes;
        trace.outstanding++;
        this.owners.set(chunk, { trace, change });
      },
      unrecordable: () => {
        trace.unrecordable = true;
      },
      end: () => {
        trace.ended = true;
        this.settle(trace);
      },
    };
  }

  record(chunk: Chunk, result: ChunkResult): void {
    const owner = this.owners.get(chunk);
    if (!owner) return;
    this.owners.delete(chunk);
    if (!clean(result)) owner.change.dirty = true;
    owner.trace.outstanding--;
    this.settle(owner.trace);
  }

  private settle(trace: Trace): void {
    if (trace.ended && trace.outstanding === 0 && !trace.unrecordable) this.finished.push(trace);
  }

  /** Commits recorded by this scan, to be written by save(). */
  get recordedNow(): number {
    return this.finished.length;
  }

  /**
   * Writes the records (the earlier ones and those finished now) atomically, or marks the file
   * used when nothing is new. Failures are the caller's to report as a warning.
   */
  async save(): Promise<void> {
    const head = await this.load();
    if (this.finished.length === 0 && this.learnt === undefined) {
      if (head.count > 0) await touchCacheFile(this.file);
      return;
    }
    const { recorded, strings } = this.recordsNow();
    for (const trace of this.finished) {
      const commit: Recorded = { skips: trace.skips, clean: [], rescan: new Set() };
      for (const [key, change] of trace.changes) {
        if (change.dirty) (commit.rescan as Set<string>).add(key);
        else
          (commit.clean as Recorded['clean'][number][]).push({
            path: change.path,
            bytes: change.bytes,
            rules: await this.ruleKeyFor(change.shown),
          });
      }
      recorded.set(trace.identity, commit);
    }
    this.finished.length = 0;
    let summaries = head.summaries;
    const learnt = this.learnt;
    if (learnt) {
      const summary = summarize(learnt.walk, learnt.tips, learnt.identities, (identity) => {
        const commit = recorded.get(identity);
        return commit && summarized(commit, strings);
      });
      // A walk with a commit not recorded (a blob absent from a partial clone) is listed by git next time.
      summaries = [...(summary ? [summary] : []), ...summaries.filter((known) => known.walk !== learnt.walk)];
    }
    await writeCacheFile(
      this.file,
      { commits: recorded.size, walks: summaries.slice(0, MAX_SUMMARIES).map(storeSummary) },
      formatBody(recorded, strings),
    );
  }
}
