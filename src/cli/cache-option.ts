import { join, resolve } from 'node:path';
import { HistoryCache } from '../cache/history-cache.js';
import { CACHE_FORMAT, digest, fileName, type CacheFile } from '../cache/store.js';
import type { ConfigResolver } from '../config/resolve.js';
import { errnoText } from '../errors.js';
import type { CatalogueRule } from '../rules/types.js';
import { printable } from '../reporters/escape.js';
import type { Io } from './io.js';
import type { ScanRequest } from './scan-command.js';
import { DEFAULT_ARCHIVE_DEPTH } from './size.js';
import { packageVersion } from './version.js';

const warn = (io: Io, text: string) => {
  io.stderr.write(`keyfence: warning: ${printable(text)}\n`);
};

/**
 * Opens the history cache in --cache DIR for this repository. Its key is everything a record
 * depends on besides the commit and the configs (checked per path): keyfence's version, the
 * catalogue, and the options that change what is read. A file made under another key is
 * ignored with a warning, and replaced at the end of the scan.
 */
export async function openHistoryCache(
  dir: string,
  io: Io,
  request: ScanRequest,
  builtin: readonly CatalogueRule[],
  resolver: ConfigResolver,
  maxFileSize: number,
): Promise<{ cache: HistoryCache; save: () => Promise<void> }> {
  const { workTreeRoot } = await import('../sources/git.js');
  const root = await workTreeRoot(io.cwd, '--history');
  const file: CacheFile = {
    dir: resolve(io.cwd, dir),
    kind: 'history',
    scope: root,
    key: digest(
      String(CACHE_FORMAT),
      packageVersion(),
      JSON.stringify(builtin),
      String(maxFileSize),
      String(request.maxArchiveDepth ?? DEFAULT_ARCHIVE_DEPTH),
      JSON.stringify([request.include, request.exclude]),
    ),
  };
  const shown = join(dir, fileName(file));
  const cache = HistoryCache.open(
    file,
    (path) => resolver.ruleKeyFor(path),
    (problem) => {
      warn(io, `--cache ${shown}: ignored, ${problem}; the whole history is read and the cache rewritten`);
    },
  );
  const save = async () => {
    try {
      await cache.save();
    } catch (error) {
      // The scan's result stands: only the next scan is slower.
      warn(
        io,
        `--cache ${dir}: cannot write the cache (${errnoText(error)}); the next scan reads everything again`,
      );
    }
  };
  return { cache, save };
}
