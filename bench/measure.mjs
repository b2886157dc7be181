// What every benchmark script measures with: wall time of a child process, its peak RSS, medians.
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../dist/bin.cjs', import.meta.url));
const RSS_PRELOAD = new URL('report-rss.mjs', import.meta.url).href;

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export const machine = () =>
  `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}`;

/** Wall milliseconds of one run of a command whose output is discarded; exit 0 or 1 expected. */
export function time(command, args, cwd) {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command} ${args.join(' ')}: ${run.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Wall milliseconds of a shell pipeline (`git cat-file --batch < list`). */
export function timeShell(script, cwd) {
  return time('sh', ['-c', script], cwd);
}

/** Median of `runs` timings, after one warm-up run. */
export function medianOf(runs, measure) {
  measure();
  return median(Array.from({ length: runs }, measure));
}

/** One keyfence run: its JSON report and peak RSS in MB. */
export function keyfenceReport(args, cwd) {
  const run = spawnSync(process.execPath, ['--import', RSS_PRELOAD, BIN, ...args, '--format', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`keyfence ${args.join(' ')}: ${run.stderr}`);
  const rss = Number(/KEYFENCE_BENCH_MAXRSS=(\d+)/.exec(run.stderr)?.[1] ?? NaN) / 1024 / 1024;
  return { report: JSON.parse(run.stdout), rss };
}
