import type { SourceContext } from '../sources/types.js';
import type { Io } from './io.js';

/** The line is redrawn at most this often: a slow terminal, or a recording of the session, gets ten lines a second. */
const INTERVAL_MS = 100;

/** A progress line on a terminal's stderr, for scans long enough to wonder about. */
export interface ProgressLine {
  /** Redraws `done/total unit, MB done, MB/s`, unless it was drawn less than INTERVAL_MS ago. */
  update(done: number, total: number | undefined, unit: string, bytes: number): void;
  /** Erases the line, so that what is printed next (findings, an error) starts on a clean line. */
  clear(): void;
}

/** Whether the run is in CI: a runner may give it a terminal, but its log must not fill with redrawn lines. */
function inCi(env: Io['env']): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * The progress line, or undefined when stderr is not a terminal (piped, redirected to a file, a CI
 * log), when CI is set, or on a terminal that cannot erase a line (TERM=dumb). It shows counts and
 * rates only, never a path: a file name could carry terminal escapes.
 */
export function progressLine(io: Io): ProgressLine | undefined {
  if (io.stderr.isTTY !== true || inCi(io.env) || io.env.TERM === 'dumb') return undefined;
  const started = performance.now();
  let last = -Infinity;
  let drawn = false;
  return {
    update(done, total, unit, bytes) {
      const now = performance.now();
      if (now - last < INTERVAL_MS) return;
      last = now;
      drawn = true;
      const mb = bytes / 1024 / 1024;
      const rate = mb / Math.max((now - started) / 1000, 0.001);
      const count = total === undefined ? `${done}` : `${done}/${total}`;
      io.stderr.write(`\r\u001b[Kkeyfence: ${count} ${unit}, ${mb.toFixed(1)} MB, ${rate.toFixed(1)} MB/s`);
    },
    clear() {
      if (drawn) io.stderr.write('\r\u001b[K');
      drawn = false;
    },
  };
}

/**
 * Counts the files of a directory scan on the progress line: a file is done when it is scanned or
 * skipped once listing is over (binary, too large), on this thread or on a worker. `listed` is
 * given to the source, which calls it with the number of files to read, and `counting` to the
 * engine, which reports through it.
 */
export function fileProgress(line: ProgressLine): {
  listed: (count: number) => void;
  counting: (ctx: SourceContext) => SourceContext;
} {
  let total: number | undefined;
  let done = 0;
  let bytes = 0;
  const tick = (size: number) => {
    done++;
    bytes += size;
    line.update(done, total, 'files', bytes);
  };
  return {
    listed: (count) => {
      total = count;
    },
    counting: (ctx) => ({
      ...ctx,
      skip: (path, reason, excluded) => {
        ctx.skip(path, reason, excluded);
        // Before the total is known, a skip is listing's (a symbolic link, an excluded path): no file to read.
        if (total !== undefined && excluded !== true) tick(0);
      },
      scanned: (path, size) => {
        ctx.scanned(path, size);
        tick(size);
      },
    }),
  };
}
