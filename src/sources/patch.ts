/** Lines added to one file in one hunk, numbered in the new version of the file. */
export interface AddedBlock {
  path: string;
  /** 1-based line number of lines[0] in the new version. */
  startLine: number;
  lines: string[];
  /** The new version's blob id, when the patch names it in full (`--full-index`). */
  blob?: string;
}

/** What the parser reports while it reads a patch. */
export interface PatchEvents {
  /** Added lines of one hunk (consecutive new-version lines). */
  added(block: AddedBlock): void;
  /** A file whose content cannot be read from the patch (binary, unmerged). */
  skipped(path: string, reason: string): void;
  /**
   * A file git calls binary, with its blob ids (from `--full-index`): the new one, and the old one
   * unless the file is new. Without this handler it is `skipped` as a binary file.
   */
  binary?(path: string, blobs: { next: string; previous?: string }): void;
  /** A submodule whose pointer changed: its content is another repository's. */
  submodule?(path: string): void;
  /** A line of the patch that starts a commit (history); everything before the next one belongs to it. */
  commit?(line: string): void;
}

/** Marks a commit header line in `git log --format` output; no patch line can start with it. */
export const COMMIT_MARKER = '\u001e';

/** Header lines of a submodule pointer change, whose "content" is a commit id, not a file. */
const GITLINK_HEADER = /^(?:new file mode|deleted file mode|new mode|index \S+) 160000$/;
const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undoes git's C-style path quoting (`"b/new\nline.txt"`, octal bytes) and strips the a/ or b/ prefix. */
export function unquotePath(raw: string, prefix: string): string {
  let text = raw.replace(/\t$/, '');
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) {
    const bytes: number[] = [];
    const body = text.slice(1, -1);
    for (let index = 0; index < body.length; index++) {
      const char = body[index] ?? '';
      if (char !== '\\') {
        bytes.push(...Buffer.from(char, 'utf8'));
        continue;
      }
      const next = body[index + 1] ?? '';
      const octal = /^[0-7]{3}/.exec(body.slice(index + 1, index + 4));
      if (octal) {
        bytes.push(parseInt(octal[0], 8));
        index += 3;
      } else {
        bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
        index += 1;
      }
    }
    text = Buffer.from(bytes).toString('utf8');
  }
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

/** The path of `diff --git a/X b/X` when both sides are equal (the header is ambiguous otherwise). */
function pathFromGitHeader(rest: string): string | undefined {
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ', 1);
    const second = end === -1 ? undefined : rest.slice(end + 2);
    return second === undefined ? undefined : unquotePath(second, 'b/');
  }
  const half = (rest.length - 1) / 2;
  const left = rest.slice(0, half);
  const right = rest.slice(half + 1);
  return left.startsWith('a/') && right.startsWith('b/') && left.slice(2) === right.slice(2)
    ? right.slice(2)
    : undefined;
}

/** `index <old>..<new>[ <mode>]` with full ids (`--full-index`): the blobs of a change. */
const INDEX = /^index ([0-9a-f]{40,64})\.\.([0-9a-f]{40,64})(?: \d+)?$/;
const NO_BLOB = /^0+$/;

const HUNK = /^(@{2,}) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @{2,}/;

/**
 * Streaming parser of `git diff -p -U0` / `git log -p -U0 --cc` output, fed one line at a time
 * (without the trailing newline). It keeps only the state of the current file and hunk, so memory
 * does not grow with the length of the patch.
 */
export class PatchParser {
  private path: string | undefined;
  /** Parents of the current hunk: one less than its `@` count (2 for `@@@` combined diffs). */
  private parents = 1;
  private gitlink = false;
  private blobs: { next: string; previous?: string } | undefined;
  private inHunk = false;
  private newLine = 0;
  private block: AddedBlock | undefined;

  constructor(private readonly events: PatchEvents) {}

  /** Feeds one line. */
  push(line: string): void {
    if (line.startsWith(COMMIT_MARKER)) {
      this.endFile();
      this.events.commit?.(line);
      return;
    }
    if (line.startsWith('diff --git ')) {
      this.startFile(pathFromGitHeader(line.slice(11)));
      return;
    }
    if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      const rest = line.slice(line.indexOf(' ', 5) + 1);
      this.startFile(unquotePath(rest, ''));
      return;
    }
    if (line.startsWith('* Unmerged path ')) {
      this.endFile();
      this.events.skipped(line.slice(16), 'unmerged (resolve the conflict first)');
      return;
    }
    if (this.inHunk) {
      this.hunkLine(line);
      return;
    }
    this.headerLine(line);
  }

  /** Flushes the last block; call once after the last line. */
  end(): void {
    this.endFile();
  }

  private startFile(path: string | undefined): void {
    this.endFile();
    this.path = path;
    this.gitlink = false;
    this.blobs = undefined;
  }

  private endFile(): void {
    this.flush();
    this.inHunk = false;
    this.path = undefined;
  }

  private headerLine(line: string): void {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      if (target !== '/dev/null') this.path = unquotePath(target, 'b/');
    } else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
      this.path = unquotePath(line.slice(line.indexOf(' to ') + 4), '');
    } else if (GITLINK_HEADER.test(line)) {
      if (!this.gitlink && this.path !== undefined) this.events.submodule?.(this.path);
      this.gitlink = true;
    } else if (line.startsWith('Binary files ') && line.endsWith(' differ')) {
      if (!line.includes(' and /dev/null differ') && this.path !== undefined) this.binaryFile(this.path);
    } else {
      const index = INDEX.exec(line);
      if (index) {
        const [, previous = '', next = ''] = index;
        this.blobs = NO_BLOB.test(previous) ? { next } : { next, previous };
        return;
      }
      const hunk = HUNK.exec(line);
      if (hunk) this.startHunk(hunk);
    }
  }

  private binaryFile(path: string): void {
    if (this.events.binary && this.blobs) this.events.binary(path, this.blobs);
    else this.events.skipped(path, 'binary file');
  }

  private startHunk(hunk: RegExpExecArray): void {
    this.parents = (hunk[1]?.length ?? 2) - 1;
    this.inHunk = true;
    this.newLine = Number(hunk[2]);
    // "+c,0" names the line before an empty range; the first added line of a non-empty range is c.
    if (hunk[3] === '0') this.newLine++;
  }

  private hunkLine(line: string): void {
    const prefix = line.slice(0, this.parents);
    if (prefix.length < this.parents || !/^[ +-]+$/.test(prefix)) {
      if (line.startsWith('\\')) return;
      this.flush();
      this.inHunk = false;
      this.headerLine(line);
      return;
    }
    if (prefix.includes('-')) {
      this.flush();
      return;
    }
    const isNew = !prefix.includes(' ');
    if (isNew && !this.gitlink && this.path !== undefined) {
      if (
        this.block?.startLine !== undefined &&
        this.block.startLine + this.block.lines.length === this.newLine
      ) {
        this.block.lines.push(line.slice(this.parents));
      } else {
        this.flush();
        this.block = { path: this.path, startLine: this.newLine, lines: [line.slice(this.parents)] };
        if (this.blobs) this.block.blob = this.blobs.next;
      }
    } else {
      this.flush();
    }
    this.newLine++;
  }

  private flush(): void {
    if (this.block) this.events.added(this.block);
    this.block = undefined;
  }
}
