import type { SecretSpan } from '../engine/types.js';

/** Metadata of the commit a chunk was read from (history scans). */
export interface CommitInfo {
  sha: string;
  author: string;
  email: string;
  date: string;
  /** The subject line, which reports print beside the commit's findings. */
  message: string;
  /**
   * Where secrets lie in the message (set by the engine on findings, for redaction): a token
   * pasted into a commit message would otherwise be printed whole beside every finding.
   */
  messageSecrets?: SecretSpan[];
}

/** Where a chunk came from. */
export type Origin = 'file' | 'staged' | 'commit' | 'stdin';

/** A piece of text to scan; plain serialisable data so it can cross a worker boundary. */
export interface Chunk {
  /** Path relative to the scan root, with forward slashes. */
  path: string;
  content: string;
  /** 1-based line number of content[0] in the original file. */
  startLine: number;
  origin: Origin;
  /**
   * An archive's entry (`path` is `backup.zip!config/.env`): its path as if the archive were
   * unpacked (`backup.zip/config/.env`), which the rules' and allowlists' paths and the file-name
   * views are matched against. Findings keep `path`.
   */
  unpacked?: string;
  commit?: CommitInfo;
  /**
   * Texts joined with '\n' in `content`, each scanned as a chunk of its own would be (history: the
   * runs of lines a change adds, which lines it keeps split): no match, line or view reaches from one
   * into the next. `startLine` is then the first one's. Absent: the content is one text.
   */
  segments?: Segment[];
  /**
   * Chunks with the same key have the same path, content and line numbers (history: the same
   * change to the same file in another commit): the engine scans the first and reuses its result.
   */
  reuseKey?: string;
}

/** Where one of the texts joined in a chunk's content starts. */
export interface Segment {
  /** Offset of its first character in the content (for all but the first, just after the joining '\n'). */
  start: number;
  /** 1-based line number of that character in the original file. */
  startLine: number;
}

/**
 * A file handed to the engine unread, for it to read, decode and scan: on a worker thread when it
 * has a pool, so that the main thread does not read, decode and copy every byte to the workers.
 */
export interface FileToRead {
  /** Absolute path to read: its bytes when a name in it is not UTF-8 (a string would not name the file). */
  file: string | Uint8Array;
  /** Path as reported (what `Chunk.path` would be). */
  path: string;
  /** Larger files are skipped and listed. */
  maxFileSize: number;
  /** Archives are opened to this depth (archive.ts); absent or 0: an archive is a binary file. */
  archiveDepth?: number;
}

/** Why a file was not scanned. */
export interface Skip {
  path: string;
  reason: string;
}

/** Progress of a long scan, for a progress line. */
export interface Progress {
  commitsDone: number;
  commitsTotal: number;
  bytes: number;
}

/** What a source reports back besides chunks. */
export interface SourceContext {
  /**
   * Lists a path that is not scanned. `excluded`: --include or --exclude left it out, by the
   * user's choice, so it is listed but is no input of the scan (the report may be written there).
   */
  skip(path: string, reason: string, excluded?: boolean): void;
  /** Counts a file (or blob) that was read and scanned, with its size in bytes. */
  scanned(path: string, bytes: number): void;
  /** A fact about the scan the user must see in the summary (nothing staged, shallow history). */
  note(message: string): void;
  /** Counts a commit whose changes were scanned. */
  commitScanned(): void;
}

/** Yields chunks of text to scan. */
export interface Source {
  label: string;
  /** History sources that read oldest commit first; reports still list the newest first (git log order). */
  order?: 'oldest-first';
  chunks(ctx: SourceContext): AsyncIterable<Chunk>;
  /**
   * What chunks() yields, except that files may come unread: the engine then reads them and reports
   * them scanned or skipped as the source would have. Used when the engine has worker threads.
   */
  items?(ctx: SourceContext): AsyncIterable<Chunk | FileToRead>;
}
