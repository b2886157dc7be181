// Alternating A/B timing of commands: on a VM whose speed drifts by ±20% between runs, a change of
// a few milliseconds only shows when the variants run interleaved, many times.
//
//   node bench/ab.mjs [--runs 41] [--cwd DIR] -- 'node -e 0' 'node /tmp/old/dist/bin.js scan --staged' 'node dist/bin.cjs scan --staged'
//
// Each variant is a command line split on spaces (no quoting inside). Prints the median and the
// first quartile of each, in milliseconds.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '41' }, cwd: { type: 'string', default: process.cwd() } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error("usage: node bench/ab.mjs [--runs N] [--cwd DIR] -- 'command one' 'command two' ...");
  process.exit(2);
}
const variants = positionals.map((line) => line.split(' ').filter(Boolean));
const times = variants.map(() => []);
for (let run = 0; run < Number(values.runs); run++) {
  variants.forEach(([command, ...args], index) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: values.cwd, stdio: 'ignore' });
    if (result.status !== 0 && result.status !== 1) {
      console.error(`${positionals[index]}: exit ${result.status ?? result.signal}`);
      process.exit(2);
    }
    times[index].push(Number(process.hrtime.bigint() - started) / 1e6);
  });
}
variants.forEach((_, index) => {
  const sorted = [...times[index]].sort((a, b) => a - b);
  const at = (fraction) => sorted[Math.floor(sorted.length * fraction)].toFixed(1);
  console.log(`${at(0.5).padStart(8)} ms median  ${at(0.25).padStart(8)} ms p25   ${positionals[index]}`);
});
