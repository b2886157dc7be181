// Generates a repository whose history looks like a real project's: real source files from the
// installed packages are added, edited a few lines at a time, renamed and deleted, on a main branch
// with short feature branches merged back. Each commit touches 1-4 files, so most of what `git log -p`
// reads is small hunks in medium-sized files: the case where reading whole blobs costs the most.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
// Deterministic, so the same arguments always give the same repository.
import { prng } from './accuracy/synthetic.mjs';

/** Real text files (JS, TS, Markdown, JSON) of 1 KB to `maxBytes` from a node_modules tree, in a stable order. */
export function sourceFiles(nodeModules, limit = 6000, maxBytes = 64 * 1024) {
  const files = [];
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (files.length >= limit) return;
      // npm's own directories and local copies such as .ab (builds kept for A/B runs): not a project's files.
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(js|mjs|cjs|ts|md|json)$/.test(entry.name) && !entry.name.endsWith('.min.js')) {
        const size = statSync(path).size;
        if (size >= 1024 && size <= maxBytes) files.push({ name: relative(nodeModules, path), path });
      }
    }
  };
  visit(nodeModules);
  return files.map((file) => ({ name: file.name, lines: readFileSync(file.path, 'utf8').split('\n') }));
}

/**
 * Writes the repository with `git fast-import` and repacks it as a clone would be. `plant(index)`
 * may return a line to insert at commit `index` (the benchmark plants a few synthetic secrets).
 * `maxFileBytes` bounds the files the project adds (the default, 64 KB, gives the large-project
 * shape; 8 KB a small project's: fewer megabytes per file added).
 */
export function projectHistory(
  repo,
  { commits, nodeModules, seed = 7, plant = () => undefined, maxFileBytes = 64 * 1024 },
) {
  const marker = join(repo, '.git', 'keyfence-bench-commits');
  const shape = maxFileBytes === 64 * 1024 ? String(commits) : `${commits} ${maxFileBytes}`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === shape) return repo;
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  const next = prng(seed);
  const pick = (items) => items[Math.floor(next() * items.length)];
  const corpus = sourceFiles(nodeModules, 6000, maxFileBytes);
  const tree = new Map(); // path -> lines, of the branch being written
  const parts = [];
  let mark = 0;
  let time = 1_600_000_000;
  let mainHead = 0;
  let branch; // { name, head, tree, left }
  const emit = (text) => parts.push(Buffer.from(text));
  const newPath = (file) => `packages/${file.name}`;

  function change(files, index) {
    const operations = [];
    const count = 1 + Math.floor(next() * next() * 4);
    for (let op = 0; op < count; op++) {
      const roll = next();
      const paths = [...files.keys()];
      if (paths.length < 20 || roll < 0.12) {
        const file = pick(corpus);
        const path = `${newPath(file)}${files.has(newPath(file)) ? `.${index}` : ''}`;
        files.set(path, [...file.lines]);
        operations.push(['M', path]);
      } else if (roll < 0.15) {
        const path = pick(paths);
        files.delete(path);
        operations.push(['D', path]);
      } else if (roll < 0.17) {
        const path = pick(paths);
        const target = `${path.replace(/(\.\w+)?$/, '')}_v${index}${/\.\w+$/.exec(path)?.[0] ?? ''}`;
        files.set(target, files.get(path));
        files.delete(path);
        operations.push(['D', path], ['M', target]);
      } else {
        // An edit: a few lines replaced by a few lines of other real source, somewhere in the file.
        const path = pick(paths);
        const lines = [...files.get(path)];
        const at = Math.floor(next() * lines.length);
        const removed = Math.floor(next() * 6);
        const donor = pick(corpus).lines;
        const from = Math.floor(next() * donor.length);
        const added = donor.slice(from, from + 1 + Math.floor(next() * 12));
        lines.splice(at, removed, ...added);
        files.set(path, lines);
        operations.push(['M', path]);
      }
    }
    const planted = plant(index);
    if (planted !== undefined) {
      const path = pick([...files.keys()]);
      const lines = [...files.get(path)];
      lines.splice(Math.floor(next() * lines.length), 0, planted);
      files.set(path, lines);
      operations.push(['M', path]);
    }
    return operations;
  }

  function commit(ref, parents, files, operations, message) {
    mark++;
    time += 60 + Math.floor(next() * 3600);
    emit(`commit ${ref}\nmark :${mark}\n`);
    emit(`author Dev ${mark % 7} <dev${mark % 7}@example.invalid> ${time} +0000\n`);
    emit(`committer Dev ${mark % 7} <dev${mark % 7}@example.invalid> ${time} +0000\n`);
    emit(`data ${Buffer.byteLength(message)}\n${message}\n`);
    parents.forEach((parent, index) => {
      if (parent > 0) emit(`${index === 0 ? 'from' : 'merge'} :${parent}\n`);
    });
    const done = new Set();
    for (const [kind, path] of operations.reverse()) {
      if (done.has(path)) continue;
      done.add(path);
      if (kind === 'D' || !files.has(path)) {
        emit(`D ${path}\n`);
        continue;
      }
      const content = Buffer.from(`${files.get(path).join('\n')}`);
      emit(`M 100644 inline ${path}\ndata ${content.length}\n`);
      parts.push(content);
      emit('\n');
    }
    return mark;
  }

  for (let index = 0; index < commits; index++) {
    if (branch) {
      const operations = change(branch.tree, index);
      for (const [, path] of operations) branch.touched.add(path);
      branch.head = commit(
        `refs/heads/${branch.name}`,
        [branch.head],
        branch.tree,
        operations,
        `${branch.name}: step ${index}`,
      );
      branch.left--;
      if (branch.left === 0) {
        // Merge back: the branch's versions of the files it touched win.
        const operations = [];
        for (const [path, lines] of branch.tree) {
          if (tree.get(path) !== lines) {
            tree.set(path, lines);
            operations.push(['M', path]);
          }
        }
        for (const path of [...tree.keys()]) {
          if (!branch.tree.has(path) && branch.touched.has(path)) {
            tree.delete(path);
            operations.push(['D', path]);
          }
        }
        index++;
        mainHead = commit(
          'refs/heads/main',
          [mainHead, branch.head],
          tree,
          operations,
          `Merge branch '${branch.name}'`,
        );
        branch = undefined;
      }
      continue;
    }
    if (index > 50 && next() < 0.02) {
      branch = {
        name: `feature-${index}`,
        head: mainHead,
        tree: new Map(tree),
        left: 3 + Math.floor(next() * 6),
        touched: new Set(),
      };
      const operations = change(branch.tree, index);
      for (const [, path] of operations) branch.touched.add(path);
      branch.head = commit(
        `refs/heads/${branch.name}`,
        [mainHead],
        branch.tree,
        operations,
        `${branch.name}: start`,
      );
      branch.left--;
      continue;
    }
    const operations = change(tree, index);
    mainHead = commit('refs/heads/main', [mainHead], tree, operations, `change ${index}`);
  }
  execFileSync('git', ['fast-import', '--quiet'], {
    cwd: repo,
    input: Buffer.concat(parts),
    maxBuffer: 1 << 30,
  });
  execFileSync('git', ['repack', '-a', '-d', '-q', '--depth=50', '--window=10'], { cwd: repo });
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: repo });
  execFileSync('git', ['config', 'gc.auto', '0'], { cwd: repo });
  writeFileSync(marker, shape);
  return repo;
}
