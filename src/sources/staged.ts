import { unpackedPath } from './archive.js';
import { mayContinueConstruct } from './constructs.js';
import { explainGitFailure, gitBytes, gitLines, workTreeRoot } from './git.js';
import { PatchParser, type AddedBlock } from './patch.js';
import type { PathFilter } from './path-filter.js';
import { fileName } from './path-name.js';
import { displayPaths } from './repo-paths.js';
import type { HeldFile } from './staged-blobs.js';
import { stagedDiffArgs, type EarlyStagedDiff } from './staged-diff.js';
import type { Chunk, Source } from './types.js';

/** What a staged scan is asked besides the index. */
export interface StagedOptions {
  /** Staged blobs larger than this are listed as skipped, never read. */
  maxFileSize: number;
  /** Archives are opened to this depth (0: an archive is a binary file). */
  archiveDepth?: number;
  /** --include and --exclude, on paths relative to the repository top. */
  filter?: PathFilter | undefined;
  /** The diff, when it was started early (startStagedDiff): read if it was started for this scan. */
  early?: EarlyStagedDiff | undefined;
}

/**
 * Escaped names of staged paths that are not UTF-8, by the name the patch gave them (git prints
 * their bytes as they are, and they decode to replacement characters). Asked of git only then.
 */
async function escapedNames(root: string): Promise<Map<string, string>> {
  const listed = await gitBytes(
    ['diff', '--cached', '--name-only', '-z', '--find-renames', '--no-relative'],
    root,
  );
  const names = new Map<string, string>();
  for (const bytes of splitBytes(listed, 0)) names.set(bytes.toString('utf8'), fileName(bytes).name);
  return names;
}

function splitBytes(buffer: Buffer, separator: number): Buffer[] {
  const parts: Buffer[] = [];
  for (let start = 0; start < buffer.length;) {
    const end = buffer.indexOf(separator, start);
    const stop = end === -1 ? buffer.length : end;
    if (stop > start) parts.push(buffer.subarray(start, stop));
    start = stop + 1;
  }
  return parts;
}

/**
 * Scans exactly what the next commit will contain: the lines the index adds or changes against HEAD
 * (against the empty tree before the first commit), numbered as in the staged version. The working
 * tree is never read. Some files are held until the patch is read and settled from their blobs in
 * the index (one `git cat-file` for all): those git calls binary (over --max-file-size, binary, or
 * UTF-16), those whose added lines may lie inside a key block, and those whose name is not UTF-8.
 */
export function stagedSource(cwd: string, options: StagedOptions): Source {
  return {
    label: 'staged changes',
    async *chunks(ctx) {
      const root = await workTreeRoot(cwd, '--staged');
      const display = displayPaths(root, cwd);
      const held = new Map<string, HeldFile>();
      const hold = (path: string): HeldFile => {
        const file = held.get(path) ?? { path, blocks: [] };
        held.set(path, file);
        return file;
      };
      const ready: AddedBlock[] = [];
      const bytesByPath = new Map<string, number>();
      /** Paths already listed as skipped: a filtered file is listed once, not per hunk. */
      const listed = new Set<string>();
      const skip = (path: string, reason: string) => {
        if (listed.has(path)) return;
        listed.add(path);
        ctx.skip(display(path), reason);
      };
      const filteredOut = (path: string): boolean => {
        const reason = options.filter?.(path);
        if (reason !== undefined) skip(path, reason);
        return reason !== undefined;
      };
      // Set inside the parser's callbacks (an object, so that the check after the patch is not narrowed away).
      const names = { notUtf8: false };
      const parser = new PatchParser({
        added: (block) => {
          if (filteredOut(block.path)) return;
          const widen = mayContinueConstruct(block.lines.join('\n'));
          const notUtf8 = block.path.includes('\uFFFD');
          names.notUtf8 ||= notUtf8;
          if (!widen && !notUtf8 && !held.has(block.path)) ready.push(block);
          else {
            const file = hold(block.path);
            file.blocks.push(block);
            file.widen ||= widen;
          }
        },
        skipped: (path, reason) => {
          if (!filteredOut(path)) skip(path, reason);
        },
        binary: (path, blobs) => {
          if (filteredOut(path)) return;
          names.notUtf8 ||= path.includes('\uFFFD');
          hold(path).binary = blobs;
        },
        submodule: (path) => {
          if (!filteredOut(path)) skip(path, 'submodule (its content is committed in its own repository)');
        },
      });
      // An archive's entries count towards the archive, as one file.
      const toChunk = (block: { path: string; startLine: number; text: string }, entry = ''): Chunk => {
        bytesByPath.set(block.path, (bytesByPath.get(block.path) ?? 0) + Buffer.byteLength(block.text) + 1);
        const chunk: Chunk = {
          path: block.path + entry,
          content: block.text,
          startLine: block.startLine,
          origin: 'staged',
        };
        if (entry !== '') chunk.unpacked = unpackedPath(block.path, chunk.path);
        return chunk;
      };
      const shown = (block: AddedBlock) => ({
        path: display(block.path),
        startLine: block.startLine,
        text: block.lines.join('\n'),
      });
      const { early } = options;
      const started =
        early?.root === root && early.maxFileSize === options.maxFileSize ? early.git : undefined;
      if (!started) early?.git.stop();
      const args = stagedDiffArgs(options.maxFileSize);
      try {
        for await (const lines of started?.lines ?? gitLines(args, root)) {
          for (const line of lines) parser.push(line);
          for (const block of ready.splice(0)) yield toChunk(shown(block));
        }
        parser.end();
      } catch (error) {
        throw await explainGitFailure(error, root);
      }
      for (const block of ready.splice(0)) yield toChunk(shown(block));
      if (held.size > 0) {
        const escaped = names.notUtf8 ? await escapedNames(root) : undefined;
        const { settleHeld } = await import('./staged-blobs.js');
        const settling = settleHeld([...held.values()], root, options.maxFileSize, options.archiveDepth);
        for await (const settled of settling) {
          const path = display(escaped?.get(settled.path) ?? settled.path);
          if ('skip' in settled) ctx.skip(path + (settled.entry ?? ''), settled.skip);
          else yield toChunk({ ...settled, path }, settled.entry);
        }
      }
      for (const [path, bytes] of bytesByPath) ctx.scanned(path, bytes);
      if (bytesByPath.size === 0 && listed.size === 0 && held.size === 0)
        ctx.note('nothing staged: the index has no added or changed lines');
    },
  };
}
