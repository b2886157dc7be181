// The benchmark suite (`npm run bench`; never part of npm test). For each input: median wall time
// over RUNS runs, MB/s, peak RSS, and the ratio to the floor measured in the same run.
//
//   npm run bench                       # everything, 5 runs each
//   npm run bench -- --runs 9 staged    # one or more of: staged history cache tree secretlint adversarial
//
// Inputs are generated into bench/.work/ on first use (see inputs.mjs and project-history.mjs).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  corpusLines,
  largeTree,
  NODE_MODULES,
  rewriteHistoryRepo,
  smallRepo,
  ROOT,
  stagedRepo,
  WORK,
} from './inputs.mjs';
import { BIN, keyfenceReport, machine, medianOf, time, timeShell } from './measure.mjs';
import { projectHistory } from './project-history.mjs';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, 'tree-mb': { type: 'string', default: '500' } },
  allowPositionals: true,
});
const RUNS = Number(values.runs);
const only = new Set(
  positionals.length > 0
    ? positionals
    : ['staged', 'small', 'history', 'cache', 'tree', 'secretlint', 'adversarial'],
);
const node = process.execPath;
const ms = (value) => `${value.toFixed(0)} ms`;
const row = (label, text) => console.log(`  ${label.padEnd(34)} ${text}`);

console.log(`machine: ${machine()}, ${execFileSync('git', ['--version'], { encoding: 'utf8' }).trim()}`);
console.log(`runs: median of ${RUNS} after one warm-up\n`);

if (only.has('staged')) {
  const staged = stagedRepo(corpusLines(40_000));
  const scan = medianOf(RUNS * 3, () => time(node, [BIN, 'scan', '--staged'], staged.repo));
  const bare = medianOf(RUNS * 3, () => time(node, ['-e', '0'], staged.repo));
  const diff = medianOf(RUNS * 3, () => time('git', ['diff', '--cached', '-U0', '--no-color'], staged.repo));
  // What a commit pays: the hook `keyfence init` writes, with keyfence installed in the project,
  // against the npx command hooks ran before.
  installInto(staged.repo);
  execFileSync(node, [BIN, 'init'], { cwd: staged.repo, stdio: 'ignore' });
  const hook = medianOf(RUNS * 3, () => time('sh', ['.git/hooks/pre-commit'], staged.repo));
  const npx = medianOf(RUNS, () =>
    timeShell('npx --no-install keyfence scan --staged 2>/dev/null', staged.repo),
  );
  const { report, rss } = keyfenceReport(['scan', '--staged'], staged.repo);
  const kb = report.summary.bytes / 1024;
  console.log(`staged: ${staged.files} files, ${staged.added} added lines (${RUNS * 3} runs)`);
  row(
    'keyfence scan --staged',
    `${ms(scan)}, ${kb.toFixed(0)} KB at ${(kb / 1024 / (scan / 1000)).toFixed(1)} MB/s, peak RSS ${rss.toFixed(0)} MB`,
  );
  row('node -e 0 (the floor)', `${ms(bare)}; keyfence is ${ms(scan - bare)} above it`);
  row('git diff --cached -U0', ms(diff));
  row('pre-commit hook from keyfence init', ms(hook));
  row('npx --no-install keyfence scan ...', `${ms(npx)} (what the hook ran before)`);
  console.log();
}

/** Makes this checkout the project's installed keyfence, as `npm install --save-dev keyfence` would. */
function installInto(repo) {
  mkdirSync(join(repo, 'node_modules', '.bin'), { recursive: true });
  rmSync(join(repo, 'node_modules', 'keyfence'), { force: true });
  rmSync(join(repo, 'node_modules', '.bin', 'keyfence'), { force: true });
  symlinkSync(ROOT, join(repo, 'node_modules', 'keyfence'));
  symlinkSync('../keyfence/dist/bin.cjs', join(repo, 'node_modules', '.bin', 'keyfence'));
  writeFileSync(join(repo, 'package.json'), '{ "name": "bench-staged", "private": true }\n');
  writeFileSync(join(repo, '.git', 'info', 'exclude'), 'node_modules/\npackage.json\n');
}

/** The floors of a history: git log -p, and git cat-file --batch over the blobs its commits hold. */
function historyFloors(repo) {
  const blobs = join(WORK, 'blobs.txt');
  execFileSync(
    'sh',
    [
      '-c',
      `git rev-list --all --objects | cut -d' ' -f1 | git cat-file --batch-check='%(objecttype) %(objectname)' | awk '$1=="blob"{print $2}' > "${blobs}"`,
    ],
    { cwd: repo },
  );
  return {
    log: medianOf(RUNS, () => time('git', ['log', '-p', '--all'], repo)),
    catFile: medianOf(RUNS, () => timeShell(`git cat-file --batch < "${blobs}" > /dev/null`, repo)),
  };
}

function historyRow(label, repo, extra = []) {
  const scan = medianOf(RUNS, () =>
    time(node, [BIN, 'scan', '--history', '--format', 'json', ...extra], repo),
  );
  const { report, rss } = keyfenceReport(['scan', '--history', ...extra], repo);
  const mb = report.summary.bytes / 1024 / 1024;
  row(
    label,
    `${ms(scan)}, ${(mb / (scan / 1000)).toFixed(1)} MB/s of added text, peak RSS ${rss.toFixed(0)} MB`,
  );
  return scan;
}

if (only.has('history')) {
  const project = projectHistory(join(WORK, 'project-10000'), { commits: 10_000, nodeModules: NODE_MODULES });
  const floors = historyFloors(project);
  console.log('history: 10,000 commits of project-like edits (bench/project-history.mjs)');
  row('git log -p --all (floor, patches)', ms(floors.log));
  row('git cat-file --batch (floor, blobs)', ms(floors.catFile));
  const scan = historyRow('keyfence scan --history', project);
  row('ratio to git log -p', `${(scan / floors.log).toFixed(2)}x`);
  historyRow('  the same, first 2,000 commits', project, ['--max-commits', '2000']);
  // A typical small open-source project: about 800 files at the tip and 5 MB added over 6,000
  // commits, where per-commit costs weigh more than scanning.
  const small = projectHistory(join(WORK, 'project-small-6000'), {
    commits: 6000,
    nodeModules: NODE_MODULES,
    maxFileBytes: 8 * 1024,
  });
  const smallFloors = historyFloors(small);
  console.log('history: 6,000 commits of a small project (800 files at the tip, 5 MB added)');
  row('git log -p --all (floor, patches)', ms(smallFloors.log));
  row('git cat-file --batch (floor, blobs)', ms(smallFloors.catFile));
  const smallScan = historyRow('keyfence scan --history', small);
  row('ratio to git log -p', `${(smallScan / smallFloors.log).toFixed(2)}x`);
  const rewrite = rewriteHistoryRepo(corpusLines(40_000), 5000);
  const rewriteFloors = historyFloors(rewrite);
  console.log('history: 5,000 commits, each replacing a whole file (bench/inputs.mjs, worst case)');
  row('git log -p --all (floor, patches)', ms(rewriteFloors.log));
  const rewriteScan = historyRow('keyfence scan --history', rewrite);
  row('ratio to git log -p', `${(rewriteScan / rewriteFloors.log).toFixed(2)}x`);
  console.log();
}

if (only.has('cache')) {
  // --cache on the project-like history: cold (an empty cache, filled by the scan), warm (nothing
  // new), and warm after N new commits (a cache filled by a scan of main~N, which reaches all but
  // the last N commits of every branch).
  const project = projectHistory(join(WORK, 'project-10000'), { commits: 10_000, nodeModules: NODE_MODULES });
  const dir = join(WORK, 'cache');
  const history = ['scan', '--history', '--format', 'json'];
  const cached = (cache, ...extra) => [BIN, ...history, '--cache', cache, ...extra];
  console.log('cache: keyfence scan --history --cache DIR on the 10,000 commits of the history section');
  const uncached = medianOf(RUNS, () => time(node, [BIN, ...history], project));
  row('no cache', ms(uncached));
  const cold = medianOf(RUNS, () => {
    rmSync(dir, { recursive: true, force: true });
    return time(node, cached(dir), project);
  });
  row('cold (empty cache, written)', `${ms(cold)}, ${(cold / uncached).toFixed(2)}x no cache`);
  const warm = medianOf(RUNS, () => time(node, cached(dir), project));
  const size = readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
  row(
    'warm, nothing new',
    `${ms(warm)}, ${(warm / cold).toFixed(3)}x cold; cache ${(size / 1024 / 1024).toFixed(1)} MB`,
  );
  const { rss } = keyfenceReport(['scan', '--history', '--cache', dir], project);
  row('  peak RSS, warm', `${rss.toFixed(0)} MB`);
  for (const back of [100, 1000]) {
    const base = join(WORK, `cache-main~${back}`);
    rmSync(base, { recursive: true, force: true });
    // Exit 1 (findings) still writes the cache.
    const seeded = spawnSync(node, cached(base, '--branch', `main~${back}`), {
      cwd: project,
      stdio: 'ignore',
    });
    if (seeded.status !== 0 && seeded.status !== 1) throw new Error(`seeding ${base}: exit ${seeded.status}`);
    const count = execFileSync('git', ['rev-list', '--count', '--all', `^main~${back}`], {
      cwd: project,
      encoding: 'utf8',
    }).trim();
    const warmAfter = medianOf(RUNS, () => {
      rmSync(dir, { recursive: true, force: true });
      cpSync(base, dir, { recursive: true });
      return time(node, cached(dir), project);
    });
    row(`warm, ${count} new commits`, `${ms(warmAfter)}, ${(warmAfter / cold).toFixed(3)}x cold`);
  }
  console.log();
}

/** Reads every regular file under dir once, in this process: what any scanner has to pay. */
function readAll(dir) {
  let bytes = 0;
  const visit = (path) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const info = statSync(full, { throwIfNoEntry: false });
      if (info?.isDirectory()) visit(full);
      else if (info?.isFile()) bytes += readFileSync(full).length;
    }
  };
  visit(dir);
  return bytes;
}

function treeRows(dir) {
  const bytes = readAll(dir);
  const read = medianOf(RUNS, () => {
    const begin = process.hrtime.bigint();
    readAll(dir);
    return Number(process.hrtime.bigint() - begin) / 1e6;
  });
  const args = ['scan', '.', '--no-ignore', '--no-config'];
  const scan = medianOf(RUNS, () => time(node, [BIN, ...args, '--format', 'json'], dir));
  const single = medianOf(RUNS, () => time(node, [BIN, ...args, '--workers', '0', '--format', 'json'], dir));
  const { report, rss } = keyfenceReport(args, dir);
  const scanned = report.summary.bytes / 1024 / 1024;
  row('read every file (floor)', `${ms(read)} for ${(bytes / 1024 / 1024).toFixed(0)} MB`);
  row(
    'keyfence scan (threads: one per core)',
    `${ms(scan)}, ${scanned.toFixed(0)} MB of text at ${(scanned / (scan / 1000)).toFixed(0)} MB/s, peak RSS ${rss.toFixed(0)} MB, ${report.summary.findings} findings`,
  );
  row('keyfence scan --workers 0 (one thread)', ms(single));
  row('ratio to reading', `${(scan / read).toFixed(2)}x`);
  return scan;
}

/** secretlint from bench/package.json (installed on first use) and its recommended-preset config. */
function secretlintSetup() {
  const bench = join(ROOT, 'bench');
  const secretlint = join(bench, 'node_modules', '.bin', 'secretlint');
  try {
    statSync(secretlint);
  } catch {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit' });
  }
  const rc = join(WORK, 'secretlintrc.json');
  writeFileSync(rc, '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}\n');
  return { secretlint, rc };
}

if (only.has('small')) {
  const repo = smallRepo();
  const scan = medianOf(RUNS * 3, () => time(node, [BIN, 'scan', '.'], repo));
  const bare = medianOf(RUNS * 3, () => time(node, ['-e', '0'], repo));
  const { report, rss } = keyfenceReport(['scan', '.'], repo);
  console.log(
    `directory: a small repository (${report.summary.files} files, ${(report.summary.bytes / 1024).toFixed(0)} KB; ${RUNS * 3} runs)`,
  );
  row('keyfence scan .', `${ms(scan)}, peak RSS ${rss.toFixed(0)} MB`);
  row(
    'node -e 0 (the floor)',
    `${ms(bare)}; keyfence is ${Math.round(scan - bare)} ms above it (target: 40)`,
  );
  console.log();
}

if (only.has('tree')) {
  const megabytes = Number(values['tree-mb']);
  const dir = largeTree(megabytes);
  console.log(`directory: ${megabytes} MB tree (copies of node_modules)`);
  const scan = treeRows(dir);
  // secretlint does not finish this tree in a quarter of an hour here: give it ten times
  // keyfence's time, once, and report a lower bound of the ratio when it is stopped.
  const { secretlint, rc } = secretlintSetup();
  const limit = Math.round(10 * scan);
  const started = process.hrtime.bigint();
  const run = spawnSync(secretlint, ['**/*', '--secretlintrc', rc, '--format', 'json'], {
    cwd: dir,
    stdio: 'ignore',
    timeout: limit,
    killSignal: 'SIGKILL',
  });
  const took = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.signal === 'SIGKILL') {
    row('secretlint (recommended preset)', `stopped unfinished after ${ms(took)} (one run)`);
    row('ratio secretlint / keyfence', `more than ${(took / scan).toFixed(1)}x`);
  } else {
    row('secretlint (recommended preset)', `${ms(took)} (one run)`);
    row('ratio secretlint / keyfence', `${(took / scan).toFixed(1)}x`);
  }
  console.log();
}

if (only.has('secretlint')) {
  const { secretlint, rc } = secretlintSetup();
  console.log(`directory: node_modules (${NODE_MODULES}) against secretlint`);
  const scan = treeRows(NODE_MODULES);
  // secretlint takes about a minute here: fewer runs.
  const other = medianOf(Math.min(RUNS, 3), () =>
    time(secretlint, ['**/*', '--secretlintrc', rc, '--format', 'json'], NODE_MODULES),
  );
  row('secretlint (recommended preset)', ms(other));
  row('ratio secretlint / keyfence', `${(other / scan).toFixed(1)}x`);
}

if (only.has('adversarial')) {
  // Every rule against the inputs built from it (src/rules/adversarial.ts), as the test suite does.
  const { parseRuleFiles, readRuleDirectory, toCatalogueRule } = await import('../dist/rules/catalogue.js');
  const { probeRules } = await import('../dist/rules/linearity.js');
  const { rules } = await parseRuleFiles(await readRuleDirectory(join(ROOT, 'rules')));
  const started = performance.now();
  const results = await probeRules(rules.map((rule) => ({ spec: rule.spec, rule: toCatalogueRule(rule) })));
  const inputs = results.reduce((sum, result) => sum + result.inputs, 0);
  console.log(
    `adversarial inputs: ${inputs} of 64 KB over ${results.length} rules (CPU ms per input, best of 3 when slow)`,
  );
  for (const result of [...results].sort((a, b) => b.worstMs - a.worstMs).slice(0, 5)) {
    row(result.ruleId, `${result.worstMs.toFixed(1)} ms on ${result.worstLabel}`);
  }
  row('all rules, all inputs', ms(performance.now() - started));
  console.log();
}
