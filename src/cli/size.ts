import { KeyfenceError } from '../errors.js';

/** Files (and staged blobs) larger than this are listed as skipped unless --max-file-size says otherwise. */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/** Archives inside scanned files are opened to this depth unless --max-archive-depth says otherwise. */
export const DEFAULT_ARCHIVE_DEPTH = 3;

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** Parses `5000000`, `500k`, `5MB`, `1g` into bytes; `option` names the flag in the error. */
export function parseSize(value: string | number, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  if (!match?.[1] || unit === undefined || Number(match[1]) <= 0) {
    throw new KeyfenceError(`${option}: "${value}" is not a size (use bytes or a unit, e.g. 5MB, 500k)`);
  }
  return Math.floor(Number(match[1]) * unit);
}
