// The CLI's entry, bundled with what it imports into dist/cli-bundle/cli.cjs and run by dist/bin.cjs
// (src/launcher.ts). No top-level await: the bundle is a CommonJS script.
import { main } from './cli/main.js';
import { ExitCode, errnoText } from './errors.js';

/** Set when a write to stdout or stderr failed for a reason other than a reader that went away. */
const output = { failed: false };

/**
 * A reader that went away (`keyfence rules list | head -5`) ends the output quietly, as for
 * `git log | head`: the run keeps the exit code it would have had, so a scan still says whether it
 * found something. Any other failed write (a full disk) is one line and exit 2, never a stack trace
 * and never exit 1, which would mean findings.
 */
function watchWrites(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (error) => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE' || output.failed) return;
    output.failed = true;
    process.exitCode = ExitCode.UsageError;
    if (stream !== process.stderr)
      process.stderr.write(`keyfence: cannot write to ${name}: ${errnoText(error)}\n`);
  });
}
watchWrites(process.stdout, 'standard output');
watchWrites(process.stderr, 'standard error');

// No JavaScript handler for SIGINT, SIGTERM or SIGHUP while scanning: Node's native default ends
// the process at once, even while the main thread is inside a regex (a JavaScript handler would
// wait for it to return). Report files install their own handler for the moment they are written
// (cli/output.ts), so that no half-written file is left.
const cwd = currentDirectory();
if (cwd === undefined) process.exitCode = ExitCode.UsageError;
else
  void main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd,
    env: process.env,
  }).then((exitCode) => {
    // A failed write may be reported before main returns (then it must not be overwritten) or after.
    process.exitCode = output.failed ? ExitCode.UsageError : exitCode;
    // A scan stopped by --timeout may leave standard input half read (a pipe that never ends): it
    // would keep the process alive.
    process.stdin.destroy();
  });

/** The working directory; a shell can still sit in one that was deleted, which Node cannot name. */
function currentDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch (error) {
    process.stderr.write(`keyfence: cannot read the current directory: ${errnoText(error)}\n`);
    return undefined;
  }
}
