import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ScanSummary } from '../engine/types.js';

/** Options every reporter receives; reporters never read process state themselves. */
export interface ReporterOptions {
  color: boolean;
  /** Directory that relative paths in the report are resolved against. */
  cwd: string;
  /** Directory SARIF URIs are made relative to (usually the repository root). */
  root: string;
  toolVersion: string;
  /** False when the user asked for --no-redact. */
  redacted: boolean;
  /** Columns a quoted line may take in the console report (the terminal's width; default 120). */
  width?: number;
  /** When the scan ended, for the reports that carry a time (JUnit, GitLab); default: now. */
  finishedAt?: Date;
  /** Markdown: the repository on GitHub that files and commits are linked to; no links when absent. */
  links?: RepoLinks;
  /** Markdown: how many findings fail the run, and the fail-on level when one level decides it. */
  failing?: { count: number; failOn: string | undefined };
  /** Markdown: findings in a baseline were left out. */
  baseline?: boolean;
}

/** Where links to a repository point: the repository on its GitHub server. */
export interface RepoLinks {
  server: string;
  repository: string | undefined;
  /** The commit files are linked at when a finding has no commit of its own. */
  sha: string | undefined;
}

/** A finding's path relative to the report's root, with forward slashes, when it lies below the root; else undefined. */
export function pathBelowRoot(path: string, options: ReporterOptions): string | undefined {
  const fromRoot = relative(options.root, resolve(options.cwd, path));
  // `..env` is a file below the root; `..` and `../x` are not.
  if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot))
    return undefined;
  return fromRoot.split(sep).join('/');
}

/**
 * A finding's path from the report's root, as GitHub wants it for annotations and links: as it is
 * when the root is the cwd (the path is then relative to it already, character for character),
 * else from the root when below it, else as it is.
 */
export function pathFromRoot(path: string, options: ReporterOptions): string {
  return options.root === options.cwd ? path : (pathBelowRoot(path, options) ?? path);
}

/** Human-readable byte count: 512 B, 12.3 KB, 4.5 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** Human-readable duration. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `3 files` / `1 file`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** What was scanned, in one phrase: `12 files (45.2 KB)`. */
export function scannedPhrase(summary: ScanSummary): string {
  const commits = summary.commits > 0 ? `${plural(summary.commits, 'commit')}, ` : '';
  return `${commits}${plural(summary.files, 'file')} (${formatBytes(summary.bytes)})`;
}

/** A rule's title when it says more than its id: a custom rule without a title has its id as one. */
export function ruleTitle(rule: { id: string; title: string } | undefined): string | undefined {
  const title = rule?.title.trim();
  return title === undefined || title === '' || title === rule?.id ? undefined : title;
}

/** `binary file: 2, larger than --max-file-size: 1`: why files were skipped, each reason once, the most common first. */
export function skipReasons(skipped: readonly { reason: string }[]): string {
  const counts = new Map<string, number>();
  for (const { reason } of skipped) {
    // Details in parentheses (sizes, commits) differ per file; the reason before them does not.
    const general = reason.replace(/\s*\(.*\)$/s, '');
    counts.set(general, (counts.get(general) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${reason}: ${count}`)
    .join(', ');
}
