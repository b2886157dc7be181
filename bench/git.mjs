// On-demand benchmark of the git sources (never part of npm test):
//   staged:  `keyfence scan --staged` on a 20-file / ~2,000-line staged change, Node start-up included
//   history: `keyfence scan --history` on a generated repository of 5,000+ commits, next to `git log -p`
//
//   node bench/git.mjs [COMMITS] [RUNS]      (defaults: 5000 commits, 7 runs)
// Inputs are generated from real source text (this project's node_modules) into bench/.work/.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench', '.work');
const bin = join(root, 'dist', 'bin.js');
const [commitsArg = '5000', runsArg = '7'] = process.argv.slice(2);
const COMMITS = Number(commitsArg);
const RUNS = Number(runsArg);
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
};

/** Lines of real JavaScript/TypeScript source from installed packages, in a stable order. */
function corpusLines(limit) {
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
  visit(join(root, 'node_modules', 'typescript', 'lib'));
  visit(join(root, 'node_modules'));
  return lines.slice(0, limit);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function time(command, args, cwd) {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command} ${args.join(' ')}: ${run.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function stagedRepo(lines) {
  const repo = join(work, 'staged');
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: repo, env: gitEnv, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  for (let file = 0; file < 20; file++)
    writeFileSync(join(repo, `file${file}.js`), lines.slice(file * 100, file * 100 + 100).join('\n'));
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  // Every file rewritten with 100 other non-blank lines: 20 files, about 2,000 added lines staged.
  const fresh = lines.slice(5000).filter((line) => line.trim() !== '');
  for (let file = 0; file < 20; file++) {
    writeFileSync(join(repo, `file${file}.js`), `${fresh.slice(file * 100, file * 100 + 100).join('\n')}\n`);
  }
  git('add', '.');
  const numstat = execFileSync('git', ['diff', '--cached', '--numstat'], { cwd: repo, encoding: 'utf8' });
  const added = numstat
    .trim()
    .split('\n')
    .reduce((sum, row) => sum + Number(row.split('\t')[0]), 0);
  return { repo, added, files: numstat.trim().split('\n').length };
}

function historyRepo(lines, commits) {
  const repo = join(work, `history-${commits}`);
  try {
    if (
      Number(execFileSync('git', ['rev-list', '--count', '--all'], { cwd: repo, encoding: 'utf8' })) ===
      commits
    )
      return repo;
  } catch {
    // not generated yet
  }
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  // One file of 120 lines changes per commit, its window sliding through the corpus: successive
  // versions of real source text, like a project's history.
  const parts = [];
  for (let index = 0; index < commits; index++) {
    const file = index % 50;
    const start = (index * 37) % (lines.length - 120);
    const content = Buffer.from(`${lines.slice(start, start + 120).join('\n')}\n`);
    const message = `change ${index}`;
    parts.push(
      `commit refs/heads/main\nmark :${index + 1}\ncommitter Bench <bench@example.invalid> ${1700000000 + index * 60} +0000\n`,
      `data ${Buffer.byteLength(message)}\n${message}\n`,
      index > 0 ? `from :${index}\n` : '',
      `M 100644 inline src/module${file}.js\ndata ${content.length}\n`,
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

mkdirSync(work, { recursive: true });
const lines = corpusLines(40_000);
console.log(
  `machine   ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}, ${execFileSync('git', ['--version'], { encoding: 'utf8' }).trim()}`,
);

const staged = stagedRepo(lines);
time(process.execPath, [bin, 'scan', '--staged'], staged.repo);
const stagedTimes = Array.from({ length: RUNS }, () =>
  time(process.execPath, [bin, 'scan', '--staged'], staged.repo),
);
const nodeTimes = Array.from({ length: RUNS }, () => time(process.execPath, ['-e', '0'], staged.repo));
console.log(
  `staged    ${staged.files} files, ${staged.added} added lines: median ${median(stagedTimes).toFixed(0)} ms over ${RUNS} runs (node -e 0 alone: ${median(nodeTimes).toFixed(0)} ms)`,
);

const history = historyRepo(lines, COMMITS);
/** git log -p with its output read through a pipe by a process that discards it (what any reader pays). */
function timePiped(cwd) {
  const reader = "let n=0;process.stdin.on('data',d=>{n+=d.length}).on('end',()=>{})";
  return time('sh', ['-c', `git log -p --all | "${process.execPath}" -e "${reader}"`], cwd);
}

const logTimes = [];
const pipedTimes = [];
const scanTimes = [];
for (let run = 0; run < Math.max(3, Math.ceil(RUNS / 2)); run++) {
  logTimes.push(time('git', ['log', '-p', '--all'], history));
  pipedTimes.push(timePiped(history));
  scanTimes.push(time(process.execPath, [bin, 'scan', '--history', '--format', 'json'], history));
}
/** Peak RSS (MB) of one history scan, read by the report-rss.mjs preload. */
function historyRss(extra) {
  const preload = new URL('report-rss.mjs', import.meta.url).href;
  const run = spawnSync(
    process.execPath,
    ['--import', preload, bin, 'scan', '--history', '--format', 'json', ...extra],
    {
      cwd: history,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  );
  return Number(/KEYFENCE_BENCH_MAXRSS=(\d+)/.exec(run.stderr)?.[1] ?? NaN) / 1024 / 1024;
}
const patchBytes = execFileSync('git', ['log', '-p', '-U0', '--all'], {
  cwd: history,
  maxBuffer: 1 << 30,
}).length;
console.log(`history   ${COMMITS} commits, ${(patchBytes / 1024 / 1024).toFixed(1)} MB of -U0 patches`);
console.log(
  `          git log -p --all:          median ${median(logTimes).toFixed(0)} ms (output to /dev/null)`,
);
console.log(
  `          git log -p --all | node:   median ${median(pipedTimes).toFixed(0)} ms (output read through a pipe and discarded)`,
);
console.log(
  `          keyfence scan --history:   median ${median(scanTimes).toFixed(0)} ms  (ratio ${(median(scanTimes) / median(logTimes)).toFixed(2)}x to /dev/null, ${(median(scanTimes) / median(pipedTimes)).toFixed(2)}x to piped)`,
);
const fewer = Math.round(COMMITS / 10);
console.log(
  `          peak RSS: ${historyRss(['--max-commits', String(fewer)]).toFixed(0)} MB for ${fewer} commits, ${historyRss([]).toFixed(0)} MB for ${COMMITS}`,
);
