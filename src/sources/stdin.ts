import { decode } from './decode.js';
import type { Source } from './types.js';

/** Scans everything read from a stream (standard input) as one file named `path`. */
export function stdinSource(
  stream: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  path: string,
): Source {
  return {
    label: 'stdin',
    async *chunks(ctx) {
      const parts: Buffer[] = [];
      for await (const part of stream)
        parts.push(typeof part === 'string' ? Buffer.from(part) : Buffer.from(part));
      const bytes = Buffer.concat(parts);
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
