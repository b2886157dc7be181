// keyfence against secretlint on the same directory (default: this project's node_modules).
//   node bench/secretlint.mjs [DIR] [RUNS]
// Installs bench/package.json's devDependencies (secretlint and its recommended preset) on first use;
// npm test never runs this. Prints median wall times over RUNS runs (default 5), the core count, and
// the ratio, plus the time to just read the same files (the floor).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = fileURLToPath(new URL('.', import.meta.url));
const dir = resolve(process.argv[2] ?? fileURLToPath(new URL('../node_modules', import.meta.url)));
const runs = Number(process.argv[3] ?? 5);
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const secretlint = join(bench, 'node_modules/.bin/secretlint');
if (!existsSync(secretlint))
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit' });
const rc = join(tmpdir(), 'keyfence-bench.secretlintrc.json');
writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function time(command, args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command}: ${run.stderr}`);
  return ms;
}
/** Reads every regular file under dir once: what any scanner has to pay. */
function readAll() {
  const started = process.hrtime.bigint();
  let bytes = 0;
  const visit = (path) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const info = statSync(full, { throwIfNoEntry: false });
      if (info?.isDirectory()) visit(full);
      else if (info?.isFile()) bytes += readFileSync(full).length;
    }
  };
  visit(dir);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes };
}

console.log(
  `machine     ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}`,
);
const read = Array.from({ length: runs }, readAll);
const mb = (read[0]?.bytes ?? 0) / 1024 / 1024;
const keyfence = Array.from({ length: runs }, () =>
  time(process.execPath, [bin, 'scan', '.', '--no-ignore', '--no-config', '-f', 'json']),
);
const other = Array.from({ length: runs }, () =>
  time(secretlint, ['**/*', '--secretlintrc', rc, '--format', 'json']),
);
const floor = median(read.map((entry) => entry.ms));
const summary = JSON.parse(
  spawnSync(process.execPath, [bin, 'scan', '.', '--no-ignore', '--no-config', '-f', 'json'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  }).stdout,
).summary;
const scannedMb = summary.bytes / 1024 / 1024;
console.log(`corpus      ${dir}, ${mb.toFixed(1)} MB`);
console.log(`read only   median ${floor.toFixed(0)} ms to read every file once (page cache warm)`);
console.log(
  `keyfence    median ${median(keyfence).toFixed(0)} ms; scanned ${summary.files} files, ${scannedMb.toFixed(1)} MB (${(scannedMb / (median(keyfence) / 1000)).toFixed(1)} MB/s); skipped ${summary.skipped.length} (binary or over 5 MB)`,
);
console.log(`secretlint  median ${median(other).toFixed(0)} ms (its own file selection from the same tree)`);
console.log(`ratio       secretlint / keyfence = ${(median(other) / median(keyfence)).toFixed(2)}`);
