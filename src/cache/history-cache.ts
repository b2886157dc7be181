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
  /**
   * The commits a walk listed, in its order, as positions in `commits`, and the state of the
   * refs it walked (see ListingMemo): a later scan of the same walk with the refs unchanged
   * takes the list from here instead of asking git. Newest first; absent in older files.
   */
  listings?: [walk: string, tips: string, positions: number[]][];
}

const NO_RESCAN: Set<string> = new Set();

/** At most this many walks' listings are kept (a scheduled --history, the ranges of recent pushes). */
const MAX_LISTINGS = 4;

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

/** The commits the file holds, and its string table (which their lists index). */
interface Records {
  recorded: Map<string, Recorded | Stored>;
  strings: readonly string[];
  listings: Listing[];
}

/** A commit as the file holds it (Body's lists), expanded on recall: most are never asked for. */
type Stored = [identity: string, skips: number[], clean: number[], rescan: number[]];

/** The strings and commits of a body, or undefined when any part of it is not what this code writes. */
function parseBody(
  body: unknown,
): { strings: string[]; commits: Map<string, Stored>; order: string[]; listings: Listing[] } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { strings, commits, listings = [] } = body as Partial<Body>;
  if (!Array.isArray(strings) || !strings.every((item) => typeof item === 'string')) return undefined;
  if (!Array.isArray(commits)) return undefined;
  const stored = new Map<string, Stored>();
  const order: string[] = [];
  for (const entry of commits as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 4) return undefined;
    const [identity, skips, clean, rescan] = entry as unknown[];
    // `sha tree [parents]` as git printed it; one that is not is never asked for.
    if (typeof identity !== 'string') return undefined;
    if (!isTupleList(skips, 2, strings.length) || !isTupleList(clean, 3, strings.length, 1)) return undefined;
    if (!isTupleList(rescan, 2, strings.length)) return undefined;
    // The entry itself, checked: no copy per commit.
    stored.set(identity, entry as Stored);
    order.push(identity);
  }
  if (!Array.isArray(listings)) return undefined;
  const kept: Listing[] = [];
  for (const listing of listings as unknown[]) {
    if (!Array.isArray(listing) || listing.length !== 3) return undefined;
    const [walk, tips, positions] = listing as unknown[];
    if (typeof walk !== 'string' || typeof tips !== 'string') return undefined;
    if (!isTupleList(positions, 1, order.length)) return undefined;
    kept.push({ walk, tips, identities: positions.map((position) => order[position] as string) });
  }
  return { strings, commits: stored, order, listings: kept };
}

/** The commits a walk listed (identities, in its order) when its refs were as `tips` says. */
interface Listing {
  walk: string;
  tips: string;
  identities: readonly string[];
}

function formatBody(
  commits: ReadonlyMap<string, Recorded | Stored>,
  before: readonly string[],
  listings: readonly Listing[],
): Body {
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
  const body: Body = { strings, commits: [], listings: [] };
  const positions = new Map<string, number>();
  for (const [identity, commit] of commits) {
    positions.set(identity, body.commits.length);
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
  for (const { walk, tips, identities } of listings) {
    const listed = identities.map((identity) => positions.get(identity));
    // A walk with a commit not recorded (a blob absent from a partial clone) is listed by git next time.
    if (listed.every((position) => position !== undefined)) body.listings?.push([walk, tips, listed]);
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

  private loading: Promise<Records> | undefined;
  /** Set once the file has been read. */
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

  private load(): Promise<Records> {
    this.loading ??= readCacheFile(this.file).then((loaded) => {
      let parsed: ReturnType<typeof parseBody>;
      if ('body' in loaded) {
        parsed = parseBody(loaded.body);
        if (!parsed) this.warn('corrupt (its records are not what keyfence writes)');
      } else if ('problem' in loaded) this.warn(loaded.problem);
      this.records = {
        recorded: parsed?.commits ?? new Map<string, Recorded | Stored>(),
        strings: parsed?.strings ?? [],
        listings: parsed?.listings ?? [],
      };
      return this.records;
    });
    return this.loading;
  }

  async hasRecords(): Promise<boolean> {
    return (await this.load()).recorded.size > 0;
  }

  /** The rule key of each path of the file's string table that prepare() resolved. */
  private readonly keyOfPath = new Map<number, string>();
  /** Each path of the string table as chunks show it (see prepare's `display`), made once. */
  private shown: (string | undefined)[] = [];
  private display: (path: string) => string = (path) => path;

  async prepare(identities: readonly string[], display: (path: string) => string): Promise<void> {
    const { recorded, strings } = this.records ?? (await this.load());
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
    const stored = this.records?.recorded.get(identity);
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

  listing(walk: string, tips: string): readonly string[] | undefined {
    return this.records?.listings.find((listing) => listing.walk === walk && listing.tips === tips)
      ?.identities;
  }

  /** A walk's listing learnt by this run, to be kept by save(). */
  private learnt: Listing | undefined;

  listed(walk: string, tips: string, identities: readonly string[]): void {
    if (this.listing(walk, tips) === undefined) this.learnt = { walk, tips, identities };
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
    const { recorded, strings, listings } = await this.load();
    if (this.finished.length === 0 && this.learnt === undefined) {
      if (recorded.size > 0) await touchCacheFile(this.file);
      return;
    }
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
    const learnt = this.learnt;
    const kept = learnt
      ? [learnt, ...listings.filter((listing) => listing.walk !== learnt.walk)].slice(0, MAX_LISTINGS)
      : listings;
    await writeCacheFile(this.file, formatBody(recorded, strings, kept));
  }
}
