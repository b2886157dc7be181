import type { WalkSummary } from '../cache/walk-summary.js';
import type { Chunk } from './types.js';

/** What an earlier run recorded of one commit. */
export interface RememberedCommit {
  /**
   * Gives, in order, the paths its changes left unscanned (binary, too large, filtered,
   * submodules) and why, then the paths whose added lines were scanned and gave nothing, with the
   * bytes scanned: paths as chunks show them.
   */
  replay(skip: (path: string, reason: string) => void, scanned: (path: string, bytes: number) => void): void;
  /** Changes (`path\0blob`, see rescanKey) whose lines gave a finding, a suppression or a warning: read and scanned again. */
  rescan: ReadonlySet<string>;
}

/** The record of a commit read now; it is kept only once every chunk it gave has been scanned. */
export interface CommitTrace {
  skip(path: string, reason: string): void;
  /** A chunk of the change of `path` to blob `next`, of `bytes` bytes, about to go to the engine. */
  chunk(chunk: Chunk, path: string, next: string, bytes: number): void;
  /** Not to be recorded: a blob absent from a partial clone may be there next time. */
  unrecordable(): void;
  /** Every chunk of the commit has been handed over. */
  end(): void;
}

/**
 * What a history scan keeps between runs (--cache): a commit recorded under the same code, rules,
 * config and options is not read again. A commit is identified by `sha tree parents` as git sees
 * them, which is what determines its changes (a shallow boundary or a replace ref changes them).
 */
export interface HistoryMemory {
  /** A cache file of this format and key is there (a hint, known before reading it). */
  readonly mayHaveRecords: boolean;
  /**
   * Reads the records: none, and the history is read as without a cache, every commit recorded.
   * Asked once the git processes of the scan have started, so that reading overlaps them.
   */
  hasRecords(): Promise<boolean>;
  /**
   * Readies recall for these commits: reads the rules that now apply to each path their records
   * name (`display` turns a path from the repository top into the path chunks carry).
   */
  prepare(identities: readonly string[], display: (path: string) => string): Promise<void>;
  /** The record of a commit, when there is one made under the rules that apply to each of its paths now. */
  recall(identity: string): RememberedCommit | undefined;
  /**
   * What replaying every commit `walk` (git log's arguments) listed in an earlier run gives, when
   * the refs were as `tips` (a digest of them) says and every path's rules are still those it was
   * recorded under: the same walk over the same refs lists the same commits.
   */
  replayable(walk: string, tips: string, display: (path: string) => string): Promise<WalkSummary | undefined>;
  /** What `walk` lists now, with the refs as `tips` says: summarized for the next run. */
  listed(walk: string, tips: string, identities: readonly string[]): void;
  /** Starts the record of a commit read now. */
  begin(identity: string): CommitTrace;
}

/** The key of a change in RememberedCommit.rescan. */
export const rescanKey = (path: string, next: string): string => `${path}\0${next}`;
