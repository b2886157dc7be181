// On-demand benchmark (never part of npm test): scans a large real text corpus with the built CLI
// and prints MB/s, files/s and peak RSS with the machine's core count.
//
//   npm run bench                       # corpus: this project's node_modules
//   npm run bench -- DIR [RUNS]         # any directory, RUNS runs (default 5)
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [corpus = `${root}node_modules`, runsArg = '5'] = process.argv.slice(2);
const runs = Number(runsArg);
const bin = `${root}dist/bin.cjs`;
const preload = new URL('report-rss.mjs', import.meta.url).href;

function runOnce() {
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    ['--import', preload, bin, 'scan', corpus, '--no-ignore', '--format', 'json'],
    {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0 && child.status !== 1)
    throw new Error(`keyfence exited ${child.status}: ${child.stderr}`);
  const report = JSON.parse(child.stdout);
  const rss = Number(/KEYFENCE_BENCH_MAXRSS=(\d+)/.exec(child.stderr)?.[1] ?? NaN);
  return {
    seconds,
    rss,
    files: report.summary.files,
    bytes: report.summary.bytes,
    findings: report.summary.findings,
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = Array.from({ length: runs }, runOnce);
const { files, bytes, findings } = results[0];
const seconds = median(results.map((r) => r.seconds));
const rss = Math.max(...results.map((r) => r.rss));
const mb = bytes / 1024 / 1024;

console.log(`corpus      ${corpus}`);
console.log(
  `machine     ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}`,
);
console.log(`scanned     ${files} files, ${mb.toFixed(1)} MB, ${findings} findings`);
console.log(
  `wall time   ${seconds.toFixed(2)} s (median of ${runs}: ${results.map((r) => r.seconds.toFixed(2)).join(', ')})`,
);
console.log(`throughput  ${(mb / seconds).toFixed(1)} MB/s, ${Math.round(files / seconds)} files/s`);
console.log(`peak RSS    ${(rss / 1024 / 1024).toFixed(0)} MB`);
