import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KeyfenceError, readFailure } from '../errors.js';
import { isScopedFingerprint } from '../engine/fingerprint.js';
import type { Finding } from '../engine/types.js';
import { inertJson } from '../reporters/escape.js';
import { relativeTo } from './paths.js';

/**
 * A baseline: the fingerprints of accepted findings. Identity is the content fingerprint (no
 * line, commit or time), plus the path for scoped (password) fingerprints, which name where a
 * value is assigned rather than the value.
 *
 * The file is JSON written one entry per line, sorted by hash, each line ending in a comma, closed by a
 * fixed `{"end": true}` line: two branches that add different entries change different lines, so
 * git merges them without a conflict unless the new entries sort next to each other. For that
 * case `.keyfence-baseline.json merge=union` in .gitattributes keeps both lines, and the result
 * is still valid JSON.
 */
export interface BaselineEntry {
  fingerprint: string;
  /** Relative to the baseline file's directory, with forward slashes. */
  path: string;
}

const END_LINE = '    {"end": true}';

const identity = (fingerprint: string, path: string): string =>
  isScopedFingerprint(fingerprint) ? `${fingerprint} ${path}` : fingerprint;

/** The baseline text for a set of findings; paths are made relative to `baselineDir`. */
export function formatBaseline(findings: readonly Finding[], baselineDir: string, cwd: string): string {
  const entries = new Map<string, BaselineEntry>();
  for (const finding of findings) {
    const path = relativeTo(baselineDir, cwd, finding.path);
    const key = identity(finding.fingerprint, path);
    const known = entries.get(key);
    if (!known || path < known.path) entries.set(key, { fingerprint: finding.fingerprint, path });
  }
  // Sorted by the hash, not the rule id: new entries land at random places in the file rather
  // than next to each other at the end of their rule's group, which is what keeps merges clean.
  const sortKey = (key: string) => `${key.slice(key.indexOf(':') + 1)} ${key}`;
  const sorted = [...entries.entries()]
    .map(([key, entry]) => [sortKey(key), entry] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // A path's C1, bidi and separator characters (which JSON.stringify leaves raw) are written as
  // \u escapes: the file is committed and reviewed, and must not reorder or steer what a reader sees.
  const lines = sorted.map(
    ([, entry]) => `    ${inertJson(JSON.stringify(entry)).replace(/","/g, '", "').replace(/":"/g, '": "')},`,
  );
  return ['{', '  "keyfence-baseline": 1,', '  "findings": [', ...lines, END_LINE, '  ]', '}', ''].join('\n');
}

/** A loaded baseline: which findings it accepts. */
export interface Baseline {
  file: string;
  size: number;
  accepts(finding: Finding): boolean;
}

/** Reads a baseline written by `keyfence baseline`; a one-line error names what is wrong. */
export async function readBaseline(file: string, shown: string, cwd: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new KeyfenceError(`--baseline ${shown}: cannot read (${readFailure(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around the error (`Unexpected token 'T', "TOKEN=ghp_"... is not valid
    // JSON`): a file given as --baseline by mistake (.env) would have its secrets start in the log.
    const problem = (error as Error).message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    throw new KeyfenceError(`--baseline ${shown}: not JSON (${problem})`);
  }
  const record = parsed as { 'keyfence-baseline'?: unknown; findings?: unknown };
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    record['keyfence-baseline'] !== 1 ||
    !Array.isArray(record.findings)
  ) {
    throw new KeyfenceError(
      `--baseline ${shown}: not a keyfence baseline (write one with keyfence baseline -o FILE)`,
    );
  }
  const dir = dirname(resolve(file));
  const keys = new Set<string>();
  record.findings.forEach((item: unknown, index) => {
    const entry = item as Partial<BaselineEntry> & { end?: unknown };
    if (entry.end === true) return;
    if (typeof entry.fingerprint !== 'string' || typeof entry.path !== 'string') {
      throw new KeyfenceError(`--baseline ${shown}: findings[${index}]: expected {"fingerprint", "path"}`);
    }
    keys.add(identity(entry.fingerprint, entry.path));
  });
  return {
    file: shown,
    size: keys.size,
    accepts: (finding) => keys.has(identity(finding.fingerprint, relativeTo(dir, cwd, finding.path))),
  };
}
