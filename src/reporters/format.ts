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
