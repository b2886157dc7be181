import { decode } from './decode.js';
import { explainGitFailure, gitBytes, gitLines, PATCH_FLAGS, workTreeRoot } from './git.js';
import { PatchParser, type AddedBlock } from './patch.js';
import { displayPaths } from './repo-paths.js';
import type { Chunk, Source } from './types.js';

/** The text of a staged blob that git calls binary, when it is UTF-16 text (with a byte-order mark or not). */
async function stagedText(root: string, path: string): Promise<string | undefined> {
  try {
    const decoded = decode(await gitBytes(['cat-file', 'blob', `:${path}`], root));
    return 'text' in decoded ? decoded.text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Scans exactly what the next commit will contain: the lines the index adds or changes against HEAD
 * (against the empty tree before the first commit), numbered as in the staged version. The working
 * tree is never read.
 */
export function stagedSource(cwd: string): Source {
  return {
    label: 'staged changes',
    async *chunks(ctx) {
      const root = await workTreeRoot(cwd, '--staged');
      const display = displayPaths(root, cwd);
      const ready: AddedBlock[] = [];
      const binary: string[] = [];
      const bytesByPath = new Map<string, number>();
      const parser = new PatchParser({
        added: (block) => ready.push(block),
        skipped: (path, reason) => {
          if (reason === 'binary file') binary.push(path);
          else ctx.skip(display(path), reason);
        },
      });
      const toChunk = (block: AddedBlock): Chunk => {
        const content = block.lines.join('\n');
        const path = display(block.path);
        bytesByPath.set(path, (bytesByPath.get(path) ?? 0) + Buffer.byteLength(content) + 1);
        return { path, content, startLine: block.startLine, origin: 'staged' };
      };
      const args = ['diff', '--cached', ...PATCH_FLAGS, '--find-renames', '--submodule=short'];
      try {
        for await (const lines of gitLines(args, root)) {
          for (const line of lines) parser.push(line);
          while (ready.length > 0) yield toChunk(ready.shift() as AddedBlock);
        }
      } catch (error) {
        throw await explainGitFailure(error, root);
      }
      parser.end();
      while (ready.length > 0) yield toChunk(ready.shift() as AddedBlock);
      // git calls UTF-16 files binary; read those from the index and scan them whole.
      for (const path of binary) {
        const text = await stagedText(root, path);
        if (text === undefined) ctx.skip(display(path), 'binary file');
        else yield toChunk({ path, startLine: 1, lines: text.split('\n') });
      }
      for (const [path, bytes] of bytesByPath) ctx.scanned(path, bytes);
      if (bytesByPath.size === 0 && binary.length === 0)
        ctx.note('nothing staged: the index has no added or changed lines');
    },
  };
}
