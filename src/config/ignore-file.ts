import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KeyfenceError } from '../errors.js';
import { isScopedFingerprint } from '../engine/fingerprint.js';
import { globMatcher } from '../rules/compile.js';
import { Checker, formatProblem, parseYaml } from '../rules/yaml-source.js';
import { posix, relativeTo } from './paths.js';

/** One entry that suppresses findings by fingerprint, or (from .gitleaksignore) by rule and path. */
export interface IgnoreEntry {
  /** `file:line`, for messages. */
  where: string;
  fingerprint?: string;
  /** .gitleaksignore entries: the keyfence rule ids the gitleaks rule maps to. */
  rules?: string[];
  reason: string;
  /** Last day (inclusive, UTC) the entry suppresses. */
  until?: string;
  /** Whether a finding path (relative to the cwd) is in the entry's scope. */
  inScope: (path: string) => boolean;
  /** The entry as written (for unused/expired reports). */
  label: string;
}

const ENTRY_KEYS = new Set(['fingerprint', 'reason', 'until', 'path']);
const FINGERPRINT = /^[a-z0-9]+(?:-[a-z0-9]+)*:s?[0-9a-f]{15,16}$/;

/** A scope predicate for a glob relative to `dir`, applied to cwd-relative paths. */
export function scopeFor(glob: string | undefined, dir: string, cwd: string): (path: string) => boolean {
  if (glob === undefined) return () => true;
  const matches = globMatcher([glob]);
  return (path) => matches?.(relativeTo(dir, cwd, path)) === true;
}

function validDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/**
 * Parses a `.keyfenceignore`: a YAML list of `{fingerprint, reason, until?, path?}`. A reason is
 * required. Scoped fingerprints (passwords: `rule:s…`) identify the name a value is assigned to,
 * not the value, so their entries must name a path.
 */
export function parseIgnoreFile(text: string, shown: string, dir: string, cwd: string): IgnoreEntry[] {
  const source = parseYaml(text, shown);
  if (source.syntaxProblems[0]) throw new KeyfenceError(formatProblem(source.syntaxProblems[0]));
  if (source.value === null || source.value === undefined) return [];
  const checker = new Checker(source);
  if (!Array.isArray(source.value)) {
    checker.report([], 'expected a list of entries (- fingerprint: …, reason: …)');
    throw new KeyfenceError(
      formatProblem(checker.problems[0] ?? { file: shown, line: 1, field: '', message: '' }),
    );
  }
  const entries: IgnoreEntry[] = [];
  source.value.forEach((value, index) => {
    const record = checker.object(value, [index], ENTRY_KEYS);
    if (!record) return;
    const fingerprint = checker.string(record.fingerprint, [index, 'fingerprint'], true);
    if (fingerprint !== undefined && !FINGERPRINT.test(fingerprint)) {
      checker.report([index, 'fingerprint'], 'expected RULE-ID:HASH as printed after "ignore:" in a report');
    }
    const reason = checker.string(record.reason, [index, 'reason'], true);
    const until =
      typeof record.until === 'string'
        ? record.until
        : record.until instanceof Date
          ? record.until.toISOString().slice(0, 10)
          : undefined;
    if (record.until !== undefined && until === undefined)
      checker.report([index, 'until'], 'expected a date YYYY-MM-DD');
    if (until !== undefined && !validDate(until))
      checker.report([index, 'until'], 'expected a date YYYY-MM-DD');
    const path = checker.string(record.path, [index, 'path'], false);
    if (fingerprint !== undefined && isScopedFingerprint(fingerprint) && path === undefined) {
      checker.report(
        [index, 'fingerprint'],
        'scoped (password) fingerprints need a path: they name where a value is assigned, not the value',
      );
    }
    if (fingerprint === undefined || reason === undefined) return;
    entries.push({
      where: `${shown}:${source.lineOf([index])}`,
      fingerprint,
      reason,
      ...(until !== undefined && { until }),
      inScope: scopeFor(path, dir, cwd),
      label: `${fingerprint}${path === undefined ? '' : ` (path ${path})`}: ${reason}`,
    });
  });
  if (checker.problems[0]) throw new KeyfenceError(formatProblem(checker.problems[0]));
  return entries;
}

/**
 * Parses a `.gitleaksignore`: lines `[commit:]file:rule-id:line`. keyfence scopes each entry to
 * the file and rule (its content fingerprints do not depend on commit or line), mapping gitleaks
 * rule ids with `mapRule`.
 */
export function parseGitleaksIgnore(
  text: string,
  shown: string,
  dir: string,
  cwd: string,
  mapRule: (id: string) => string[],
): IgnoreEntry[] {
  const entries: IgnoreEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(':');
    if (parts.length < 3 || !/^\d+$/.test(parts.at(-1) ?? '')) {
      throw new KeyfenceError(
        `${shown}:${index + 1}: expected [commit:]file:rule-id:line, got ${JSON.stringify(line)}`,
      );
    }
    const rule = parts.at(-2) ?? '';
    const head = parts.slice(0, -2);
    const file =
      /^[0-9a-f]{40}$/i.test(head[0] ?? '') && head.length > 1 ? head.slice(1).join(':') : head.join(':');
    const target = posix(resolve(dir, file));
    entries.push({
      where: `${shown}:${index + 1}`,
      rules: mapRule(rule),
      reason: 'from .gitleaksignore',
      inScope: (path) => posix(resolve(cwd, path)) === target,
      label: line,
    });
  });
  return entries;
}

/** Reads an ignore file if it exists. */
export async function readIgnoreFile(
  file: string,
  shown: string,
  cwd: string,
  parse: (text: string, shown: string, dir: string, cwd: string) => IgnoreEntry[],
): Promise<IgnoreEntry[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KeyfenceError(
      `${shown}: cannot read ignore file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parse(text, shown, dirname(resolve(file)), cwd);
}
