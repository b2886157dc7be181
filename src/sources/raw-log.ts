import { COMMIT_MARKER } from './patch.js';
import type { CommitInfo } from './types.js';

const FIELD = '\u001f';
/** git log's commit header: marker, sha, tree and parents, author name, e-mail, ISO date, subject. */
export const COMMIT_FORMAT = `--format=${COMMIT_MARKER}%H${FIELD}%T %P${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`;

/** Flags for the per-commit list of changed files that RawLogParser reads. */
export const RAW_FLAGS = ['--raw', '-z', '--no-abbrev', '--no-renames', '-c', '--root'];

function parseCommit(line: string): { info: CommitInfo; identity: string } {
  const [sha = '', treeAndParents = '', author = '', email = '', date = '', message = ''] = line
    .slice(1)
    .split(FIELD);
  return { info: { sha, author, email, date, message }, identity: `${sha} ${treeAndParents}`.trimEnd() };
}

/** A file a commit adds or changes: its new blob and the blobs it replaces (one per parent that had it). */
export interface Change {
  path: string;
  next: string;
  previous: string[];
}

export interface RawCommit {
  info: CommitInfo;
  /**
   * `sha tree parents` as git sees them (after grafts, replace refs and a shallow boundary): what
   * the commit's changes are determined by, so what a record of them is kept under (--cache).
   */
  identity: string;
  changes: Change[];
  /** Paths the commit changed that are not scanned, and why (submodules, --include/--exclude). */
  skipped: { path: string; reason: string }[];
}

const NO_OBJECT = /^0+$/;
const COLON = 58;
/** Whether a sha is git's all-zero "no object" (a side that does not have the file). */
const noObject = (sha: string): boolean => sha.charCodeAt(0) === 48 && NO_OBJECT.test(sha);
const GITLINK = '160000';
const SUBMODULE = 'submodule (its content is committed in its own repository)';

/**
 * Parses `git log --raw -z -c --no-renames` output, fed one NUL-separated field at a time: a commit
 * header, then per changed file `:modes shas status` (`::` and more for merges) and the path.
 */
export class RawLogParser {
  private commit: RawCommit | undefined;
  /** The header of the entry whose path comes next. */
  private entry: { next: string; previous: string[]; skip: boolean; gitlink: boolean } | undefined;
  private deleted = new Set<string>();

  /** `filter` gives the reason a path is not scanned (--include/--exclude), or undefined. */
  constructor(
    private readonly onCommit: (commit: RawCommit) => void,
    private readonly filter?: (path: string) => string | undefined,
  ) {}

  push(raw: string): void {
    if (this.entry) {
      const { next, previous, skip, gitlink } = this.entry;
      this.entry = undefined;
      if (!this.commit) return;
      const reason = gitlink ? SUBMODULE : skip ? undefined : this.filter?.(raw);
      if (reason !== undefined) this.commit.skipped.push({ path: raw, reason });
      else if (!skip) this.commit.changes.push({ path: raw, next, previous });
      return;
    }
    const field = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (field.startsWith(COMMIT_MARKER)) {
      this.end();
      this.commit = { ...parseCommit(field), changes: [], skipped: [] };
    } else if (field.startsWith(':')) {
      this.entry = this.header(field);
    }
  }

  /** Emits the last commit. */
  end(): void {
    if (!this.commit) return;
    const commit = this.commit;
    // A file deleted and added with the same content in one commit is a rename: it adds nothing.
    if (this.deleted.size > 0)
      commit.changes = commit.changes.filter(
        (change) => change.previous.length > 0 || !this.deleted.has(change.next),
      );
    this.commit = undefined;
    this.deleted.clear();
    this.onCommit(commit);
  }

  private header(field: string): { next: string; previous: string[]; skip: boolean; gitlink: boolean } {
    // One colon per parent, then a mode per parent and the new mode, the shas likewise, the status.
    let parents = 0;
    while (field.charCodeAt(parents) === COLON) parents++;
    const parts = field.slice(parents).split(' ');
    const next = parts[2 * parents + 1] ?? '';
    const previous: string[] = [];
    for (let index = parents + 1; index <= 2 * parents; index++) {
      const sha = parts[index] ?? '';
      if (!noObject(sha)) previous.push(sha);
    }
    if (noObject(next)) {
      for (const sha of previous) this.deleted.add(sha);
      return { next, previous, skip: true, gitlink: false };
    }
    // Submodule pointers name commits, not content (listed); a mode-only change adds no text.
    const gitlink = parts[parents] === GITLINK;
    return { next, previous, skip: gitlink || previous.includes(next), gitlink };
  }
}
