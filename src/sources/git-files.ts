import { join } from 'node:path';
import { holdsDotGit } from './dot-git.js';
import { gitBytes } from './git.js';
import { fileName } from './path-name.js';

/** A file git lists under a directory. */
export interface ListedFile {
  /** Path relative to the listed directory, with forward slashes, as reported. */
  relative: string;
  /** The path's bytes, when its name is not UTF-8 and `relative` is an escaped form that cannot be opened. */
  raw?: Buffer;
}

const GITLINK = '160000';

/** NUL-separated names as listed files: one decode for the whole output unless a name is not UTF-8. */
function splitNames(output: Buffer): { relative: string; raw?: Buffer }[] {
  const text = output.toString('utf8');
  if (!text.includes('\uFFFD'))
    return text.split('\0').flatMap((name) => (name === '' ? [] : [{ relative: name }]));
  const files: ListedFile[] = [];
  for (let start = 0; start < output.length;) {
    const end = output.indexOf(0, start);
    const bytes = output.subarray(start, end === -1 ? output.length : end);
    start = end === -1 ? output.length : end + 1;
    if (bytes.length === 0) continue;
    const { name, escaped } = fileName(bytes);
    files.push(escaped ? { relative: name, raw: Buffer.from(bytes) } : { relative: name });
  }
  return files;
}

/** The index's entries (`ls-files --stage`): submodules apart, each path once (a conflict has up to three). */
function parseStage(output: Buffer): { files: ListedFile[]; submodules: ListedFile[] } {
  const files: ListedFile[] = [];
  const submodules: ListedFile[] = [];
  const seen = new Set<string>();
  for (const entry of splitNames(output)) {
    // "<mode> <object> <stage>\t<path>"; the header is ASCII, so the escaped form keeps it intact.
    const tab = entry.relative.indexOf('\t');
    const mode = entry.relative.slice(0, entry.relative.indexOf(' '));
    const relative = entry.relative.slice(tab + 1);
    if (seen.has(relative)) continue;
    seen.add(relative);
    const raw = entry.raw?.subarray(entry.raw.indexOf(9) + 1);
    const file = raw === undefined ? { relative } : { relative, raw };
    (mode === GITLINK ? submodules : files).push(file);
  }
  return { files, submodules };
}

const under = (prefix: string, file: ListedFile): ListedFile => {
  const relative = `${prefix}/${file.relative}`;
  if (file.raw === undefined) return { relative };
  return { relative, raw: Buffer.concat([Buffer.from(`${prefix}/`), file.raw]) };
};

/**
 * Tracked and untracked-but-not-ignored files under `dir`, relative to it, as git lists them; and
 * the files of the repositories inside it, which git lists as one entry each (a submodule, or an
 * untracked repository as `name/`), listed by their own git. What cannot be listed (a submodule
 * that is not checked out) is reported through `onSkip`.
 */
export async function listGitFiles(
  dir: string,
  onSkip: (relative: string, reason: string) => void,
): Promise<ListedFile[]> {
  const [stage, others] = await Promise.all([
    gitBytes(['ls-files', '-z', '--stage'], dir),
    gitBytes(['ls-files', '-z', '--others', '--exclude-standard'], dir),
  ]);
  const { files, submodules } = parseStage(stage);
  for (const file of splitNames(others)) {
    if (file.relative.endsWith('/')) submodules.push({ ...file, relative: file.relative.slice(0, -1) });
    else files.push(file);
  }
  for (const { relative, raw } of submodules) {
    // A process's working directory is a string: a name that is not UTF-8 cannot be one.
    if (raw !== undefined) {
      onSkip(relative, 'repository inside the scanned one whose name is not UTF-8 (scan it on its own)');
      continue;
    }
    const path = join(dir, relative);
    if (!(await holdsDotGit(path))) {
      onSkip(relative, 'submodule not checked out (git submodule update --init to scan it)');
      continue;
    }
    const inner = await listGitFiles(path, (below, reason) => {
      onSkip(`${relative}/${below}`, reason);
    });
    // One by one: a nested repository can hold more files than a call takes arguments.
    for (const file of inner) files.push(under(relative, file));
  }
  return files;
}
