import { stat } from 'node:fs/promises';
import { join, posix, resolve } from 'node:path';
import { KeyfenceError } from '../errors.js';
import { listGitFiles, type ListedFile } from './git-files.js';
import { holdsDotGit } from './dot-git.js';
import { ignoredByGit, workTreePrefix } from './git.js';
import { pathFilter } from './path-filter.js';
import { readingAhead } from './read-file.js';
import type { FileToRead, Source, SourceContext } from './types.js';

/** Options of a working-tree scan. */
export interface FilesystemOptions {
  /** Only files matching one of these globs (relative to the scanned directory) are scanned. */
  include: readonly string[];
  /** Files matching one of these globs are not scanned. */
  exclude: readonly string[];
  /** Larger files are skipped and listed. */
  maxFileSize: number;
  /** Archives are opened to this depth (0: an archive is a binary file). */
  archiveDepth?: number;
  /** False scans every file: no git listing, no .gitignore (`--no-ignore`). */
  respectIgnores?: boolean;
  cwd: string;
  /** Called once every argument is listed, with the number of files to read (for a progress line). */
  onListed?: (files: number) => void;
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
): Promise<ListedFile[]> {
  const onSkip = (relative: string, reason: string) => {
    ctx.skip(displayPath(argument, relative), reason);
  };
  if (respectIgnores) {
    // git lists the files while it is asked whether this is a work tree at all: one git round trip
    // instead of two before the first file is read. Outside a work tree the listing fails and is dropped.
    const listing = listGitFiles(dir, onSkip);
    listing.catch(() => undefined);
    // A directory named on the command line that git ignores (`build/`, a virtualenv) would list
    // nothing: it is walked instead, as outside a work tree. The top of a work tree is never ignored.
    // Asked at once unless dir holds .git, where it is most likely the top.
    const holdsGit = holdsDotGit(dir);
    const ignored = holdsGit.then((top) => !top && ignoredByGit(dir));
    ignored.catch(() => undefined);
    const prefix = await workTreePrefix(dir);
    if (prefix !== undefined) {
      // A .git that git does not take for a repository (an empty directory) leaves dir below the
      // top of the work tree around it, where git may ignore it: then it is asked after all.
      if (prefix === '' || !((await holdsGit) ? await ignoredByGit(dir) : await ignored)) return listing;
      ctx.note(
        `${toPosix(argument)}: git ignores this directory; scanned every file in it that no .gitignore inside it excludes`,
      );
    }
  }
  // Only a walk without git loads the walker and its gitignore matcher (a CommonJS package).
  const { walkFiles } = await import('./walk.js');
  const files: ListedFile[] = [];
  for await (const file of walkFiles(dir, onSkip, { gitignore: respectIgnores })) files.push(file);
  return files;
}

/** The path to open a listed file by: its bytes when its name is not UTF-8. */
const openPath = (absolute: string, file: ListedFile): string | Buffer =>
  file.raw === undefined
    ? join(absolute, file.relative)
    : Buffer.concat([Buffer.from(join(absolute, '/')), file.raw]);

/** Scans files and directories of the working tree (git-aware inside a work tree). */
export function filesystemSource(paths: readonly string[], options: FilesystemOptions): Source {
  const filter = pathFilter(options.include, options.exclude);
  // Every argument is listed before the first file is read, so that what listing skips comes
  // before what reading skips however many files are read at once, on this thread or on workers.
  async function* items(ctx: SourceContext): AsyncGenerator<FileToRead> {
    const listed: { argument: string; absolute: string; files: ListedFile[] }[] = [];
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
      // A file named on the command line is scanned whatever the globs say.
      if (!info.isDirectory()) {
        listed.push({ argument, absolute, files: [{ relative: '' }] });
        continue;
      }
      const files = await listDirectory(absolute, ctx, argument, options.respectIgnores ?? true);
      const kept = files.filter((file) => {
        const reason = filter?.(file.relative);
        if (reason !== undefined) ctx.skip(displayPath(argument, file.relative), reason, true);
        return reason === undefined;
      });
      listed.push({ argument, absolute, files: kept });
    }
    options.onListed?.(listed.reduce((count, { files }) => count + files.length, 0));
    for (const { argument, absolute, files } of listed) {
      for (const file of files) {
        yield {
          file: openPath(absolute, file),
          path: displayPath(argument, file.relative),
          maxFileSize: options.maxFileSize,
          ...(options.archiveDepth && { archiveDepth: options.archiveDepth }),
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
