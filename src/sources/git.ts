import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { KeyfenceError } from '../errors.js';
import { exitFailure, gitFailure, GitError } from './git-error.js';
import { closestDotGit, holdsDotGit } from './dot-git.js';
import { fileName } from './path-name.js';

const execFileAsync = promisify(execFile);

/**
 * Configuration that keeps git's output plain and parseable whatever the user's settings: no
 * quoting of non-ASCII paths, no colour, a/ and b/ prefixes, no signature checks in log output.
 */
export const GIT_SAFE_CONFIG = [
  '-c',
  'core.quotePath=false',
  '-c',
  'color.ui=false',
  '-c',
  'diff.noprefix=false',
  '-c',
  'diff.mnemonicPrefix=false',
  '-c',
  'log.showSignature=false',
  // A configured fsmonitor is a program git would run for ls-files: scanning runs nothing.
  '-c',
  'core.fsmonitor=false',
];

/** Flags for every patch we parse: plain text, no external or textconv drivers, no context lines. */
export const PATCH_FLAGS = [
  '-p',
  '-U0',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-relative',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

// Never take the index lock to refresh stat data: a scan must not write to the repository. Never
// reach the network: in a partial clone, reading a missing blob would fetch it from the promisor
// remote (GIT_NO_LAZY_FETCH stops that in git >= 2.44; an allow-list naming no real protocol stops
// every transport in older ones).
const GIT_ENV = {
  ...process.env,
  GIT_OPTIONAL_LOCKS: '0',
  GIT_TERMINAL_PROMPT: '0',
  GIT_NO_LAZY_FETCH: '1',
  GIT_ALLOW_PROTOCOL: 'keyfence-no-network',
};
// For the GitHub Action's deliberate `git fetch` from the checkout's origin.
const FETCH_ENV = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' };
let networkAllowed = false;

/**
 * Lets git fetch: the GitHub Action deepens shallow checkouts and reads partial clones from the
 * repository's own origin. The CLI never calls this.
 */
export function allowGitNetwork(): void {
  networkAllowed = true;
}

const gitEnv = () => (networkAllowed ? FETCH_ENV : GIT_ENV);

/** The promisor remote of a partial clone (`git clone --filter`), or undefined for a full clone. */
export async function partialCloneRemote(root: string): Promise<string | undefined> {
  let listed: string;
  try {
    listed = await git(
      ['config', '--get-regexp', '^(extensions\\.partialclone|remote\\..*\\.promisor)$'],
      root,
    );
  } catch (error) {
    // git config exits 1 when nothing matches; anything else is a failure.
    if (error instanceof GitError && error.code === 1) return undefined;
    throw error;
  }
  for (const line of listed.split('\n')) {
    const [key = '', value = ''] = line.split(' ');
    if (key === 'extensions.partialclone' && value !== '') return value;
    const remote = /^remote\.(.+)\.promisor$/.exec(key)?.[1];
    if (remote !== undefined && value === 'true') return remote;
  }
  return undefined;
}

/**
 * Whether git ignores the directory `dir` itself (it or a directory above it is matched by a
 * `.gitignore`, `.git/info/exclude` or the global excludes file). Asked without the index: a
 * directory that is ignored but holds a tracked file (`git add -f build/keep.txt`) is still
 * ignored, and its untracked files are what naming it asks for. Any failure but "not ignored" is thrown.
 */
export async function ignoredByGit(dir: string): Promise<boolean> {
  try {
    await gitBytes(['check-ignore', '--no-index', '-q', '--', '.'], dir);
    return true;
  } catch (error) {
    // check-ignore exits 1 when the path is not ignored.
    if (error instanceof GitError && error.code === 1) return false;
    throw error;
  }
}

/** Whether git may fetch (see allowGitNetwork). */
export const gitNetworkAllowed = (): boolean => networkAllowed;

/**
 * Runs git with an argument array (never a shell string) and returns stdout.
 * Throws a GitError with git's first error line.
 */
export async function git(args: readonly string[], cwd: string): Promise<string> {
  return (await gitBytes(args, cwd)).toString('utf8');
}

/** Runs git and returns stdout as bytes (blob contents); errors as for git(). */
export async function gitBytes(args: readonly string[], cwd: string): Promise<Buffer> {
  try {
    const { stdout } = await execFileAsync('git', [...GIT_SAFE_CONFIG, ...args], {
      cwd,
      maxBuffer: 1024 * 1024 * 1024,
      encoding: 'buffer',
      env: gitEnv(),
    });
    return stdout;
  } catch (error) {
    throw gitFailure(error, args);
  }
}

/** Starts git with the safe configuration and environment; stdout and stderr are pipes. */
export function spawnGit(
  args: readonly string[],
  cwd: string,
  stdin: 'ignore' | 'pipe',
): ChildProcessByStdio<Writable | null, Readable, Readable> {
  const stdio: ['ignore' | 'pipe', 'pipe', 'pipe'] = [stdin, 'pipe', 'pipe'];
  // spawn's overloads cannot type a stdin that is either; stdout and stderr are pipes either way.
  return spawn('git', [...GIT_SAFE_CONFIG, ...args], { cwd, env: gitEnv(), stdio }) as ChildProcessByStdio<
    Writable | null,
    Readable,
    Readable
  >;
}

/** Keeps the start of a git process's stderr, enough for its error lines. */
export function stderrOf(child: { stderr: Readable }): () => string {
  let text = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (text.length < 64 * 1024) text += chunk;
  });
  return () => text;
}

/** Cuts a stream of git's stdout into records: called per pipe read, then once at the end (no data). */
type Splitter = (data: Buffer | undefined) => string[];

/**
 * Streams git's stdout as batches of records, one batch per pipe read, with backpressure: git
 * pauses while the consumer is busy. Batches, not single records, because an async iteration step
 * per record costs more than parsing it. A non-zero exit or a crash is thrown after the last batch,
 * never taken for an empty result.
 */
function gitStream(
  args: readonly string[],
  cwd: string,
  split: Splitter,
  input?: string,
): AsyncGenerator<string[]> {
  // git starts on the first step of the iteration, as a generator's body would.
  return (async function* lazily() {
    yield* childStream(
      watchGit(spawnGit(args, cwd, input === undefined ? 'ignore' : 'pipe'), input),
      args,
      split,
    );
  })();
}

/** A started git process with its stderr and exit watched from the moment it was spawned. */
interface WatchedGit {
  child: ChildProcessByStdio<Writable | null, Readable, Readable>;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>;
}

function watchGit(child: WatchedGit['child'], input?: string): WatchedGit {
  const stderr = stderrOf(child);
  if (child.stdin) {
    // A git that exits early (bad input) closes the pipe: its exit status says why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.on('error', (error) => {
        resolve({ code: null, signal: null, error });
      });
      child.on('close', (code, signal) => {
        resolve({ code, signal });
      });
    },
  );
  return { child, stderr, exited };
}

/** The batches of a started git process (see gitStream). */
async function* childStream(
  { child, stderr, exited }: WatchedGit,
  args: readonly string[],
  split: Splitter,
): AsyncGenerator<string[]> {
  try {
    for await (const data of child.stdout) {
      const records = split(data as Buffer);
      if (records.length > 0) yield records;
    }
    const last = split(undefined);
    if (last.length > 0) yield last;
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const { code, signal, error } = await exited;
  if (error) throw gitFailure(error, args);
  if (code !== 0) throw exitFailure(args, code, signal, stderr());
}

/** git's stdout as batches of lines (without the newline), decoded as UTF-8 text. */
export function gitLines(args: readonly string[], cwd: string): AsyncGenerator<string[]> {
  return gitStream(args, cwd, lineSplitter());
}

/** A git process whose output is read later: started now, so that it runs while the caller loads. */
export interface StartedGit {
  /** Its stdout as batches of lines, as gitLines gives them. */
  lines: AsyncGenerator<string[]>;
  /** Ends the process if its output is not going to be read (a pipe nobody reads would stall git). */
  stop(): void;
}

/** Starts git now; its output is read through `lines`, or the process ended with `stop`. */
export function startGitLines(args: readonly string[], cwd: string): StartedGit {
  const watched = watchGit(spawnGit(args, cwd, 'ignore'));
  const { child } = watched;
  const stream = childStream(watched, args, lineSplitter());
  // Reading starts now: Node discards what a child wrote to a pipe nobody reads when it exits.
  const first = stream.next();
  first.catch(() => undefined);
  async function* lines(): AsyncGenerator<string[]> {
    const batch = await first;
    if (batch.done === true) return;
    yield batch.value;
    yield* stream;
  }
  return {
    lines: lines(),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

function lineSplitter(): Splitter {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  return (data) => {
    if (data === undefined) {
      const last = rest + decoder.decode();
      return last === '' ? [] : [last];
    }
    const lines = (rest + decoder.decode(data, { stream: true })).split('\n');
    rest = lines.pop() ?? '';
    return lines;
  };
}

/** NUL-separated records of bytes, each decoded as a file name (escaped when it is not UTF-8). */
function nameRecords(bytes: Buffer): string[] {
  const records: string[] = [];
  for (let start = 0; start <= bytes.length;) {
    const end = bytes.indexOf(0, start);
    const stop = end === -1 ? bytes.length : end;
    records.push(fileName(bytes.subarray(start, stop)).name);
    start = stop + 1;
  }
  return records;
}

/**
 * git's NUL-separated records (`-z` output: paths, and headers around them) in batches. A record
 * that is not UTF-8 is a file name git printed byte for byte: it comes out escaped (see fileName),
 * so that the reported path names the file exactly. The stream is decoded as text until a
 * replacement character shows such a record; from there on, it is cut and decoded byte by byte.
 * `input`, when given, is written to git's standard input (`git log --stdin`).
 */
export function gitRecords(args: readonly string[], cwd: string, input?: string): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  // The bytes of the partial record `rest` holds, for switching to bytes at any point.
  let restBytes: Buffer = Buffer.alloc(0);
  let byBytes = false;
  const split: Splitter = (data) => {
    if (data === undefined) {
      if (byBytes) return restBytes.length === 0 ? [] : nameRecords(restBytes);
      const last = rest + decoder.decode();
      return last === '' ? [] : [last];
    }
    const lastNul = data.lastIndexOf(0);
    if (!byBytes) {
      const text = decoder.decode(data, { stream: true });
      if (!text.includes('\uFFFD')) {
        const records = (rest + text).split('\0');
        rest = records.pop() ?? '';
        restBytes = lastNul === -1 ? Buffer.concat([restBytes, data]) : data.subarray(lastNul + 1);
        return records;
      }
      byBytes = true;
    }
    const bytes = restBytes.length === 0 ? data : Buffer.concat([restBytes, data]);
    const end = bytes.lastIndexOf(0);
    if (end === -1) {
      restBytes = bytes;
      return [];
    }
    restBytes = Buffer.from(bytes.subarray(end + 1));
    return nameRecords(bytes.subarray(0, end));
  };
  return gitStream(args, cwd, split, input);
}

/**
 * True when `dir` is inside a git work tree. False only when git says there is no repository there,
 * or git is not installed and no `.git` is above: the caller then walks the directory. Any other
 * failure (a repository owned by another user, a broken `.git`) is an error: a walk would skip
 * tracked files that `.gitignore` matches, a quieter scan than the one asked for.
 */
export async function isGitWorkTree(dir: string): Promise<boolean> {
  return (await workTreePrefix(dir)) !== undefined;
}

/**
 * Where `dir` lies in the work tree that holds it (`src/`, or '' at its top, as `git rev-parse
 * --show-prefix` gives it), or undefined outside a work tree.
 */
export async function workTreePrefix(dir: string): Promise<string | undefined> {
  try {
    const [inside, prefix] = (await git(['rev-parse', '--is-inside-work-tree', '--show-prefix'], dir)).split(
      '\n',
    );
    return inside === 'true' ? (prefix ?? '') : undefined;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    if (error.notARepository) return undefined;
    if (!error.gitMissing) throw error;
    if ((await closestDotGit(dir)) === undefined) return undefined;
    throw new KeyfenceError(`${dir}: is in a git work tree, and git is not found on PATH to list its files`, {
      hint: 'install git, or pass --no-ignore to scan every file',
    });
  }
}

/**
 * The top-level directory of the work tree that contains `cwd`; a one-line error outside one.
 * Hooks run at the top, where `.git` sits: no git process is needed there (a hook's budget is tight).
 */
export async function workTreeRoot(cwd: string, option: string): Promise<string> {
  if (await holdsDotGit(cwd)) return cwd;
  try {
    return (await git(['rev-parse', '--show-toplevel'], cwd)).trim();
  } catch (error) {
    if (error instanceof GitError && error.notARepository)
      throw new KeyfenceError(`${option}: ${cwd} is not inside a git work tree`);
    throw error;
  }
}

/**
 * The error to report for a git command that failed in `root`: the repository's own failure when
 * git cannot use it at all (outside a repository `git diff` falls back to comparing two paths and
 * only says that `--cached` is unknown), else the command's.
 */
export async function explainGitFailure(error: unknown, root: string): Promise<unknown> {
  if (!(error instanceof GitError) || error.gitMissing) return error;
  try {
    await git(['rev-parse', '--git-dir'], root);
    return error;
  } catch (repositoryError) {
    return repositoryError;
  }
}
