import { lstat, readFile, stat } from 'node:fs/promises';
import { join, posix, resolve } from 'node:path';
import { KeyfenceError } from '../errors.js';
import { globMatcher } from '../rules/compile.js';
import { decode, hasBinaryExtension } from './decode.js';
import { isGitWorkTree, listGitFiles } from './git.js';
import type { Chunk, Source, SourceContext } from './types.js';
import { specialKind, walkFiles } from './walk.js';

/** Options of a working-tree scan. */
export interface FilesystemOptions {
  /** Only files matching one of these globs (relative to the scanned directory) are scanned. */
  include: readonly string[];
  /** Files matching one of these globs are not scanned. */
  exclude: readonly string[];
  /** Larger files are skipped and listed. */
  maxFileSize: number;
  /** False scans every file: no git listing, no .gitignore (`--no-ignore`). */
  respectIgnores?: boolean;
  cwd: string;
}

/** Files read ahead of the scanner; enough to keep the disk busy without holding many files in memory. */
const READ_AHEAD = 16;

const toPosix = (path: string): string => path.split('\\').join('/');

/** Path as shown to the user: the argument as typed joined with the path below it. */
const displayPath = (argument: string, relative: string): string =>
  relative === '' ? toPosix(argument) : posix.join(toPosix(argument), relative);

async function listDirectory(
  dir: string,
  ctx: SourceContext,
  argument: string,
  respectIgnores: boolean,
): Promise<string[]> {
  if (respectIgnores && (await isGitWorkTree(dir))) return listGitFiles(dir);
  const files: string[] = [];
  const onSkip = (relative: string, reason: string) => {
    ctx.skip(displayPath(argument, relative), reason);
  };
  for await (const file of walkFiles(dir, onSkip, { gitignore: respectIgnores })) {
    files.push(file);
  }
  return files;
}

type ReadResult = { chunk: Chunk; bytes: number } | { skip: string } | undefined;

async function readOne(absolute: string, shown: string, maxFileSize: number): Promise<ReadResult> {
  let info;
  try {
    info = await lstat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? { skip: 'deleted in the working tree' }
      : { skip: `cannot read (${code ?? 'error'})` };
  }
  if (info.isSymbolicLink()) return { skip: 'symbolic link (not followed)' };
  if (info.isDirectory()) return undefined;
  if (!info.isFile()) return { skip: `not a regular file (${specialKind(info)})` };
  if (info.size > maxFileSize)
    return { skip: `larger than --max-file-size (${info.size} > ${maxFileSize} bytes)` };
  if (hasBinaryExtension(shown)) return { skip: 'binary file' };
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    return { skip: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const decoded = decode(bytes);
  if ('skip' in decoded) return decoded;
  return { chunk: { path: shown, content: decoded.text, startLine: 1, origin: 'file' }, bytes: bytes.length };
}

/** Scans files and directories of the working tree (git-aware inside a work tree). */
export function filesystemSource(paths: readonly string[], options: FilesystemOptions): Source {
  const included = globMatcher(options.include) ?? (() => true);
  const excluded = globMatcher(options.exclude) ?? (() => false);
  return {
    label: paths.map(toPosix).join(' '),
    async *chunks(ctx) {
      for (const argument of paths) {
        const absolute = resolve(options.cwd, argument);
        let info;
        try {
          info = await stat(absolute);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new KeyfenceError(
            code === 'ENOENT'
              ? `${argument}: no such file or directory`
              : `${argument}: cannot read (${code ?? 'error'})`,
          );
        }
        const relatives = info.isDirectory()
          ? await listDirectory(absolute, ctx, argument, options.respectIgnores ?? true)
          : [''];
        const selected = relatives.filter(
          (relative) => relative === '' || (included(relative) && !excluded(relative)),
        );
        const pending: Promise<ReadResult>[] = [];
        let next = 0;
        const fill = () => {
          while (pending.length < READ_AHEAD && next < selected.length) {
            const relative = selected[next++] ?? '';
            pending.push(
              readOne(join(absolute, relative), displayPath(argument, relative), options.maxFileSize),
            );
          }
        };
        for (let index = 0; index < selected.length; index++) {
          fill();
          const result = await pending.shift();
          const shown = displayPath(argument, selected[index] ?? '');
          if (result === undefined) continue;
          if ('skip' in result) {
            ctx.skip(shown, result.skip);
            continue;
          }
          ctx.scanned(shown, result.bytes);
          yield result.chunk;
        }
      }
    },
  };
}
