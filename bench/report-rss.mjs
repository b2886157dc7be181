// Preloaded with `node --import` into the measured process: prints its peak RSS (bytes) on fd 2 at exit.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nKEYFENCE_BENCH_MAXRSS=${process.resourceUsage().maxRSS * 1024}\n`);
});
