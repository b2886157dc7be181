#!/usr/bin/env node
import { main } from './cli/main.js';

// No JavaScript handler for SIGINT, SIGTERM or SIGHUP while scanning: Node's native default ends
// the process at once, even while the main thread is inside a regex (a JavaScript handler would
// wait for it to return). Report files install their own handler for the moment they are written
// (cli/output.ts), so that no half-written file is left.
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
});
// A scan stopped by --timeout may leave standard input half read (a pipe that never ends): it
// would keep the process alive.
process.stdin.destroy();
