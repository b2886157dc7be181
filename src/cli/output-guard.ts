import { statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { BASELINE_FILE_NAME } from '../config/paths.js';
import { KeyfenceError } from '../errors.js';
import type { Chunk, FileToRead, Source, SourceContext } from '../sources/types.js';
import type { ScanRequest } from './scan-command.js';

const sameFile = (a: Stats, b: Stats | undefined): boolean =>
  b !== undefined && a.dev === b.dev && a.ino === b.ino;

/** The error for an output that would replace `read`, a file the run reads; `found`: listed under a scanned directory. */
function refusal(output: string, read: string, found = false): KeyfenceError {
  const as = read === output ? '' : `, as ${read}`;
  return new KeyfenceError(`--output ${output}: this command reads that file${as}`, {
    hint: found ? 'write it elsewhere, or exclude it from the scan' : 'write it elsewhere',
  });
}

/**
 * Refuses an --output that would replace a file the scan reads: a path it was given, or its
 * --config, --baseline or --ignore-file (the same path, or the same file through a link), checked
 * before the scan; or a file it finds under a directory it was given, checked as the source lists
 * it (a report from an earlier run that the scan reads again is refused too). --staged and
 * --history read git's index and objects, not the working tree, so only their option files count.
 */
export async function guardOutput(request: ScanRequest, source: Source, cwd: string): Promise<Source> {
  const output = request.output;
  if (output === undefined) return source;
  const scansFiles = request.mode === 'files' && !request.paths.includes('-');
  const options = [request.config, request.baseline, request.ignoreFile];
  const existing = await refuseInputs(
    output,
    [...(scansFiles ? request.paths : []), ...options.filter((file) => typeof file === 'string')],
    cwd,
  );
  // A file that does not exist yet cannot be read by this scan; a baseline is read only through
  // --baseline (checked above), never scanned, so `keyfence baseline -o` can refresh it.
  if (!scansFiles || !existing || basename(resolve(cwd, output)) === BASELINE_FILE_NAME) return source;
  return watchedFor(source, output, existing, cwd);
}

/**
 * Refuses an --output that names one of `inputs`: the same path, or the same file through a
 * symbolic or hard link. Returns what is at the output now, if anything.
 */
export async function refuseInputs(
  output: string,
  inputs: readonly string[],
  cwd: string,
): Promise<Stats | undefined> {
  const target = resolve(cwd, output);
  const existing = await stat(target).catch(() => undefined);
  for (const path of inputs) {
    const input = resolve(cwd, path);
    if (input === target) throw refusal(output, path);
    if (existing && sameFile(existing, await stat(input).catch(() => undefined))) throw refusal(output, path);
  }
  return existing;
}

/** The source, throwing the refusal when it lists (or skips) the file at `output`. */
function watchedFor(source: Source, output: string, identity: Stats, cwd: string): Source {
  const name = basename(resolve(cwd, output));
  // Only entries with the report's name are compared, by device and inode, so that a path written
  // differently (../dir/x, a linked directory) is recognised without a stat for every file.
  const check = (path: string, absolute: string | Uint8Array): void => {
    // A path in bytes has a name that is not UTF-8, which the report's (a string) cannot be.
    if (typeof absolute !== 'string' || basename(absolute) !== name) return;
    const info = statSync(absolute, { throwIfNoEntry: false });
    if (info && sameFile(identity, info)) throw refusal(output, path, true);
  };
  const context = (ctx: SourceContext): SourceContext => ({
    ...ctx,
    skip: (path, reason, excluded) => {
      // A path --include/--exclude leaves out is listed, but is no input: the report may go there.
      if (excluded !== true) check(path, resolve(cwd, path));
      ctx.skip(path, reason, excluded);
    },
  });
  async function* watch<T extends Chunk | FileToRead>(items: AsyncIterable<T>): AsyncGenerator<T> {
    for await (const item of items) {
      check(item.path, 'file' in item ? item.file : resolve(cwd, item.path));
      yield item;
    }
  }
  const watched: Source = { ...source, chunks: (ctx) => watch(source.chunks(context(ctx))) };
  const items = source.items?.bind(source);
  if (items) watched.items = (ctx) => watch(items(context(ctx)));
  return watched;
}
