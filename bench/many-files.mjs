// Scans a directory of many tiny files (default 1,000,000: 1,000 directories of 1,000 files), one of
// which holds a secret, and prints wall time, files/s and peak RSS. Hardening check for
// "a million tiny files" (the test suite runs 20,000).
//   node bench/many-files.mjs [FILES]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const files = Number(process.argv[2] ?? 1_000_000);
const root = fileURLToPath(new URL('.work/many-files', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.cjs', import.meta.url));
const perDir = 1000;
const dirs = Math.ceil(files / perDir);

const expected = `${dirs}x${perDir}`;
const marker = join(root, '.layout');
if (!existsSync(marker) || execFileSync('cat', [marker], { encoding: 'utf8' }) !== expected) {
  rmSync(root, { recursive: true, force: true });
  console.log(`creating ${dirs * perDir} files under ${root} ...`);
  for (let dir = 0; dir < dirs; dir++) {
    mkdirSync(join(root, `d${dir}`), { recursive: true });
    for (let file = 0; file < perDir; file++)
      writeFileSync(join(root, `d${dir}`, `f${file}.txt`), `value ${dir}.${file}\n`);
  }
  const ghp = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'; // not a valid checksum: the run counts files, not findings
  writeFileSync(join(root, 'd0', 'f0.txt'), `token = "${ghp}"\n`);
  writeFileSync(marker, expected);
}
console.log(
  `machine   ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}`,
);
const preload = new URL('report-rss.mjs', import.meta.url).href;
const started = process.hrtime.bigint();
const run = spawnSync(
  process.execPath,
  ['--import', preload, bin, 'scan', '.', '--no-ignore', '-f', 'json'],
  {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  },
);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
if (run.status !== 0 && run.status !== 1) throw new Error(run.stderr);
const report = JSON.parse(run.stdout);
const rss = Number(/KEYFENCE_BENCH_MAXRSS=(\d+)/.exec(run.stderr)?.[1] ?? NaN) / 1024 / 1024;
console.log(
  `scan      ${report.summary.files} files (${readdirSync(root).length - 1} directories): ${(ms / 1000).toFixed(1)} s, ${Math.round(report.summary.files / (ms / 1000))} files/s, peak RSS ${rss.toFixed(0)} MB`,
);
