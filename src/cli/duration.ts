import { KeyfenceError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, '': 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** Parses `90`, `90s`, `500ms`, `30m`, `2h` (a bare number is seconds) into milliseconds. */
export function parseDuration(value: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  const amount = Number(match?.[1]);
  if (!match || unit === undefined || !(amount > 0)) {
    throw new KeyfenceError(`${option}: "${value}" is not a duration (use e.g. 90s, 30m, 2h)`);
  }
  // setTimeout's limit (about 24.8 days) is far beyond any scan.
  return Math.min(Math.round(amount * unit), 2 ** 31 - 1);
}
