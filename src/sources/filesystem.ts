import { stat } from 'node:fs/promises';
import { join, posix, resolve } from 'node:path';
import { KeyfenceError } from '../errors.js';
import { globMatcher } from '../rules/compile.js';
import { isGitWorkTree, listGitFiles } from './git.js';
import { readingAhead } from './read-file.js';
import type { FileToRead, Source, SourceContext } from './types.js';
import { walkFiles } from './walk.js';

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

/** Scans files and directories of the working tree (git-aware inside a work tree). */
export function filesystemSource(paths: readonly string[], options: FilesystemOptions): Source {
  const included = globMatcher(options.include) ?? (() => true);
  const excluded = globMatcher(options.exclude) ?? (() => false);
  // Every argument is listed before the first file is read, so that what listing skips comes
  // before what reading skips however many files are read at once, on this thread or on workers.
  async function* items(ctx: SourceContext): AsyncGenerator<FileToRead> {
    const listed: { argument: string; absolute: string; relatives: string[] }[] = [];
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
      listed.push({
        argument,
        absolute,
        relatives: relatives.filter(
          (relative) => relative === '' || (included(relative) && !excluded(relative)),
        ),
      });
    }
    for (const { argument, absolute, relatives } of listed) {
      for (const relative of relatives) {
        yield {
          file: join(absolute, relative),
          path: displayPath(argument, relative),
          maxFileSize: options.maxFileSize,
        };
      }
    }
  }
  return {
    label: paths.map(toPosix).join(' '),
    items,
    async *chunks(ctx) {
      for await (const item of readingAhead(items(ctx), ctx, () => true)) if ('content' in item) yield item;
    },
  };
}
