// Reproducible benchmark inputs, generated into bench/.work/ (git-ignored) from real source text.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WORK = join(ROOT, 'bench', '.work');
export const NODE_MODULES = join(ROOT, 'node_modules');

/** Lines of real JavaScript/TypeScript source from installed packages, in a stable order. */
export function corpusLines(limit) {
  const lines = [];
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      if (lines.length >= limit) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(js|ts|mjs)$/.test(entry.name) && statSync(path).size < 200_000) {
        for (const line of readFileSync(path, 'utf8').split('\n')) if (line.length < 200) lines.push(line);
      }
    }
  };
  visit(join(NODE_MODULES, 'typescript', 'lib'));
  visit(NODE_MODULES);
  return lines.slice(0, limit);
}

/** A repository with a 20-file change staged: every file rewritten with 100 other lines (~2,000 added). */
export function stagedRepo(lines) {
  const repo = join(WORK, 'staged');
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@example.invalid');
  for (let file = 0; file < 20; file++)
    writeFileSync(join(repo, `file${file}.js`), lines.slice(file * 100, file * 100 + 100).join('\n'));
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  const fresh = lines.slice(5000).filter((line) => line.trim() !== '');
  for (let file = 0; file < 20; file++) {
    writeFileSync(join(repo, `file${file}.js`), `${fresh.slice(file * 100, file * 100 + 100).join('\n')}\n`);
  }
  git('add', '.');
  const numstat = execFileSync('git', ['diff', '--cached', '--numstat'], { cwd: repo, encoding: 'utf8' });
  const rows = numstat.trim().split('\n');
  return { repo, files: rows.length, added: rows.reduce((sum, row) => sum + Number(row.split('\t')[0]), 0) };
}

/**
 * A history where each commit replaces one of 50 files with the next 120-line window of the corpus:
 * every line of every change is new (issue 3's benchmark; the worst case for any history scan).
 */
export function rewriteHistoryRepo(lines, commits) {
  const repo = join(WORK, `history-${commits}`);
  try {
    const count = execFileSync('git', ['rev-list', '--count', '--all'], { cwd: repo, encoding: 'utf8' });
    if (Number(count) === commits) return repo;
  } catch {
    // not generated yet
  }
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  const parts = [];
  for (let index = 0; index < commits; index++) {
    const start = (index * 37) % (lines.length - 120);
    const content = Buffer.from(`${lines.slice(start, start + 120).join('\n')}\n`);
    const message = `change ${index}`;
    parts.push(
      `commit refs/heads/main\nmark :${index + 1}\ncommitter Bench <bench@example.invalid> ${1700000000 + index * 60} +0000\n`,
      `data ${Buffer.byteLength(message)}\n${message}\n`,
      index > 0 ? `from :${index}\n` : '',
      `M 100644 inline src/module${index % 50}.js\ndata ${content.length}\n`,
    );
    parts.push(content, '\n');
  }
  execFileSync('git', ['fast-import', '--quiet'], {
    cwd: repo,
    input: Buffer.concat(parts.map((part) => Buffer.from(part))),
  });
  execFileSync('git', ['checkout', '-q', 'main'], { cwd: repo });
  return repo;
}

/** Text files of node_modules a scan reads (no binaries, none over 5 MB), as [relative path, bytes]. */
function textFiles() {
  const files = [];
  const visit = (dir, prefix) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      // npm's own (.bin, .cache, .package-lock.json) and local copies (.ab: builds kept for A/B
      // runs, whose keyfence sources would make a corpus dense with secret-like names).
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) visit(path, relative);
      else if (entry.isFile() && statSync(path).size <= 5 * 1024 * 1024) {
        const bytes = readFileSync(path);
        if (!bytes.subarray(0, 8000).includes(0)) files.push([relative, bytes]);
      }
    }
  };
  visit(NODE_MODULES, '');
  return files;
}

/** A working tree of at least `megabytes` MB of text: copies of the installed packages' text files. */
export function largeTree(megabytes) {
  const dir = join(WORK, `tree-${megabytes}mb`);
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const files = textFiles();
  const size = files.reduce((sum, [, bytes]) => sum + bytes.length, 0);
  const copies = Math.ceil((megabytes * 1024 * 1024) / size);
  for (let copy = 0; copy < copies; copy++) {
    for (const [relative, bytes] of files) {
      const path = join(dir, `copy${copy}`, relative);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, bytes);
    }
  }
  writeFileSync(marker, '');
  return dir;
}

/**
 * A small repository's working tree, committed: 800 source files of at most 1.3 KB (about 0.9 MB),
 * the heads of the installed packages' .js and .ts files, in 40 directories. Issue 17's target 3
 * holds a directory scan of it to `node -e 0` + 40 ms.
 */
export function smallRepo() {
  const repo = join(WORK, 'small-repo');
  if (existsSync(join(repo, '.git', 'keyfence-bench-complete'))) return repo;
  rmSync(repo, { recursive: true, force: true });
  const sources = textFiles()
    .filter(([relative]) => /\.(?:js|ts)$/.test(relative))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .slice(0, 800);
  sources.forEach(([relative, bytes], index) => {
    const path = join(repo, 'src', `m${index % 40}`, `f${index}${relative.slice(relative.lastIndexOf('.'))}`);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, bytes.subarray(0, 1300));
  });
  const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-qm', 'small repository');
  writeFileSync(join(repo, '.git', 'keyfence-bench-complete'), '');
  return repo;
}
