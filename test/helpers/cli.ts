import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';

/** What a CLI run produced. */
export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * `keyfence scan ARGS --format json` in `cwd`, in-process, expecting nothing on stderr: the report
 * (typed as the test reads it) with the exit code.
 */
export async function scanJson<Report>(
  cwd: string,
  ...args: string[]
): Promise<Report & { exitCode: number }> {
  const result = await runCli(['scan', ...args, '--format', 'json'], { cwd });
  expect(result.stderr).toBe('');
  return { exitCode: result.exitCode, ...(JSON.parse(result.stdout) as Report) };
}

/** Runs the CLI in-process, as bin.ts does, with captured output. */
export async function runCli(
  argv: string[],
  options: {
    cwd: string;
    stdin?: string | Buffer;
    isTTY?: boolean;
    /** The terminal's width, given with isTTY. */
    columns?: number;
    stderrIsTTY?: boolean;
    env?: Readonly<Record<string, string | undefined>>;
  },
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(argv, {
    stdout: {
      write: (text: string) => (stdout += text),
      isTTY: options.isTTY ?? false,
      ...(options.columns !== undefined && { columns: options.columns }),
    },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.stderrIsTTY ?? false },
    stdin: options.stdin === undefined ? [] : [Buffer.from(options.stdin)],
    cwd: options.cwd,
    env: options.env ?? {},
  });
  return { exitCode, stdout, stderr };
}

/** Runs the CLI in-process on standard input that yields `first` and never ends: a --timeout in `argv` stops it. */
export async function runOnEndlessStdin(
  argv: string[],
  options: { cwd: string; first: string },
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  async function* endless(): AsyncGenerator<string> {
    yield options.first;
    await new Promise(() => undefined);
  }
  const exitCode = await main(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    stdin: endless(),
    cwd: options.cwd,
    env: {},
  });
  return { exitCode, stdout, stderr };
}

/** Absolute path of the built CLI. */
export const BIN = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url));

/**
 * Root reads and writes whatever the modes say: a prefix for runBin that drops the capabilities
 * that let it (util-linux setpriv), for tests of unreadable files; undefined for other users. The
 * user stays root, so the checkout stays readable wherever it is (a mktemp -d is mode 700).
 */
export const DROP_ROOT_ACCESS =
  process.getuid?.() === 0
    ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--']
    : undefined;

/** Loaded before the CLI in the child: the process writes its own peak RSS (not git's) at exit. */
const PEAK_RSS = `data:text/javascript,${encodeURIComponent(
  "process.on('exit', () => process.stderr.write(`MAXRSS ${process.resourceUsage().maxRSS}\\n`));",
)}`;

/** Runs the built binary as runBin does, with the peak RSS of its process in MB (left out of stderr). */
export function runBinWithPeakRss(args: string[], options: { cwd: string }): CliResult & { rssMb: number } {
  const result = spawnSync(process.execPath, ['--import', PEAK_RSS, BIN, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const reported = /^MAXRSS (\d+)\n/m.exec(result.stderr);
  return {
    exitCode: result.status ?? -1,
    stdout: result.stdout,
    stderr: reported ? result.stderr.replace(reported[0], '') : result.stderr,
    rssMb: Number(reported?.[1]) / 1024,
  };
}

/** Runs the built binary in a child process (end-to-end). */
export function runBin(
  args: string[],
  options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv; prefix?: string[] },
): CliResult {
  const [command = process.execPath, ...prefixArgs] = options.prefix ?? [];
  const argv = options.prefix ? [...prefixArgs, process.execPath, BIN, ...args] : [BIN, ...args];
  const result = spawnSync(command, argv, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { exitCode: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
