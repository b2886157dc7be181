// Preloaded with `node -r` into the measured process: prints its peak RSS (bytes) on fd 2 at exit.
const { writeSync } = require('node:fs');
process.on('exit', () => {
  writeSync(2, `\nKEYFENCE_BENCH_MAXRSS=${process.resourceUsage().maxRSS * 1024}\n`);
});
