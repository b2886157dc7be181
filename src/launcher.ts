// The command line's entry point, dist/bin.cjs (scripts/build-cli.mjs builds it as CommonJS): runs
// the CLI, bundled into one script, with V8's code cache. Node 20 has no compile cache for modules;
// parsing the bundle and compiling the functions a scan runs was a fifth of a pre-commit scan's time
// (BENCHMARKS.md). The first `scan` on a machine keeps the compiled code in the user's cache
// directory; later runs read it instead of compiling.
import {
  closeSync,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  readlinkSync,
} from 'node:fs';
import { renameSync, statSync, unlinkSync, writeFileSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { makeDirectorySync } from './directories.js';
import { SCANNED, V8_FLAGS_CHANGED, V8_FLAGS_RESTORE } from './cli/code-cache-marks.js';

/** The bundle's content hash, set by the build; undefined when this runs as tsc emits it (no cache then). */
declare const KEYFENCE_BUNDLE_ID: string | undefined;

const BUNDLE = fileURLToPath(new URL('./cli-bundle/cli.cjs', import.meta.url));

/** Code caches of other builds and Node versions kept beside the current one. */
const KEPT = 8;

/**
 * Far more than the CLI's compiled code ever takes. V8 accepts cached code followed by anything,
 * so a larger file would be read whole, and kept, on every run.
 */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Where the code cache lives: KEYFENCE_CODE_CACHE=off turns it off; otherwise `keyfence/` under
 * XDG_CACHE_HOME (when absolute), ~/.cache, or %LOCALAPPDATA% on Windows.
 */
function cacheDirectory(env: NodeJS.ProcessEnv): string | undefined {
  if (typeof KEYFENCE_BUNDLE_ID !== 'string') return undefined;
  if (['0', 'off', 'false', 'no'].includes((env.KEYFENCE_CODE_CACHE ?? '').toLowerCase())) return undefined;
  // Windows has no owner and mode to check (below): only the per-user %LOCALAPPDATA% is used there,
  // never an XDG_CACHE_HOME that Git Bash users may point at a folder others can write to.
  if (process.platform === 'win32') {
    const local = env.LOCALAPPDATA;
    return local === undefined || !isAbsolute(local) ? undefined : join(local, 'keyfence');
  }
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'keyfence');
  let home = env.HOME;
  try {
    home ??= homedir();
  } catch {
    // no home directory known for this user: no cache
  }
  return home === undefined || !isAbsolute(home) ? undefined : join(home, '.cache', 'keyfence');
}

/**
 * Compiled code is run as it is read, so it is only read from, and written to, a directory and
 * files that the user owns and that nobody else can write to (where POSIX owners exist).
 */
function ownedByUser(stats: { uid: number; mode: number }): boolean {
  const uid = process.getuid?.();
  return uid === undefined || (stats.uid === uid && (stats.mode & 0o022) === 0);
}

/**
 * The cache directory, when it is the user's and no one else can change what its path leads to:
 * V8 checks cached code only against the source's length, so a directory or link on the way that
 * others control (XDG_CACHE_HOME in a shared directory) could lead to any file the user owns,
 * such as one in a cloned repository. Each directory on the way, links followed, must be root's or
 * the user's and not writable by others, unless sticky (/tmp), where others cannot move our entries;
 * each entry on the way must be root's or the user's.
 */
function trustedDirectory(dir: string): boolean {
  const uid = process.getuid?.();
  const ours = (stats: { uid: number }) => stats.uid === uid || stats.uid === 0;
  const names = dir.split(sep).filter((name) => name !== '' && name !== '.');
  let path: string = sep;
  let links = 0;
  try {
    if (uid === undefined) return lstatSync(dir).isDirectory();
    for (;;) {
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) {
        const target = readlinkSync(path);
        if (++links > 40) return false;
        names.unshift(...target.split(sep).filter((name) => name !== '' && name !== '.'));
        path = isAbsolute(target) ? sep : dirname(path);
        continue;
      }
      if (!stats.isDirectory() || !ours(stats)) return false;
      const name = names.shift();
      if (name === undefined) return ownedByUser(stats);
      if ((stats.mode & 0o022) !== 0 && (stats.mode & 0o1000) === 0) return false;
      const next = name === '..' ? dirname(path) : join(path, name);
      if (!ours(lstatSync(next))) return false;
      path = next;
    }
  } catch {
    return false;
  }
}

/** The cached code, or undefined when there is none that can be trusted. */
function readCodeCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a named pipe in its place would otherwise block the open until someone writes to it.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile() || !ownedByUser(stats) || stats.size > MAX_CACHE_BYTES) return undefined;
    const data = Buffer.allocUnsafe(stats.size);
    let read = 0;
    while (read < data.length) {
      const count = readSync(fd, data, read, data.length - read, read);
      if (count === 0) return undefined;
      read += count;
    }
    return data;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the cache whole or not at all (a rename), then drops the oldest of other builds' caches. */
function writeCodeCache(dir: string, file: string, data: Buffer): void {
  const temporary = `${file}.${String(process.pid)}.tmp`;
  try {
    makeDirectorySync(dir, 0o700);
    if (!trustedDirectory(dir)) return;
    writeFileSync(temporary, data, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, file);
    const entries = readdirSync(dir).map((name) => ({ name, path: join(dir, name) }));
    const others = entries
      .filter(({ name }) => /^code-.*\.bin$/.test(name))
      .map(({ path }) => ({ path, at: statSync(path).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const stale of others.slice(KEPT)) unlinkSync(stale.path);
    // What a run killed between writing and renaming left (another may be writing one now).
    for (const { name, path } of entries)
      if (/^code-.*\.bin\.\d+\.tmp$/.test(name) && statSync(path).mtimeMs < Date.now() - 60_000)
        unlinkSync(path);
  } catch {
    // A cache that cannot be written costs the next run its compile time, nothing else.
    try {
      unlinkSync(temporary);
    } catch {
      // not created
    }
  }
}

function launch(): void {
  const dir = cacheDirectory(process.env);
  // The pre-commit scan has a cache of its own: one made by a directory scan lacks the functions
  // only it runs, which it would compile on every commit (about 3 ms).
  const kind = process.argv.includes('--staged') ? '-staged' : '';
  const file =
    dir === undefined
      ? undefined
      : join(dir, `code-${String(KEYFENCE_BUNDLE_ID)}-${process.version}-${process.arch}${kind}.bin`);
  const cached = file !== undefined && trustedDirectory(dir as string) ? readCodeCache(file) : undefined;
  const source = readFileSync(BUNDLE, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    ...(cached !== undefined && { cachedData: cached }),
  });
  // The cache is made at the end of a run that scanned something, and kept only under the V8 flags
  // it was made with (src/cli/code-cache-marks.ts).
  if (file !== undefined && (cached === undefined || script.cachedDataRejected === true))
    process.once('exit', (code) => {
      const marks = globalThis as Record<symbol, unknown>;
      if ((code === 0 || code === 1) && marks[SCANNED] === true && marks[V8_FLAGS_CHANGED] !== true) {
        const restore = marks[V8_FLAGS_RESTORE];
        if (typeof restore === 'string') process.getBuiltinModule('node:v8').setFlagsFromString(restore);
        writeCodeCache(dirname(file), file, script.createCachedData());
      }
    });
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} };
  run(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
}

launch();
