// False-positive census on a real dependency tree (issue 16, section 4): installs a fixed set of
// popular packages into a directory outside the repository (once, with --ignore-scripts; default
// $TMPDIR/keyfence-fp-census, or KEYFENCE_FP_CENSUS_DIR), scans every file of
// the tree with the built CLI, and prints the findings per 100 MB and each finding, so that every
// one left can be judged in bench/README.md.
//   node bench/fp-census.mjs [--system | --tree DIR…] [--no-redact] [--json]     (after npm run build)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pinned, so that two runs (and two branches) scan the same bytes. */
const PACKAGES = {
  'aws-sdk': '2.1693.0',
  googleapis: '188.0.0',
  firebase: '13.2.0',
  next: '16.4.6',
  typescript: '7.0.2',
  eslint: '10.15.0',
  webpack: '5.113.0',
};

const work = `${process.env.KEYFENCE_FP_CENSUS_DIR ?? join(tmpdir(), 'keyfence-fp-census')}/`;
const bin = fileURLToPath(new URL('../dist/bin.cjs', import.meta.url));
const argv = process.argv.slice(2);
const args = new Set(argv);
/** --tree DIR (repeatable): these directories instead, such as a virtualenv's site-packages. */
const trees = argv.flatMap((arg, index) => (arg === '--tree' && argv[index + 1] ? [argv[index + 1]] : []));

function install() {
  const marker = `${work}installed-${Object.values(PACKAGES).join('-')}`;
  if (existsSync(marker)) return;
  mkdirSync(work, { recursive: true });
  writeFileSync(
    `${work}package.json`,
    `${JSON.stringify({ name: 'fp-census', private: true, dependencies: PACKAGES }, null, 2)}\n`,
  );
  console.error(`installing ${Object.keys(PACKAGES).join(', ')} into ${work} …`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: work,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`npm install failed (exit ${result.status})`);
  writeFileSync(marker, '');
}

/**
 * --system: the operating system's own trees of text instead (Python, Perl, C and C++ headers,
 * documentation, Vim and shell scripts; whatever of these the machine has). Not comparable between
 * machines, but a second kind of code than npm's: what a vendored virtualenv or a dotfiles
 * repository holds.
 */
const SYSTEM_TREES = ['/usr/lib', '/usr/share', '/usr/include'].filter((dir) => existsSync(dir));
const system = args.has('--system');
const chosen = trees.length > 0 ? trees : system ? SYSTEM_TREES : undefined;

if (!chosen) install();
const started = performance.now();
const scan = spawnSync(
  process.execPath,
  [
    bin,
    'scan',
    ...(chosen ?? ['node_modules']),
    '--no-config',
    '--no-ignore',
    '--no-ignore-file',
    '-f',
    'json',
    ...(args.has('--no-redact') ? ['--no-redact'] : []),
  ],
  { cwd: chosen ? process.cwd() : work, encoding: 'utf8', maxBuffer: 1 << 30 },
);
if (scan.status !== 0 && scan.status !== 1) throw new Error(scan.stderr);
const seconds = (performance.now() - started) / 1000;
const report = JSON.parse(scan.stdout);
const { bytes, files } = report.summary;
const findings = report.findings;
if (args.has('--json')) {
  console.log(JSON.stringify({ bytes, files, findings }, null, 2));
} else {
  const mb = bytes / 1e6;
  console.log(
    `census   ${files} files, ${mb.toFixed(1)} MB in ${seconds.toFixed(1)} s: ${findings.length} findings ` +
      `(${((findings.length * 100) / mb).toFixed(2)} per 100 MB)`,
  );
  for (const finding of findings) {
    const text = finding.lineText.length > 160 ? `${finding.lineText.slice(0, 157)}...` : finding.lineText;
    console.log(
      `  ${finding.ruleId} ${finding.path}:${finding.line} ${finding.secret}\n      ${text.trim()}`,
    );
  }
}
