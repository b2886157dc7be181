import { rescanKey } from '../sources/history-memory.js';

/**
 * What replaying every recorded commit of one walk gives, kept so that a later scan of the same
 * walk over the same refs replays it at once, without reading each commit's record: how many
 * commits, the bytes scanned clean per path (with the rule key each was recorded under), the
 * paths skipped (last reason and commit per path, in the order first skipped), and the commits
 * whose changes are read again (with those changes), in the walk's order.
 */
export interface WalkSummary {
  walk: string;
  tips: string;
  commits: number;
  scanned: { path: string; bytes: number; rules: string }[];
  skipped: { path: string; reason: string; sha: string }[];
  read: { identity: string; rescan: ReadonlySet<string> }[];
}

/** A recorded commit, as summarize reads it. */
export interface SummarizedCommit {
  skips: Iterable<{ path: string; reason: string }>;
  clean: Iterable<{ path: string; bytes: number; rules: string }>;
  /** `path\0blob` keys. */
  rescan: ReadonlySet<string>;
}

/** The summary of a walk that listed `identities`, or undefined when one of them is not recorded. */
export function summarize(
  walk: string,
  tips: string,
  identities: readonly string[],
  recordOf: (identity: string) => SummarizedCommit | undefined,
): WalkSummary | undefined {
  const scanned = new Map<string, { bytes: number; rules: string }>();
  const skipped = new Map<string, { reason: string; sha: string }>();
  const read: WalkSummary['read'] = [];
  for (const identity of identities) {
    const commit = recordOf(identity);
    if (!commit) return undefined;
    const sha = identity.slice(0, identity.indexOf(' '));
    for (const { path, reason } of commit.skips) skipped.set(path, { reason, sha });
    for (const { path, bytes, rules } of commit.clean) {
      const known = scanned.get(path);
      // One path under two rule sets (a config changed between the commits' scans): no summary.
      if (known && known.rules !== rules) return undefined;
      if (known) known.bytes += bytes;
      else scanned.set(path, { bytes, rules });
    }
    if (commit.rescan.size > 0) read.push({ identity, rescan: commit.rescan });
  }
  return {
    walk,
    tips,
    commits: identities.length,
    scanned: [...scanned].map(([path, { bytes, rules }]) => ({ path, bytes, rules })),
    skipped: [...skipped].map(([path, { reason, sha }]) => ({ path, reason, sha })),
    read,
  };
}

/** As written: flat lists (`path, bytes, rules`, `path, reason, sha`, `identity, [path, blob, …]`). */
type StoredSummary = [string, string, number, (string | number)[], string[], (string | string[])[]];

export function storeSummary(summary: WalkSummary): StoredSummary {
  return [
    summary.walk,
    summary.tips,
    summary.commits,
    summary.scanned.flatMap(({ path, bytes, rules }) => [path, bytes, rules]),
    summary.skipped.flatMap(({ path, reason, sha }) => [path, reason, sha]),
    summary.read.flatMap(({ identity, rescan }) => [identity, [...rescan].flatMap((key) => key.split('\0'))]),
  ];
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** The summaries of a cache file's first line, or undefined when any is not what storeSummary writes. */
export function parseSummaries(value: unknown): WalkSummary[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const summaries: WalkSummary[] = [];
  for (const item of value as unknown[]) {
    if (!Array.isArray(item) || item.length !== 6) return undefined;
    const [walk, tips, commits, scanned, skipped, read] = item as unknown[];
    if (!isString(walk) || !isString(tips) || !Number.isSafeInteger(commits)) return undefined;
    if (!Array.isArray(scanned) || scanned.length % 3 !== 0) return undefined;
    if (!Array.isArray(skipped) || skipped.length % 3 !== 0 || !skipped.every(isString)) return undefined;
    if (!Array.isArray(read) || read.length % 2 !== 0) return undefined;
    const summary: WalkSummary = {
      walk,
      tips,
      commits: commits as number,
      scanned: [],
      skipped: [],
      read: [],
    };
    for (let i = 0; i < scanned.length; i += 3) {
      const [path, bytes, rules] = [scanned[i], scanned[i + 1], scanned[i + 2]] as unknown[];
      if (!isString(path) || !Number.isSafeInteger(bytes) || !isString(rules)) return undefined;
      summary.scanned.push({ path, bytes: bytes as number, rules });
    }
    for (let i = 0; i < skipped.length; i += 3)
      summary.skipped.push({
        path: skipped[i] as string,
        reason: skipped[i + 1] as string,
        sha: skipped[i + 2] as string,
      });
    for (let i = 0; i < read.length; i += 2) {
      const [identity, keys] = [read[i], read[i + 1]] as unknown[];
      if (!isString(identity) || !Array.isArray(keys) || keys.length % 2 !== 0 || !keys.every(isString))
        return undefined;
      const rescan = new Set<string>();
      for (let k = 0; k < keys.length; k += 2)
        rescan.add(rescanKey(keys[k] as string, keys[k + 1] as string));
      summary.read.push({ identity, rescan });
    }
    summaries.push(summary);
  }
  return summaries;
}
