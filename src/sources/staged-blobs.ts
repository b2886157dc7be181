import { addedLines, type AddedText } from './added-lines.js';
import { addedEntries, openArchive, type ArchiveLimits } from './archive.js';
import { BlobReader, type BlobRead } from './cat-file.js';
import { addedWithConstructs } from './constructs.js';
import { asUtf8 } from './decode.js';
import { keystoreText } from './keystore.js';
import type { AddedBlock } from './patch.js';

/** A staged file settled after the patch: the blobs to read, and the added lines the patch gave. */
export interface HeldFile {
  path: string;
  blocks: AddedBlock[];
  /** git called it binary: its added lines come from comparing the blobs, not from the patch. */
  binary?: { next: string; previous?: string };
  /** Its added lines may lie inside a key block: the whole new version is needed around them. */
  widen?: boolean;
}

/**
 * Added text of a held file at its lines in the staged version, or why the file is not scanned.
 * `entry` names an entry of an archive (`!inner/path`, after the archive's path).
 */
export type Settled =
  | { path: string; startLine: number; text: string; entry?: string }
  | { path: string; skip: string; entry?: string };

const asText = (blocks: readonly AddedBlock[]): AddedText[] =>
  blocks.map((block) => ({ startLine: block.startLine, text: block.lines.join('\n') }));

/**
 * Settles held files in order with one `git cat-file --batch`, started only when a file needs a
 * blob: a binary one (over the size limit: listed; binary content: listed; a keystore: scanned
 * whole as its base64; UTF-16: its lines compared with the previous version's), one whose added lines are widened to whole key blocks.
 */
export async function* settleHeld(
  files: readonly HeldFile[],
  root: string,
  maxFileSize: number,
  archiveDepth = 0,
): AsyncGenerator<Settled> {
  const limits: ArchiveLimits = { maxEntrySize: maxFileSize, maxDepth: archiveDepth };
  let reader: BlobReader | undefined;
  const read = (id: string | undefined): Promise<BlobRead> | undefined => {
    if (id === undefined) return undefined;
    reader ??= new BlobReader(root, maxFileSize);
    const reading = reader.read(id);
    reading.catch(() => undefined);
    return reading;
  };
  // Every read is asked before the first answer is awaited: git answers them in one stream.
  const reads = files.map((file) => {
    const next = file.binary?.next ?? (file.widen ? file.blocks[0]?.blob : undefined);
    return { next: read(next), previous: read(file.binary?.previous) };
  });
  try {
    for (const [index, file] of files.entries()) {
      const { next, previous } = reads[index] as (typeof reads)[number];
      if (next === undefined) {
        for (const run of asText(file.blocks)) yield { path: file.path, ...run };
        continue;
      }
      const blob = await next;
      if ('tooLarge' in blob) {
        yield {
          path: file.path,
          skip: `larger than --max-file-size (${blob.tooLarge} > ${maxFileSize} bytes)`,
        };
        continue;
      }
      // A keystore is binary but holds private keys: the staged version is scanned whole, as its base64.
      const keystore = keystoreText(blob);
      if (keystore !== undefined) {
        yield { path: file.path, startLine: 1, text: keystore };
        continue;
      }
      // An archive: the entries it adds or changes, whole (archive.ts), and those it could not read.
      const archive = openArchive(blob, file.path, limits);
      if (archive !== undefined) {
        const before = previous === undefined ? undefined : await previous;
        const entry = (name: string) => name.slice(file.path.length);
        const added = addedEntries(
          archive.texts,
          file.path,
          before instanceof Buffer ? [before] : [],
          limits,
        );
        for (const { name, text } of added) yield { path: file.path, entry: entry(name), startLine: 1, text };
        // Complete once the entries were read.
        for (const { name, reason } of archive.skipped)
          yield { path: file.path, entry: entry(name), skip: reason };
        continue;
      }
      const text = asUtf8(blob);
      if (text === undefined) {
        yield { path: file.path, skip: 'binary file' };
        continue;
      }
      const before = previous === undefined ? undefined : await previous;
      const base = before instanceof Buffer ? asUtf8(before) : undefined;
      const added = file.binary ? addedLines(base === undefined ? [] : [base], text) : asText(file.blocks);
      for (const run of addedWithConstructs(added, text)) yield { path: file.path, ...run };
    }
  } finally {
    reader?.close();
  }
}
