#!/usr/bin/env node
import { main } from './cli/main.js';
import { removePendingTempFiles } from './cli/output.js';

// Ctrl-C and SIGTERM stop at once with the conventional codes (128 + signal number), leaving no
// half-written report: reports are written to a temp file and renamed, and the temp file goes.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    removePendingTempFiles();
    process.stderr.write(`\nkeyfence: interrupted (${signal})\n`);
    process.exit(code);
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
});
