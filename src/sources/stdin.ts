import { entryChunk, openArchive } from './archive.js';
import { decode } from './decode.js';
import type { Source } from './types.js';

/**
 * Scans everything read from a stream (standard input) as one file named `path`. Reading stops
 * once more than `maxFileSize` bytes have come (`yes | keyfence scan -` must not fill memory): the
 * input is then skipped and listed, like a file over the limit.
 */
export function stdinSource(
  stream: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  path: string,
  maxFileSize: number,
  archiveDepth = 0,
): Source {
  return {
    label: 'stdin',
    async *chunks(ctx) {
      const parts: Buffer[] = [];
      let size = 0;
      for await (const part of stream) {
        const bytes = typeof part === 'string' ? Buffer.from(part) : Buffer.from(part);
        size += bytes.length;
        if (size > maxFileSize) {
          // Leaving the loop closes the stream: the writer at the other end sees a closed pipe.
          ctx.skip(
            path,
            `larger than --max-file-size (more than ${maxFileSize} bytes; stopped reading at ${size})`,
          );
          return;
        }
        parts.push(bytes);
      }
      const bytes = Buffer.concat(parts);
      const archive = openArchive(bytes, path, { maxEntrySize: maxFileSize, maxDepth: archiveDepth });
      if (archive !== undefined) {
        ctx.scanned(path, bytes.length);
        for (const entry of archive.texts) yield entryChunk(path, entry, 'stdin');
        // Complete once the entries were read.
        for (const { name, reason } of archive.skipped) ctx.skip(name, reason);
        return;
      }
      const decoded = decode(bytes);
      if ('skip' in decoded) {
        ctx.skip(path, decoded.skip);
        return;
      }
      ctx.scanned(path, bytes.length);
      yield { path, content: decoded.text, startLine: 1, origin: 'stdin' };
    },
  };
}
