import { COMMIT_MARKER } from './patch.js';
import type { CommitInfo } from './types.js';

const FIELD = '\u001f';
/** git log's commit header: marker, sha, author name, e-mail, ISO date, subject. */
export const COMMIT_FORMAT = `--format=${COMMIT_MARKER}%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`;

/** Flags for the per-commit list of changed files that RawLogParser reads. */
export const RAW_FLAGS = ['--raw', '-z', '--no-abbrev', '--no-renames', '-c', '--root'];

function parseCommit(line: string): CommitInfo {
  const [sha = '', author = '', email = '', date = '', message = ''] = line.slice(1).split(FIELD);
  return { sha, author, email, date, message };
}

/** A file a commit adds or changes: its new blob and the blobs it replaces (one per parent that had it). */
export interface Change {
  path: string;
  next: string;
  previous: string[];
}

export interface RawCommit {
  info: CommitInfo;
  changes: Change[];
}

const NO_OBJECT = /^0+$/;
const GITLINK = '160000';

/**
 * Parses `git log --raw -z -c --no-renames` output, fed one NUL-separated field at a time: a commit
 * header, then per changed file `:modes shas status` (`::` and more for merges) and the path.
 */
export class RawLogParser {
  private commit: RawCommit | undefined;
  /** The header of the entry whose path comes next. */
  private entry: { next: string; previous: string[]; skip: boolean } | undefined;
  private deleted = new Set<string>();

  constructor(private readonly onCommit: (commit: RawCommit) => void) {}

  push(raw: string): void {
    if (this.entry) {
      const { next, previous, skip } = this.entry;
      this.entry = undefined;
      if (!skip && this.commit) this.commit.changes.push({ path: raw, next, previous });
      return;
    }
    const field = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (field.startsWith(COMMIT_MARKER)) {
      this.end();
      this.commit = { info: parseCommit(field), changes: [] };
    } else if (field.startsWith(':')) {
      this.entry = this.header(field);
    }
  }

  /** Emits the last commit. */
  end(): void {
    if (!this.commit) return;
    const commit = this.commit;
    // A file deleted and added with the same content in one commit is a rename: it adds nothing.
    commit.changes = commit.changes.filter(
      (change) => change.previous.length > 0 || !this.deleted.has(change.next),
    );
    this.commit = undefined;
    this.deleted.clear();
    this.onCommit(commit);
  }

  private header(field: string): { next: string; previous: string[]; skip: boolean } {
    const parents = /^:+/.exec(field)?.[0].length ?? 1;
    const parts = field.slice(parents).split(' ');
    const modes = parts.slice(0, parents + 1);
    const shas = parts.slice(parents + 1, 2 * parents + 2);
    const next = shas[parents] ?? '';
    const previous = shas.slice(0, parents).filter((sha) => !NO_OBJECT.test(sha));
    if (NO_OBJECT.test(next)) {
      for (const sha of previous) this.deleted.add(sha);
      return { next, previous, skip: true };
    }
    // Submodule pointers name commits, not content; a mode-only change adds no text.
    const skip = modes[parents] === GITLINK || previous.includes(next);
    return { next, previous, skip };
  }
}
